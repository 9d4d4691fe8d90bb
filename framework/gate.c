/*
 * The gate (see gate.h). A connection goes through three phases: the
 * PROXY header on listeners with proxy_protocol, then HTTP (bytes run
 * through the strict validator, which hands evhttp a normalized copy),
 * then closed (everything more is discarded while an answer and the
 * close go out).
 *
 * An error the gate answers itself must not overtake answers evhttp still
 * owes for earlier requests on the connection (pipelining): it waits in
 * g->pending until evhttp has answered every request it was given.
 *
 * Layering: connection layer (see gate.h); calls down only, and up to the
 * worker through conns.h's hooks.
 */
#include "gate.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "alloc.h"
#include "config.h"
#include "conns.h"
#include "gate_read.h"
#include "gate_send.h"
#include "http_answer.h"
#include "log.h"
#include "proxy_protocol.h"
#include "scoreboard.h"
#include "tls.h"

/* A PROXY v2 header may carry TLVs; more than this is refused rather
 * than buffered (HAProxy's own recommended receive size). */
#define PROXY_HEADER_MAX EIDER_PROXY_PROTOCOL_MAX

enum { PHASE_PROXY, PHASE_HTTP, PHASE_CLOSED };

static uint64_t serials;

/* The connection layer G belongs to: its limits, timeouts, table and
 * the hooks up to the worker. */
static struct eider_conns *conns_of(const struct eider_gate *g)
{
    return g->listener->conns;
}

/* The filter's free_context: evhttp freed the connection. */
static void gate_free(void *ctx)
{
    struct eider_gate *g = ctx;
    struct eider_conns *c = conns_of(g);

    /* The bufferevent under the filter lives until the filter lets go of
     * it, just after this. */
    eider_gate_send_free(g);
    eider_conns_idle_remove(c, g);
    eider_conns_remove(c, g);
    eider_conns_tell(c, c->hooks.closed);
    if (g->timer != NULL)
        event_free(g->timer);
    if (g->later != NULL) {
        event_del(g->later);   /* it may still be due */
        eider_conns_event_give(c, g->later);
    }
    eider_gate_read_free(g);
    eider_strict_free(&g->strict);
    free(g);
}

/* A timer of G's own, on BASE, running CB: eider's own structure, so
 * alloc.h's policy (never NULL: a worker without memory is replaced). */
static struct event *own_event(struct event_base *base, event_callback_fn cb, struct eider_gate *g)
{
    struct event *ev = event_new(base, -1, 0, cb, g);

    if (ev == NULL)
        eider_oom(event_get_struct_event_size());
    return ev;
}

static void on_timer(evutil_socket_t fd, short what, void *arg);
static void on_later(evutil_socket_t fd, short what, void *arg);

/* Runs on_later for G from the loop, soon. Its event is taken from the
 * worker's spares on first need and given back once G is idle again
 * (later_release): an idle keep-alive connection holds none. */
static void later_soon(struct eider_gate *g)
{
    if (g->later == NULL) {
        g->later = eider_conns_event_take(conns_of(g));
        event_assign(g->later, bufferevent_get_base(g->under), -1, 0, on_later, g);
    }
    event_active(g->later, EV_TIMEOUT, 1);
}

/* Gives G's deferred event back if nothing is left for it to run. G is idle
 * (maybe_idle): its answers are written and ended. May run inside
 * on_later, which touches the event no more. */
static void later_release(struct eider_gate *g)
{
    if (g->later != NULL && !g->move_pending && g->drain_fn == NULL && !g->write_due
        && g->end_req == NULL && !event_pending(g->later, EV_TIMEOUT, NULL)) {
        eider_conns_event_give(conns_of(g), g->later);
        g->later = NULL;
    }
}

/* G's timer, made when first armed: an idle keep-alive connection (whose
 * wait evhttp times) holds none. */
static struct event *timer_of(struct eider_gate *g)
{
    if (g->timer == NULL)
        g->timer = own_event(bufferevent_get_base(g->under), on_timer, g);
    return g->timer;
}

/* Arms G's timer for TV (one of the worker's common timeouts). */
static void arm(struct eider_gate *g, const struct timeval *tv)
{
    if (tv != NULL) {
        event_add(timer_of(g), tv);
        g->timer_armed = 1;
    }
}

/* Disarms G's timer and frees it (a request head that comes in one read,
 * the common case, arms none); cheap when it is not armed. Not from
 * on_timer, which clears timer_armed first. */
static void disarm(struct eider_gate *g)
{
    if (g->timer_armed) {
        event_free(g->timer);
        g->timer = NULL;
        g->timer_armed = 0;
    }
}

/* Makes evhttp drop the connection, as if the client had closed it; the
 * event is deferred so that nothing is freed under a running callback. */
void eider_gate_drop(struct eider_gate *g)
{
    eider_conns_idle_remove(conns_of(g), g);
    g->phase = PHASE_CLOSED;
    g->stop = 1;
    disarm(g);
    if (g->send_timed)
        event_del(g->send_timer);
    g->send_timed = 0;
    bufferevent_trigger_event(g->bev, BEV_EVENT_EOF | BEV_EVENT_READING, BEV_TRIG_DEFER_CALLBACKS);
}

/* Puts G on the worker's idle list if it is a keep-alive connection
 * waiting for its next request with every answer out of the socket: then
 * closing it loses nothing, and it may be reclaimed at worker_connections. */
static void maybe_idle(struct eider_gate *g)
{
    struct eider_conns *c = conns_of(g);

    if (g->idle || g->phase != PHASE_HTTP || g->stop || g->closing || g->closed
        || g->passed == 0 || g->passed != g->answered || g->end_req != NULL || g->owe_written
        || g->write_due
        || eider_strict_phase(&g->strict) != EIDER_STRICT_IDLE
        || evbuffer_get_length(bufferevent_get_output(g->under)) > 0)
        return;
    eider_conns_idle_add(c, g);
    later_release(g);
    eider_conns_tell(c, c->hooks.idle);
}

/* The socket, when bytes can go to it at once: a plain socket with
 * nothing queued ahead of them. Else -1. */
static evutil_socket_t direct_fd(struct eider_gate *g)
{
    if (g->listener->cfg->ssl || evbuffer_get_length(bufferevent_get_output(g->under)) > 0)
        return -1;
    return bufferevent_getfd(g->under);
}

/* Sends SRC (evhttp's output) on to the socket. On a plain socket with
 * nothing queued it is written here and now: queued in the bufferevent,
 * it would wait for EPOLLOUT, which costs two epoll_ctl and a turn of
 * the loop per answer (strace). What the socket does not take, and
 * everything under TLS, queues in the bufferevent under the filter, which
 * also meets any error writing. */
static void push_down(struct eider_gate *g, struct evbuffer *src)
{
    evutil_socket_t fd;

    if (evbuffer_get_length(src) == 0)
        return;
    g->owe_written = 1;
    if ((fd = direct_fd(g)) >= 0) {
        evbuffer_write(src, fd);
        if (evbuffer_get_length(src) == 0) {
            eider_gate_written(g);
            return;
        }
    }
    eider_gate_send_watch(g);
    evbuffer_add_buffer(bufferevent_get_output(g->under), src);
}

/* Sends bytes eider formatted itself (IOV, N pieces), behind whatever
 * evhttp has written, the same way as push_down; evhttp expects no write
 * callback for them. */
static void send_own(struct eider_gate *g, const struct iovec *iov, int n)
{
    struct evbuffer *under_out = bufferevent_get_output(g->under);
    evutil_socket_t fd;
    size_t sent = 0;

    push_down(g, bufferevent_get_output(g->bev));
    if ((fd = direct_fd(g)) >= 0) {
        ssize_t r = writev(fd, iov, n);
        sent = r > 0 ? (size_t)r : 0;
    }
    for (int i = 0; i < n; i++) {
        if (sent >= iov[i].iov_len) {
            sent -= iov[i].iov_len;
            continue;
        }
        eider_gate_send_watch(g);
        evbuffer_add(under_out, (const char *)iov[i].iov_base + sent, iov[i].iov_len - sent);
        sent = 0;
    }
    if (evbuffer_get_length(under_out) == 0)
        eider_gate_written(g);
}

/* evhttp's side of the output. The filter would tell evhttp its answer is
 * written as soon as it has passed into the socket's buffer, and evhttp
 * then closes a "Connection: close" connection with the answer still in
 * that buffer. So the output passes down unreported (BEV_NEED_MORE), and
 * on_under_output reports it once the socket has taken all of it. */
static enum bufferevent_filter_result gate_out(struct evbuffer *src, struct evbuffer *dst,
                                               ev_ssize_t limit, enum bufferevent_flush_mode mode,
                                               void *ctx)
{
    struct eider_gate *g = ctx;

    (void)limit, (void)mode, (void)dst;
    push_down(g, src);
    return BEV_NEED_MORE;
}

/* Everything evhttp writes goes down at once, whether or not it has
 * turned writing on yet: evhttp writes an answer and only then turns
 * writing on, and its own error pages (417, 400 for a URI it cannot
 * parse) were left in the filter on a kept-alive connection, where
 * writing is off while it waits for a request. gate_out does the same
 * when the filter gets there first. */
static void on_evhttp_output(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    struct eider_gate *g = arg;

    /* Once per turn of the loop, not per header line evhttp prints. */
    if (info->n_added > 0 && evbuffer_get_length(buf) > 0 && !g->move_pending) {
        g->move_pending = 1;
        later_soon(g);
    }
}

/* An answer evhttp sends without chunking (HTTP/1.0, HEAD, or a
 * Content-Length the handler set) is complete for evhttp when its output
 * is empty, which here is at once: evhttp_send_reply_end waits for the
 * socket to take it all (eider_gate_end_when_written), and runs here,
 * outside the socket's write. */
static void on_later(evutil_socket_t fd, short what, void *arg)
{
    struct eider_gate *g = arg;
    struct evbuffer *out = bufferevent_get_output(g->bev);
    struct evbuffer *under_out = bufferevent_get_output(g->under);
    struct evhttp_request *req = g->end_req;

    (void)fd, (void)what;
    if (g->move_pending) {
        g->move_pending = 0;
        push_down(g, out);
    }
    if (req != NULL && evbuffer_get_length(under_out) == 0) {
        g->end_req = NULL;
        evhttp_send_reply_end(req);
        maybe_idle(g);
    }
    if (g->drain_fn != NULL && eider_gate_unsent(g) == 0) {
        void (*fn)(void *) = g->drain_fn;
        g->drain_fn = NULL;
        fn(g->drain_arg);   /* handler code: may write, end, or close */
    }
    /* evhttp's write callback, only while its output is really all out:
     * one deferred from an earlier chunk came after the handler had
     * ended its answer, when evhttp takes it for the end's, and closed a
     * "Connection: close" exchange with the rest unsent (a slow client
     * got 3.5 of 8 MiB). Last: evhttp may free the connection here. */
    if (g->write_due && eider_gate_unsent(g) == 0) {
        g->write_due = 0;
        bufferevent_trigger(g->bev, EV_WRITE, 0);
    }
    eider_gate_read_resume(g);   /* evhttp reads again once it has answered */
    if (g->idle)   /* it went idle before this ran */
        later_release(g);
}

/* Everything evhttp wrote is in the socket: what waited for that goes on.
 * May run inside the socket's write, so whatever may free the connection
 * is deferred. */
void eider_gate_written(struct eider_gate *g)
{
    if (g->end_req != NULL || g->drain_fn != NULL)
        later_soon(g);
    if (g->owe_written) {
        g->owe_written = 0;
        g->write_due = 1;
        later_soon(g);
    }
    if (g->closing) {
        g->closing = 0;
        eider_gate_drop(g);
    }
    maybe_idle(g);
}

/* Writes eider's JSON error answer for STATUS and closes once it is out;
 * logs it like any answer. Only when evhttp owes nothing on G; it goes
 * out behind evhttp's last answer. */
static void answer_and_close(struct eider_gate *g, int status)
{
    struct eider_conns *c = conns_of(g);
    char id[17], body[192], blen[24], peer[48];
    /* No evhttp request to hold them: a list on the stack. */
    struct evkeyval row[] = {
        { .key = "Date", .value = (char *)eider_http_date() },
        { .key = "Content-Type", .value = "application/json" },
        { .key = "Content-Length", .value = blen },
        { .key = "Connection", .value = "close" },
        { .key = "X-Request-Id", .value = id },
    };
    struct evkeyvalq headers = TAILQ_HEAD_INITIALIZER(headers);
    struct eider_answer_head head;
    int n;

    eider_conns_next_id(c, id);
    n = eider_http_error_body(status, id, body, sizeof(body));
    snprintf(blen, sizeof(blen), "%d", n);
    for (size_t i = 0; i < sizeof(row) / sizeof(row[0]); i++)
        TAILQ_INSERT_TAIL(&headers, &row[i], next);
    eider_gate_peer(g, peer, sizeof(peer));
    eider_slot_begin(c->slot, id, "-", "-");
    eider_answer_log_line(g->listener->access_sink, peer, "-", status, (size_t)n, NULL, NULL, 0.0,
                          id);
    eider_slot_end(c->slot, status);
    g->closing = 1;
    bufferevent_enable(g->under, EV_WRITE);
    /* A head this small fits in head.small: formatting it cannot fail. */
    eider_answer_format(&head, 1, status, eider_http_reason(status), NULL, &headers,
                        EIDER_ANSWER_LISTED_LENGTH);
    send_own(g, (struct iovec[]){ { head.data, head.len }, { body, (size_t)n } }, 2);
    eider_answer_head_free(&head);
}

/* Refuses the request being read with STATUS: at once if evhttp owes no
 * answer on this connection, else after it has answered. */
static void refuse(struct eider_gate *g, int status, const char *why)
{
    char peer[48];

    eider_gate_peer(g, peer, sizeof(peer));
    eider_log(EIDER_LOG_INFO, "%d to %s: %s", status, peer, why);
    /* evhttp's own read timeout would close the connection with the
     * answer still unwritten. */
    bufferevent_set_timeouts(g->bev, NULL, NULL);
    g->phase = PHASE_CLOSED;
    g->stop = 1;
    disarm(g);
    if (g->passed == g->answered)
        answer_and_close(g, status);
    else
        g->pending = status;
}

static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct eider_gate *g = arg;

    (void)fd, (void)what;
    g->timer_armed = 0;
    if (g->phase == PHASE_PROXY) {
        char peer[48];
        eider_gate_peer(g, peer, sizeof(peer));
        eider_log(EIDER_LOG_INFO, "no PROXY header from %s within proxy_protocol_timeout; closing",
                  peer);
        eider_gate_drop(g);
    } else if (g->phase == PHASE_HTTP && eider_strict_phase(&g->strict) != EIDER_STRICT_IDLE) {
        refuse(g, 408, eider_strict_phase(&g->strict) == EIDER_STRICT_HEAD
               ? "request head not complete within client_header_timeout"
               : "request body stalled longer than client_body_timeout");
    } else if (g->phase == PHASE_HTTP && g->passed == g->answered) {
        eider_gate_drop(g);   /* nothing asked: an idle connection's time is up */
    }
}

/* --- the validator's hooks --- */

/* What the validator emits during one read, gathered so that a request
 * costs evhttp's buffer one addition rather than one per line. */
struct gather {
    size_t len;
    char buf[2048];
};

static void gather_flush(struct eider_gate *g)
{
    if (g->gather != NULL && g->gather->len > 0) {
        evbuffer_add(g->dst, g->gather->buf, g->gather->len);
        g->gather->len = 0;
    }
}

static void on_emit(void *arg, const void *data, size_t len)
{
    struct eider_gate *g = arg;
    struct gather *ga = g->gather;

    if (g->stop || g->dst == NULL)
        return;
    if (ga != NULL && len <= sizeof(ga->buf) - ga->len) {
        memcpy(ga->buf + ga->len, data, len);
        ga->len += len;
        return;
    }
    gather_flush(g);
    evbuffer_add(g->dst, data, len);
}

/* A new request: its head is timed from now (read_http arms the timer
 * if the head is not complete by the end of this read). */
static void on_begin(void *arg)
{
    struct eider_gate *g = arg;

    g->head_timed = 0;
}

static void on_done(void *arg)
{
    struct eider_gate *g = arg;
    int max = conns_of(g)->cfg->keepalive_requests;

    if (g->stop)
        return;
    g->passed++;
    /* The last one this connection may send: nothing after it reaches
     * evhttp, and its answer says Connection: close (http.c). */
    if (max > 0 && g->passed >= (unsigned)max)
        g->stop = 1;
}

/* Reads the PROXY header from SRC. Returns 1 once it is read (phase HTTP),
 * 0 if more bytes are needed or the connection is being dropped. */
static int read_proxy_header(struct eider_gate *g, struct evbuffer *src)
{
    size_t have = evbuffer_get_length(src), n = have < PROXY_HEADER_MAX ? have : PROXY_HEADER_MAX;
    struct eider_proxy_header h;
    const char *why = "malformed";
    long len = eider_proxy_protocol_parse(evbuffer_pullup(src, (ev_ssize_t)n), n, &h, &why);

    if (len == 0 && have < PROXY_HEADER_MAX)
        return 0;
    if (len <= 0) {
        char peer[48];
        eider_gate_peer(g, peer, sizeof(peer));
        eider_log(EIDER_LOG_INFO, "bad PROXY header from %s (%s); closing", peer,
                  len == 0 ? "too long" : why);
        eider_gate_drop(g);
        return 0;
    }
    if (!h.local) {
        eider_proxy_protocol_addr(&h, g->peer, sizeof(g->peer));
        g->has_peer = 1;
    }
    evbuffer_drain(src, (size_t)len);
    g->phase = PHASE_HTTP;
    arm(g, conns_of(g)->header_tv);
    return 1;
}

/* Runs SRC through the validator into DST. */
static void read_http(struct eider_gate *g, struct evbuffer *src, struct evbuffer *dst)
{
    struct evbuffer_iovec v[8];
    struct gather ga;
    int n, status = 0;

    ga.len = 0;
    g->gather = &ga;
    g->dst = dst;
    while (!status && !g->stop && (n = evbuffer_peek(src, -1, NULL, v, 8)) > 0) {
        size_t used = 0;
        for (int i = 0; i < n && i < 8 && !status; i++) {
            status = eider_strict_feed(&g->strict, v[i].iov_base, v[i].iov_len);
            used += v[i].iov_len;
        }
        evbuffer_drain(src, used);
    }
    gather_flush(g);
    g->gather = NULL;
    g->dst = NULL;
    if (status) {
        refuse(g, status, eider_strict_why(&g->strict));
        return;
    }
    switch (eider_strict_phase(&g->strict)) {
    case EIDER_STRICT_HEAD:
        if (!g->head_timed) {
            arm(g, conns_of(g)->header_tv);
            g->head_timed = 1;
        }
        break;
    case EIDER_STRICT_BODY:
        arm(g, conns_of(g)->body_tv);
        break;
    case EIDER_STRICT_IDLE:
        if (g->passed > 0)
            disarm(g);
        break;
    }
}

static enum bufferevent_filter_result gate_in(struct evbuffer *src, struct evbuffer *dst,
                                              ev_ssize_t limit, enum bufferevent_flush_mode mode,
                                              void *ctx)
{
    struct eider_gate *g = ctx;
    size_t before = evbuffer_get_length(dst);

    (void)limit, (void)mode;
    eider_gate_read_take(g);
    if (g->idle)   /* the next request is coming */
        eider_conns_idle_remove(conns_of(g), g);
    if (g->phase == PHASE_PROXY)
        read_proxy_header(g, src);
    if (g->phase == PHASE_HTTP && !g->stop)
        read_http(g, src, dst);
    if (g->stop)   /* refused, closing, or past keepalive_requests */
        evbuffer_drain(src, evbuffer_get_length(src));
    return evbuffer_get_length(dst) > before ? BEV_OK : BEV_NEED_MORE;
}

/* The bufferevent under the gate's filter for listener L: the socket's,
 * or TLS on it. (PROXY under TLS would need libevent's OpenSSL filter,
 * which frees a BIO OpenSSL 3 still uses during a TLS 1.3 handshake.) */
static struct bufferevent *new_under(const struct eider_listener *l, struct event_base *base)
{
    return l->cfg->ssl ? eider_tls_bevcb(base, l->conns->tls)
                       : bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
}

struct bufferevent *eider_gate_bevcb(struct event_base *base, void *arg)
{
    struct eider_listener *l = arg;
    struct eider_conns *c = l->conns;
    struct eider_gate *g = eider_calloc(1, sizeof(*g));
    struct eider_strict_limits lim = { .max_header = c->cfg->client_max_header_size,
                                       .max_body = c->cfg->client_max_body_size };
    struct eider_strict_hooks hooks = { .emit = on_emit, .begin = on_begin, .done = on_done };

    g->listener = l;
    g->under = new_under(l, base);
    if (g->under == NULL) {
        free(g);
        return NULL;
    }
    g->bev = bufferevent_filter_new(g->under, gate_in, gate_out, BEV_OPT_CLOSE_ON_FREE, gate_free, g);
    if (g->bev == NULL) {
        bufferevent_free(g->under);
        free(g);
        return NULL;
    }
    /* From here on gate_free owns g. */
    evbuffer_add_cb(bufferevent_get_output(g->bev), on_evhttp_output, g);
    g->serial = ++serials;
    g->phase = l->cfg->proxy_protocol ? PHASE_PROXY : PHASE_HTTP;
    hooks.arg = g;
    eider_strict_init(&g->strict, &lim, &hooks);
    arm(g, g->phase == PHASE_PROXY ? c->proxy_tv : c->header_tv);
    eider_conns_add(c, g);
    eider_conns_tell(c, c->hooks.opened);
    return g->bev;
}

/* evhttp is about to free the connection (the gate goes a little later,
 * when libevent finalizes the filter): forget it. A TLS connection would
 * be closed without the close_notify alert TLS requires (RFC 8446 6.1),
 * which strict clients report as a truncation; the socket is still open
 * here to send it. */
static void on_evcon_close(struct evhttp_connection *evcon, void *arg)
{
    struct eider_gate *g = arg;
    SSL *ssl = bufferevent_openssl_get_ssl(g->under);

    (void)evcon;
    g->evcon = NULL;
    g->closed = 1;
    g->end_req = NULL;
    if (ssl != NULL && SSL_is_init_finished(ssl))
        SSL_shutdown(ssl);
}

struct eider_gate *eider_gate_of(struct eider_listener *l, struct evhttp_connection *evcon)
{
    struct eider_gate *g;

    if (evcon == NULL)
        return NULL;
    g = eider_conns_find(l->conns, evhttp_connection_get_bufferevent(evcon));
    if (g != NULL && g->evcon == NULL && !g->closed) {
        g->evcon = evcon;
        evhttp_connection_set_closecb(evcon, on_evcon_close, g);
    }
    return g;
}

struct eider_gate *eider_gate_find(struct eider_listener *l, const struct bufferevent *bev,
                                   uint64_t serial)
{
    struct eider_gate *g = eider_conns_find(l->conns, bev);

    return g != NULL && g->serial == serial && !g->closed ? g : NULL;
}

int eider_gate_output_is_early(struct eider_gate *g)
{
    return evbuffer_get_length(bufferevent_get_output(g->bev)) == 0
        && evbuffer_get_length(bufferevent_get_output(g->under)) > 0;
}

void eider_gate_answer(struct eider_gate *g, struct evhttp_request *req, const void *head,
                       size_t head_len, const void *body, size_t body_len)
{
    struct iovec iov[2] = { { (void *)head, head_len }, { (void *)body, body_len } };

    /* Ended from on_later, never under the handler that answered: evhttp
     * may free the connection there. evhttp marks a request that came
     * chunked, and would end the answer with a last chunk of its own.
     * userdone, as evhttp_send_reply would set it: evhttp frees the
     * request itself if the connection fails before then (else nobody
     * would). Writing on, as evhttp_send_reply would turn it, when some
     * of it waits: that arms the connection's timeout for a client that
     * does not read (an answer the socket took at once, the common case,
     * needs none: callgrind, ~300 instructions to arm and disarm it). */
    req->chunked = 0;
    req->userdone = 1;
    g->end_req = req;   /* eider_gate_written runs on_later once it is all out */
    send_own(g, iov, body_len > 0 ? 2 : 1);
    if (eider_gate_unsent(g) > 0)
        bufferevent_enable(g->bev, EV_WRITE);
}

size_t eider_gate_unsent(struct eider_gate *g)
{
    return evbuffer_get_length(bufferevent_get_output(g->bev))
         + evbuffer_get_length(bufferevent_get_output(g->under));
}

void eider_gate_drain_to(struct eider_gate *g, void (*fn)(void *), void *arg)
{
    g->drain_fn = fn;
    g->drain_arg = arg;
}

void eider_gate_drain_cancel(struct eider_gate *g, const void *arg)
{
    if (g->drain_arg == arg)
        g->drain_fn = NULL, g->drain_arg = NULL;
}

int eider_gate_dispatched(struct eider_gate *g)
{
    const struct eider_config *cfg = conns_of(g)->cfg;
    int max = cfg->keepalive_requests;

    g->dispatched++;
    /* evhttp has one inactivity timeout; from the first answer on, the
     * wait for the next request is the keep-alive one. (While draining
     * this answer closes the connection anyway.) */
    if (g->dispatched == 1 && g->evcon != NULL)
        evhttp_connection_set_timeout(g->evcon, cfg->keepalive_timeout);
    return max > 0 && g->dispatched >= (unsigned)max;
}

void eider_gate_end_when_written(struct eider_gate *g, struct evhttp_request *req)
{
    g->end_req = req;
}

void eider_gate_answered(struct eider_gate *g)
{
    g->answered++;
    if (g->pending && g->answered == g->passed) {
        int status = g->pending;
        g->pending = 0;
        answer_and_close(g, status);
    }
    maybe_idle(g);
    eider_gate_read_resume(g);
}

void eider_gate_reclaim(struct eider_gate *g)
{
    if (eider_log_enabled(EIDER_LOG_DEBUG)) {
        char peer[48];
        eider_gate_peer(g, peer, sizeof(peer));
        eider_log(EIDER_LOG_DEBUG, "worker_connections reached: closing the longest idle "
                  "keep-alive connection (%s) to admit a new one", peer);
    }
    eider_gate_drop(g);
}

void eider_gate_shorten(struct eider_gate *g, int seconds)
{
    struct timeval tv = { seconds, 0 };

    if (g->evcon != NULL)
        evhttp_connection_set_timeout(g->evcon, seconds);
    /* A connection that has not sent a whole request yet: its own timer,
     * which closes it if it is still idle then (and answers 408 if it is
     * in the middle of a request head). */
    if (g->phase != PHASE_CLOSED && g->passed == g->answered)
        event_add(timer_of(g), &tv);
}
