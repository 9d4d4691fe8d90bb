/*
 * The worker life cycle: set up the loop, the JS runtime and evhttp on the
 * listening sockets the master bound, drop privileges, tell the master it
 * is accepting, serve until a signal says stop. Signals are events on the
 * loop (libevent's evsignal), so nothing runs in signal context.
 *
 * A graceful stop (QUIT, TERM) drains: stop accepting, answer what comes
 * on open connections with "Connection: close", give idle keep-alive
 * connections a short fuse, and leave when none is left or when
 * worker_shutdown_timeout runs out. INT leaves at once.
 */
#include "worker.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "gate.h"
#include "http.h"
#include "log.h"
#include "lower.h"
#include "router.h"
#include "scoreboard.h"
#include "status.h"
#include "tls.h"

#define DRAIN_IDLE_FUSE 1           /* seconds an idle connection may stay */
#define DRAIN_MIN_MS 200            /* let requests already in the pipe land */

static struct eider_worker worker;

void eider_worker_next_id(struct eider_worker *w, char out[17])
{
    eider_conns_next_id(&w->conns, out);
}

static uint64_t random_seed(void)
{
    uint64_t seed = 0;
    FILE *f = fopen("/dev/urandom", "rb");

    if (f == NULL || fread(&seed, sizeof(seed), 1, f) != 1) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
    }
    if (f)
        fclose(f);
    return seed;
}

/* Stops or resumes accepting on every listener. */
static void set_accepting(struct eider_worker *w, int on)
{
    for (int i = 0; i < w->nlisteners; i++) {
        struct evhttp_bound_socket *b = w->listeners[i].bound;
        if (b != NULL)
            (on ? evconnlistener_enable : evconnlistener_disable)(evhttp_bound_socket_get_listener(b));
    }
    w->accept_paused = !on;
}

/* The connection layer's hooks (conns.h), ARG the worker. */

/* A connection opened: the scoreboard, and at worker_connections the
 * longest idle keep-alive connection is closed to make room, or accepting
 * pauses while none is idle. */
static void on_connection_opened(void *arg)
{
    struct eider_worker *w = arg;
    struct eider_gate *idle;

    if (w->glue.slot != NULL)
        w->glue.slot->connections = w->conns.count;
    if (w->conns.count < (size_t)w->cfg->worker_connections)
        return;
    /* As nginx does: an idle keep-alive connection makes room for the
     * next client, so idle ones cannot lock new clients out. */
    if ((idle = eider_conns_idle_oldest(&w->conns)) != NULL) {
        eider_gate_reclaim(idle);
        return;
    }
    if (!w->accept_paused) {
        eider_log(EIDER_LOG_WARN, "worker_connections (%d) reached, none of them idle: not "
                  "accepting until one closes or goes idle", w->cfg->worker_connections);
        set_accepting(w, 0);
    }
}

/* A connection went idle: a worker that stopped accepting at
 * worker_connections accepts again, reclaiming idle ones as it must. */
static void on_connection_idle(void *arg)
{
    struct eider_worker *w = arg;

    /* The next accept reclaims it (or another idle one) if it must. */
    if (w->accept_paused && !w->glue.draining)
        set_accepting(w, 1);
}

static void on_connection_closed(void *arg)
{
    struct eider_worker *w = arg;

    if (w->glue.slot != NULL)
        w->glue.slot->connections = w->conns.count;
    if (w->accept_paused && !w->glue.draining && w->conns.count < (size_t)w->cfg->worker_connections)
        set_accepting(w, 1);
}

/* Some of the answer bytes held for slow clients were written or
 * dropped: requests held for them may go on. */
static void on_send_freed(void *arg)
{
    struct eider_worker *w = arg;

    if (!TAILQ_EMPTY(&w->glue.parked) && w->unpark != NULL && !eider_http_send_buffer_full(&w->glue))
        event_active(w->unpark, EV_TIMEOUT, 1);
}

static void on_unpark(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    eider_http_unpark(&((struct eider_worker *)arg)->glue);
}

static long long ms_until(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (t->tv_sec - now.tv_sec) * 1000LL + (t->tv_nsec - now.tv_nsec) / 1000000;
}

static void shorten_fuse(struct eider_gate *g, void *arg)
{
    (void)arg;
    eider_gate_shorten(g, DRAIN_IDLE_FUSE);
}

/* Runs every 100 ms while draining: leave when nothing is left. */
static void on_drain_tick(evutil_socket_t fd, short what, void *arg)
{
    struct eider_worker *w = arg;
    long long left = ms_until(&w->drain_deadline);
    long long elapsed = (long long)w->cfg->worker_shutdown_timeout * 1000 - left;

    (void)fd, (void)what;
    if ((w->glue.inflight == 0 && w->conns.count == 0 && elapsed >= DRAIN_MIN_MS) || left <= 0) {
        if (left <= 0)
            eider_log(EIDER_LOG_WARN, "worker_shutdown_timeout: closing %zu connection%s, "
                      "%d request%s unanswered", w->conns.count, w->conns.count == 1 ? "" : "s",
                      w->glue.inflight, w->glue.inflight == 1 ? "" : "s");
        event_base_loopexit(w->base, NULL);
    }
}

static void start_drain(struct eider_worker *w)
{
    struct timeval tick = { 0, 100 * 1000 };

    if (w->glue.draining)
        return;
    w->glue.draining = 1;
    for (int i = 0; i < w->nlisteners; i++) {
        if (w->listeners[i].bound != NULL)
            evhttp_del_accept_socket(w->listeners[i].http, w->listeners[i].bound);
        w->listeners[i].bound = NULL;
    }
    eider_conns_foreach(&w->conns, shorten_fuse, NULL);
    clock_gettime(CLOCK_MONOTONIC, &w->drain_deadline);
    w->drain_deadline.tv_sec += w->cfg->worker_shutdown_timeout;
    w->drain_timer = event_new(w->base, -1, EV_PERSIST, on_drain_tick, w);
    event_add(w->drain_timer, &tick);
}

/* The master that forked this worker: a TERM while getppid() no longer
 * names it is PR_SET_PDEATHSIG's, the master having died (kill -9, a
 * crash) without telling us. */
static pid_t master_pid;

/* Handles the signals (dispatched by the event loop, not a handler): QUIT
 * and TERM drain, INT stops now, USR1 reopens the logs. */
static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    struct eider_worker *w = arg;

    (void)what;
    switch (sig) {
    case SIGQUIT:
    case SIGTERM:
        if (getppid() != master_pid)
            eider_log(EIDER_LOG_ERROR, "master (pid %ld) is gone: worker stops accepting, "
                      "finishes its open requests (up to worker_shutdown_timeout %ds) and exits",
                      (long)master_pid, w->cfg->worker_shutdown_timeout);
        else
            eider_log(EIDER_LOG_DEBUG, "worker draining (%s)", sig == SIGQUIT ? "QUIT" : "TERM");
        start_drain(w);
        break;
    case SIGINT:
        event_base_loopexit(w->base, NULL);
        break;
    case SIGUSR1:
        eider_log_reopen();
        break;
    }
}

static void on_flush(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    eider_access_flush();
}

/* The one way a worker fails to start: WHAT could not be done (and WHY,
 * if not NULL) is logged at crit level and the worker exits 1; the master
 * logs the death and replaces it, or fails the start if none ever
 * served. */
static void worker_fail(const char *what, const char *why) __attribute__((noreturn));
static void worker_fail(const char *what, const char *why)
{
    eider_log(EIDER_LOG_CRIT, "worker cannot %s%s%s", what, why ? ": " : "", why ? why : "");
    exit(1);
}

/* An evhttp for listener L, with the limits from the config. */
static struct evhttp *new_http(struct eider_worker *w, struct eider_listener *l)
{
    const struct eider_config *cfg = w->cfg;
    struct evhttp *http = evhttp_new(w->base);

    if (http == NULL)
        worker_fail("create its HTTP server", NULL);
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST
                               | EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE
                               | EVHTTP_REQ_OPTIONS);
    /* The gate enforces these first and answers with eider's errors;
     * evhttp's own checks stay as a second line. */
    evhttp_set_max_headers_size(http, (ev_ssize_t)cfg->client_max_header_size + 1024);
    evhttp_set_max_body_size(http, (ev_ssize_t)cfg->client_max_body_size);
    /* The gate times heads and bodies (408); evhttp's timeout is only a
     * backstop behind it, so that it never closes first. */
    evhttp_set_timeout(http, (cfg->client_header_timeout > cfg->client_body_timeout
                              ? cfg->client_header_timeout : cfg->client_body_timeout) + 10);
    /* Like Node, no Content-Type unless the handler sets one. */
    evhttp_set_default_content_type(http, NULL);
    evhttp_set_gencb(http, eider_http_dispatch, l);
    evhttp_set_bevcb(http, eider_gate_bevcb, l);
    return http;
}

static const struct timeval *common_timeout(struct event_base *base, int seconds)
{
    struct timeval tv = { seconds, 0 };
    return event_base_init_common_timeout(base, &tv);
}

/* The worker's event loop. With epoll's changelist, the changes one turn
 * of the loop makes to a socket's interest (evhttp turns reading off and
 * on again around every request) cost one epoll_ctl at most, made just
 * before the next epoll_wait, instead of one each (strace: 4 epoll_ctl
 * per keep-alive request without it). eider never dup()s a socket it
 * watches, the changelist's one caveat. NULL on failure. */
static struct event_base *new_base(void)
{
    struct event_config *ec = event_config_new();
    struct event_base *base;

    if (ec == NULL)
        return NULL;
    event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    base = event_base_new_with_config(ec);
    event_config_free(ec);
    return base;
}

/* One evhttp per listener on the inherited sockets (fds[i] is
 * cfg->listens[i]): evhttp makes every connection's bufferevent the same
 * way, and the gate needs to know the listener's options. */
static void setup_http(struct eider_worker *w, const int *fds, int nfds)
{
    struct eider_conns *c = &w->conns;

    c->cfg = w->cfg;
    c->slot = w->glue.slot;
    w->glue.base = w->base;
    w->glue.cfg = w->cfg;
    w->glue.conns = c;
    w->glue.status_answer = eider_status_answer;
    c->header_tv = common_timeout(w->base, w->cfg->client_header_timeout);
    c->body_tv = common_timeout(w->base, w->cfg->client_body_timeout);
    c->proxy_tv = common_timeout(w->base, w->cfg->proxy_protocol_timeout);
    c->send_tv = common_timeout(w->base, w->cfg->send_timeout);
    c->hooks = (struct eider_conn_hooks){ .opened = on_connection_opened,
                                          .closed = on_connection_closed,
                                          .idle = on_connection_idle,
                                          .send_freed = on_send_freed, .arg = w };
    for (int i = 0; i < nfds && i < EIDER_MAX_LISTENERS; i++) {
        struct eider_listener *l = &w->listeners[w->nlisteners++];
        l->glue = &w->glue;
        l->conns = c;
        l->cfg = &w->cfg->listens[i];
        /* Once: the sinks are those the master opened for this config. */
        l->access_sink = eider_access_sink(l->cfg->access_log);
        l->http = new_http(w, l);
        l->bound = evhttp_accept_socket_with_handle(l->http, fds[i]);
        if (l->bound == NULL) {
            char what[64];
            snprintf(what, sizeof(what), "accept on socket %d", fds[i]);
            worker_fail(what, strerror(errno));
        }
    }
}

/* The signals a worker handles on its loop (on_signal). */
static const int worker_signals[] = { SIGQUIT, SIGTERM, SIGINT, SIGUSR1 };
#define NWORKER_SIGNALS (sizeof(worker_signals) / sizeof(worker_signals[0]))

/* The loop's own events, made by worker_init, freed by worker_cleanup. */
struct worker_events {
    struct event *sig[NWORKER_SIGNALS];
    struct event *flush;          /* the access log, every 200 ms */
};

/* Setup: TLS from what the master read, then no more privileges, the
 * master's death watched, the event loop, the language runtime, one evhttp
 * per listener, and the loop's events. Exits through worker_fail. */
static void worker_init(struct eider_worker *w, const struct eider_worker_args *args,
                        struct worker_events *ev)
{
    struct timeval flush_every = { 0, 200 * 1000 };
    char err[1024];

    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    w->cfg = args->cfg;
    w->glue.router = args->router;
    w->glue.slot = args->slot;
    w->glue.board = args->board;
    w->conns.nidle_out = w->glue.slot != NULL ? &w->glue.slot->idle : NULL;   /* status: idle connections */
    w->glue.rt_ops = &eider_js_runtime;
    LIST_INIT(&w->glue.waiting);
    TAILQ_INIT(&w->glue.parked);
    w->conns.id_state = random_seed();
    /* From the certificate and key the master read (the key is usually
     * readable by root only). */
    if (eider_tls_wanted(w->cfg)
        && (w->conns.tls = eider_tls_server_ctx(w->cfg, args->sources, err, sizeof(err))) == NULL)
        worker_fail("start", err);
    /* Then no worker code runs privileged. The handlers compile from the
     * texts the master read, so they need no access to disk. */
    if (eider_drop_privileges(w->cfg, err, sizeof(err)) < 0)
        worker_fail("start", err);
    /* If the master dies without telling us, don't serve orphaned. Set
     * after setuid(), which clears it; then check we weren't orphaned in
     * between. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    master_pid = getppid();
    if (master_pid == 1) {
        eider_log(EIDER_LOG_ERROR, "master is gone before this worker started: exiting");
        exit(1);
    }
    if ((w->base = new_base()) == NULL)
        worker_fail("create its event loop", NULL);
    struct eider_runtime_env env = { .cfg = w->cfg, .router = w->glue.router,
                                     .sources = args->sources, .base = w->base,
                                     .lower = eider_lower_one };
    if ((w->glue.rt = w->glue.rt_ops->create(&env, err, sizeof(err))) == NULL)
        worker_fail("start", err);
    setup_http(w, args->fds, args->nfds);
    for (size_t i = 0; i < NWORKER_SIGNALS; i++) {
        ev->sig[i] = evsignal_new(w->base, worker_signals[i], on_signal, w);
        event_add(ev->sig[i], NULL);
    }
    w->unpark = event_new(w->base, -1, 0, on_unpark, w);
    ev->flush = event_new(w->base, -1, EV_PERSIST, on_flush, NULL);
    event_add(ev->flush, &flush_every);
}

/* Teardown, once the loop has ended: what a handler left waiting is
 * closed (its access log line written), then the listeners, TLS, events,
 * connections, the runtime and the loop are freed. */
static void worker_cleanup(struct eider_worker *w, struct worker_events *ev)
{
    /* Before evhttp_free, which would not free them: exchanges a handler
     * left waiting (at worker_shutdown_timeout, or on INT). Their access
     * log lines go out with the flush below. */
    eider_http_close_waiting(&w->glue);
    eider_access_flush();
    w->glue.draining = 1;   /* closing connections must not resume accepting */
    for (int i = 0; i < w->nlisteners; i++) {
        w->listeners[i].bound = NULL;
        evhttp_free(w->listeners[i].http);
    }
    if (w->conns.tls != NULL)
        SSL_CTX_free(w->conns.tls);
    for (size_t i = 0; i < NWORKER_SIGNALS; i++)
        event_free(ev->sig[i]);
    event_free(ev->flush);
    if (w->drain_timer)
        event_free(w->drain_timer);
    if (w->unpark)
        event_free(w->unpark);
    eider_conns_free(&w->conns);
    w->glue.rt_ops->destroy(w->glue.rt);
    event_base_free(w->base);
}

void eider_worker_run(const struct eider_worker_args *args)
{
    struct eider_worker *w = &worker;
    struct worker_events ev;

    worker_init(w, args, &ev);
    if (args->ready_fd >= 0) {
        ssize_t n = write(args->ready_fd, "R", 1);
        (void)n;   /* the master also notices a worker that dies instead */
        close(args->ready_fd);
    }
    eider_log(EIDER_LOG_INFO, "worker started, %zu handler%s", eider_router_count(w->glue.router),
              eider_router_count(w->glue.router) == 1 ? "" : "s");
    event_base_dispatch(w->base);
    worker_cleanup(w, &ev);
    exit(0);
}
