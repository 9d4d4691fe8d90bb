/*
 * The worker life cycle: set up the loop, the JS runtime and evhttp on the
 * listening sockets the master bound, serve until a signal says stop.
 * Signals are events on the loop (libevent's evsignal), so handlers never
 * run in signal context.
 */
#include "worker.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/http.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "router.h"

static struct eider_worker worker;

/* splitmix64: cheap, and distinct streams per worker from a random seed. */
void eider_worker_next_id(struct eider_worker *w, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t z = (w->id_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int i = 15; i >= 0; i--, z >>= 4)
        out[i] = hex[z & 15];
    out[16] = '\0';
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

static void on_stop(evutil_socket_t sig, short what, void *arg)
{
    struct eider_worker *w = arg;
    (void)what;
    /* Stop accepting; evhttp_free below closes idle connections. A later
     * issue drains in-flight requests here before leaving the loop. */
    eider_log(EIDER_LOG_DEBUG, "worker got signal %d, stopping", (int)sig);
    event_base_loopexit(w->base, NULL);
}

static void on_reopen(evutil_socket_t sig, short what, void *arg)
{
    (void)sig, (void)what, (void)arg;
    eider_log_reopen();
}

static void on_flush(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    eider_access_flush();
}

void eider_worker_run(const struct eider_config *cfg, const struct eider_router *router,
                      const int *fds, int nfds)
{
    struct eider_worker *w = &worker;
    struct event *sig_term, *sig_quit, *sig_int, *sig_usr1, *flush;
    struct timeval flush_every = { 0, 200 * 1000 };
    char err[1024];

    /* If the master dies without telling us, don't serve orphaned. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);

    w->cfg = cfg;
    w->router = router;
    w->rt_ops = &eider_js_runtime;
    w->id_state = random_seed();
    w->rt = w->rt_ops->create(cfg, router, err, sizeof(err));
    if (w->rt == NULL) {
        eider_log(EIDER_LOG_CRIT, "worker cannot start: %s", err);
        exit(1);
    }
    w->base = event_base_new();
    w->http = evhttp_new(w->base);
    if (w->base == NULL || w->http == NULL) {
        eider_log(EIDER_LOG_CRIT, "worker cannot create its event loop");
        exit(1);
    }
    evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST
                               | EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE
                               | EVHTTP_REQ_OPTIONS);
    evhttp_set_max_headers_size(w->http, (ev_ssize_t)cfg->client_max_header_size);
    evhttp_set_max_body_size(w->http, (ev_ssize_t)cfg->client_max_body_size);
    evhttp_set_timeout(w->http, cfg->client_header_timeout);
    /* Like Node, no Content-Type unless the handler sets one. */
    evhttp_set_default_content_type(w->http, NULL);
    evhttp_set_gencb(w->http, eider_http_dispatch, w);
    for (int i = 0; i < nfds; i++) {
        if (evhttp_accept_socket_with_handle(w->http, fds[i]) == NULL) {
            eider_log(EIDER_LOG_CRIT, "worker cannot accept on socket %d: %s", fds[i], strerror(errno));
            exit(1);
        }
    }
    sig_term = evsignal_new(w->base, SIGTERM, on_stop, w);
    sig_quit = evsignal_new(w->base, SIGQUIT, on_stop, w);
    sig_int = evsignal_new(w->base, SIGINT, on_stop, w);
    sig_usr1 = evsignal_new(w->base, SIGUSR1, on_reopen, w);
    flush = event_new(w->base, -1, EV_PERSIST, on_flush, NULL);
    event_add(sig_term, NULL);
    event_add(sig_quit, NULL);
    event_add(sig_int, NULL);
    event_add(sig_usr1, NULL);
    event_add(flush, &flush_every);

    eider_log(EIDER_LOG_INFO, "worker started, %zu handler%s", eider_router_count(router),
              eider_router_count(router) == 1 ? "" : "s");
    event_base_dispatch(w->base);

    eider_access_flush();
    evhttp_free(w->http);
    event_free(sig_term);
    event_free(sig_quit);
    event_free(sig_int);
    event_free(sig_usr1);
    event_free(flush);
    w->rt_ops->destroy(w->rt);
    event_base_free(w->base);
    exit(0);
}
