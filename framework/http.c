/*
 * Layering: the HTTP glue (see http.h): above the connection layer and
 * http_answer.c, below the worker and the status endpoint.
 *
 * evhttp glue. Dispatch turns an evhttp request into an eider_exchange,
 * routes it and hands it to the runtime; the send functions below are the
 * only place responses leave, so the access log sees every one of them.
 */
#include "http.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <sys/queue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "config.h"
#include "gate.h"
#include "http_answer.h"
#include "log.h"
#include "proxy.h"
#include "scoreboard.h"
#include "tls.h"
#include "conns.h"
#include "scoreboard.h"

const char *const eider_method_names[EIDER_NMETHODS] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"
};

static int method_of(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET:     return EIDER_GET;
    case EVHTTP_REQ_HEAD:    return EIDER_HEAD;
    case EVHTTP_REQ_POST:    return EIDER_POST;
    case EVHTTP_REQ_PUT:     return EIDER_PUT;
    case EVHTTP_REQ_PATCH:   return EIDER_PATCH;
    case EVHTTP_REQ_DELETE:  return EIDER_DELETE;
    case EVHTTP_REQ_OPTIONS: return EIDER_OPTIONS;
    default:                 return -1;
    }
}

static const char *reason_for(const struct eider_exchange *ex)
{
    return ex->reason[0] ? ex->reason : eider_http_reason(ex->status);
}

/* The access log line of EX, in its listener's access log. Runs just
 * before the answer is handed to evhttp, which may free the request at
 * once (client gone). */
static void access_log(struct eider_exchange *ex)
{
    int sink = ex->listener->access_sink;
    struct evkeyvalq *in;
    struct timespec now;
    char request[2048];

    if (!eider_access_enabled(sink))
        return;
    in = evhttp_request_get_input_headers(ex->req);
    clock_gettime(CLOCK_MONOTONIC, &now);
    snprintf(request, sizeof(request), "%s %s HTTP/%d.%d",
             ex->method == (enum eider_method)-1 ? "-" : eider_method_names[ex->method],
             evhttp_request_get_uri(ex->req), ex->req->major, ex->req->minor);
    eider_answer_log_line(sink, ex->peer, request, ex->status, ex->body_bytes, evhttp_find_header(in, "Referer"),
             evhttp_find_header(in, "User-Agent"),
             (double)(now.tv_sec - ex->start.tv_sec) + (now.tv_nsec - ex->start.tv_nsec) / 1e9,
             ex->id);
}

/* A request arrives: counted, on the scoreboard, and told to close its
 * connection when the worker drains or it is the last one keepalive_requests
 * allows on its connection G (NULL: none). */
static void request_started(struct eider_http *h, struct evhttp_request *req, struct eider_gate *g,
                            const char *id, const char *method, const char *target)
{
    int last = g != NULL && eider_gate_dispatched(g);

    h->inflight++;
    eider_slot_begin(h->slot, id, method, target);
    if (h->draining || last)
        evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
}

/* Its answer is complete: off the scoreboard, with the heap's size. */
static void request_done(struct eider_http *h, int status)
{
    h->inflight--;
    eider_slot_end(h->slot, status);
    if (h->slot != NULL)
        h->slot->heap_bytes = h->rt_ops->heap_bytes(h->rt);
}

int eider_http_send_buffer_full(const struct eider_http *h)
{
    size_t max = h->cfg->worker_max_send_buffer;

    return max != 0 && h->conns->send_buffered >= max;
}

/* The answer is complete and about to leave: log it and free the
 * scoreboard slot now, before the client can see it (the handler may run
 * on a little, but the worker serves nothing any more). */
static void account(struct eider_exchange *ex)
{
    access_log(ex);
    eider_slot_observe(ex->glue->slot, &ex->start,
                       evbuffer_get_length(evhttp_request_get_input_buffer(ex->req)), ex->body_bytes);
    request_done(ex->glue, ex->status);
}

/* Adds ex, left unanswered by its handler, to the worker's waiting list,
 * so that a worker leaving its loop still finds it to free. */
static void waiting_add(struct eider_exchange *ex)
{
    LIST_INSERT_HEAD(&ex->glue->waiting, ex, wait_link);
    ex->waiting = 1;
}

/* Takes ex off the waiting list, if it is on it. */
static void waiting_remove(struct eider_exchange *ex)
{
    if (!ex->waiting)
        return;
    LIST_REMOVE(ex, wait_link);
    ex->waiting = 0;
}

/* Holds EX, routed to its handler, at the end of the worker's parked
 * list: its answer would only add to what slow clients leave unread.
 * request_timeout runs meanwhile (503 if it runs out). */
static void park(struct eider_exchange *ex)
{
    struct eider_http *h = ex->glue;
    static time_t logged;
    time_t now = time(NULL);

    if (now != logged) {   /* at most once a second, under an attack */
        logged = now;
        eider_log(EIDER_LOG_WARN, "worker_max_send_buffer (%zu bytes) reached by answers clients "
                  "have not read: new requests wait until they read, or send_timeout closes them",
                  h->cfg->worker_max_send_buffer);
    }
    ex->parked = 1;
    TAILQ_INSERT_TAIL(&h->parked, ex, park_link);
}

/* Takes EX off the parked list, if it is on it. */
static void unpark_remove(struct eider_exchange *ex)
{
    if (!ex->parked)
        return;
    TAILQ_REMOVE(&ex->glue->parked, ex, park_link);
    ex->parked = 0;
}

/* Frees ex once answered (or at worker exit), telling the runtime first so
 * that JS objects bound to it let go. */
static void release(struct eider_exchange *ex)
{
    struct eider_http *h = ex->glue;

    struct eider_gate *g = eider_gate_find(ex->listener, ex->gate_bev, ex->gate_serial);

    if (g != NULL)
        eider_gate_drain_cancel(g, ex);
    waiting_remove(ex);
    unpark_remove(ex);
    h->rt_ops->release(h->rt, ex);
    if (ex->timeout != NULL)
        event_free(ex->timeout);
    eider_match_clear(&ex->match);
    free(ex);
}

/* The answer has been handed to evhttp: forget the request, and free the
 * exchange unless a handler call for it is still on the stack. */
static void answered(struct eider_exchange *ex)
{
    struct eider_gate *g = eider_gate_find(ex->listener, ex->gate_bev, ex->gate_serial);

    if (g != NULL)
        eider_gate_answered(g);
    ex->done = 1;
    ex->req = NULL;
    if (!ex->in_handler)
        release(ex);
}

/* Moves the last header of OUT to its front. */
static void to_front(struct evkeyvalq *out)
{
    struct evkeyval *kv = TAILQ_LAST(out, evkeyvalq);

    TAILQ_REMOVE(out, kv, next);
    TAILQ_INSERT_HEAD(out, kv, next);
}

struct evkeyvalq *eider_http_headers(struct eider_exchange *ex)
{
    struct evkeyvalq *out = evhttp_request_get_output_headers(ex->req);

    /* Where dispatch would have put them: first, id then date. */
    if (ex->own_headers) {
        ex->own_headers = 0;
        evhttp_add_header(out, "Date", eider_http_date());
        to_front(out);
        evhttp_add_header(out, "X-Request-Id", ex->id);
        to_front(out);
    }
    return out;
}

/* The answer's header list for a writer other than eider_answer_head
 * (evhttp's, eider call's capture): eider's own lines and TYPE (NULL:
 * none) put in it as eider_answer_head would write them. */
static struct evkeyvalq *headers_with(struct eider_exchange *ex, const char *type)
{
    struct evkeyvalq *out = eider_http_headers(ex);

    if (type != NULL && evhttp_find_header(out, "Content-Type") == NULL)
        evhttp_add_header(out, "Content-Type", type);
    return out;
}

/* The answer through evhttp_send_reply, for a connection without a gate
 * (allocating one failed). BODY is LEN bytes or NULL for none. */
static void send_through_evhttp(struct eider_exchange *ex, const char *type, const void *body,
                                size_t len, size_t content_length)
{
    struct evkeyvalq *headers = headers_with(ex, type);
    char clen[24];

    if (body != NULL)
        evbuffer_add(evhttp_request_get_output_buffer(ex->req), body, len);
    snprintf(clen, sizeof(clen), "%zu", content_length);
    evhttp_remove_header(headers, "Content-Length");
    evhttp_add_header(headers, "Content-Length", clen);
    evhttp_send_reply(ex->req, ex->status, reason_for(ex), NULL);
}

void eider_http_send(struct eider_exchange *ex, int status, const void *body, size_t len)
{
    eider_http_send_typed(ex, status, NULL, body, len);
}

void eider_http_send_typed(struct eider_exchange *ex, int status, const char *type,
                           const void *body, size_t len)
{
    struct eider_gate *g;
    struct eider_answer_head head;
    struct eider_answer_own own = { NULL, NULL, type };
    size_t content_length = len;

    if (ex->done || ex->head_sent)
        return;
    ex->status = status;
    /* HEAD answers carry GET's length and no body; 204 and 304 no body. */
    if (body == NULL || ex->method == EIDER_HEAD || !eider_answer_body_allowed(status))
        body = NULL, len = 0;
    ex->body_bytes = len;
    ex->head_sent = 1;
    account(ex);
    g = eider_gate_find(ex->listener, ex->gate_bev, ex->gate_serial);
    if (ex->own_headers) {
        own.id = ex->id;
        own.date = eider_http_date();
    }
    if (ex->glue->capture != NULL) {
        headers_with(ex, type);
        eider_capture_head(ex->glue->capture, ex->req, status, reason_for(ex), 0, content_length);
        eider_capture_body(ex->glue->capture, body, len);
        eider_capture_end(ex->glue->capture, ex->req);
    } else if (g != NULL
               && eider_answer_head(&head, ex->req, status, reason_for(ex), &own, content_length) == 0) {
        eider_gate_answer(g, ex->req, head.data, head.len, body, len);
        eider_answer_head_free(&head);
    } else {
        send_through_evhttp(ex, type, body, len, content_length);
    }
    answered(ex);
}

/* Whether the streamed chunks of EX's answer reach the client: evhttp
 * drops them for HEAD and for 1xx, 204 and 304 (no body by RFC 9110). */
static int carries_body(const struct eider_exchange *ex)
{
    return ex->method != EIDER_HEAD && eider_answer_body_allowed(ex->status);
}

void eider_http_start_chunked(struct eider_exchange *ex)
{
    if (ex->head_sent || ex->done)
        return;
    ex->head_sent = 1;
    ex->chunked = 1;
    eider_http_headers(ex);
    if (ex->glue->capture != NULL)
        eider_capture_head(ex->glue->capture, ex->req, ex->status, reason_for(ex), 1, 0);
    else
        evhttp_send_reply_start(ex->req, ex->status, reason_for(ex));
}

/* The gate's drain call (eider_gate_drain_to), ARG the exchange. */
static void on_drained(void *arg)
{
    eider_http_drained(arg);
}

int eider_http_write_chunk(struct eider_exchange *ex, const void *data, size_t len)
{
    struct evbuffer *buf;
    struct eider_gate *g;

    if (ex->done || len == 0)
        return 1;
    eider_http_start_chunked(ex);
    if (ex->glue->capture != NULL) {
        eider_capture_body(ex->glue->capture, data, len);
        ex->body_bytes += carries_body(ex) ? len : 0;
        return 1;
    }
    /* The buffer is eider's (alloc.h's policy); the copy's size is the
     * handler's, so its failure fails this one write, said in the log. */
    if ((buf = evbuffer_new()) == NULL)
        eider_oom(len);
    if (evbuffer_add(buf, data, len) == 0)
        evhttp_send_reply_chunk(ex->req, buf);
    else
        eider_log(EIDER_LOG_ERROR, "request %s: out of memory for a chunk of %zu bytes; "
                  "the answer is missing it", ex->id, len);
    evbuffer_free(buf);
    ex->body_bytes += carries_body(ex) ? len : 0;
    g = eider_gate_find(ex->listener, ex->gate_bev, ex->gate_serial);
    if (g == NULL || (eider_gate_unsent(g) <= EIDER_WRITE_HIGH_WATER
                      && !eider_http_send_buffer_full(ex->glue)))
        return 1;
    eider_gate_drain_to(g, on_drained, ex);
    return 0;
}

void eider_http_drained(struct eider_exchange *ex)
{
    if (!ex->done)
        ex->glue->rt_ops->drain(ex->glue->rt, ex);
}

void eider_http_end_chunked(struct eider_exchange *ex, const void *data, size_t len)
{
    struct eider_gate *g;

    if (ex->done)
        return;
    eider_http_write_chunk(ex, data, len);
    eider_http_start_chunked(ex);
    account(ex);
    if (ex->glue->capture != NULL) {
        eider_capture_end(ex->glue->capture, ex->req);
        answered(ex);
        return;
    }
    g = ex->req->chunked ? NULL : eider_gate_find(ex->listener, ex->gate_bev, ex->gate_serial);
    if (g != NULL && eider_gate_output_is_early(g))
        eider_gate_end_when_written(g, ex->req);
    else
        evhttp_send_reply_end(ex->req);
    answered(ex);
}

static void on_request_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct eider_exchange *ex = arg;

    (void)fd, (void)what;
    if (ex->parked) {
        eider_log(EIDER_LOG_WARN, "request %s: waited request_timeout (%ds) for slow clients to "
                  "read (worker_max_send_buffer); answering 503", ex->id,
                  ex->glue->cfg->request_timeout);
        evhttp_add_header(evhttp_request_get_output_headers(ex->req), "Retry-After", "1");
        eider_http_error(ex, 503);
        return;
    }
    eider_log(EIDER_LOG_WARN, "request %s: no answer within request_timeout (%ds); answering 504",
              ex->id, ex->glue->cfg->request_timeout);
    eider_http_error(ex, 504);
}

void eider_http_handler_returned(struct eider_exchange *ex)
{
    struct eider_http *h = ex->glue;
    struct timeval tv = { h->cfg->request_timeout, 0 };

    ex->in_handler = 0;
    if (ex->done) {
        release(ex);
        return;
    }
    if (!ex->waiting)
        waiting_add(ex);
    if (ex->timeout == NULL) {
        if ((ex->timeout = evtimer_new(h->base, on_request_timeout, ex)) == NULL)
            eider_oom(event_get_struct_event_size());   /* alloc.h's policy */
        evtimer_add(ex->timeout, &tv);
    }
}

void eider_http_close_waiting(struct eider_http *h)
{
    struct eider_exchange *ex;

    while ((ex = LIST_FIRST(&h->waiting)) != NULL) {
        if (!ex->head_sent) {
            struct evkeyvalq *out = evhttp_request_get_output_headers(ex->req);
            evhttp_remove_header(out, "Connection");
            evhttp_add_header(out, "Connection", "close");
        }
        eider_http_error(ex, 503);
        if (LIST_FIRST(&h->waiting) == ex)   /* not released by the answer: still free it */
            release(ex);
    }
}

/* Runs EX's handler (routed, its method allowed). */
static void run_handler(struct eider_exchange *ex)
{
    struct eider_http *h = ex->glue;

    h->rt_ops->handle(h->rt, ex);
    /* libevent times events from the time cached when the loop woke;
     * after a long handler that is stale, and timeouts armed now would
     * fire before the answer is written. */
    event_base_update_cache_time(h->base);
}

void eider_http_unpark(struct eider_http *h)
{
    struct eider_exchange *ex;

    while ((ex = TAILQ_FIRST(&h->parked)) != NULL && !eider_http_send_buffer_full(h)) {
        unpark_remove(ex);
        /* request_timeout starts afresh for the handler. */
        if (ex->timeout != NULL) {
            event_free(ex->timeout);
            ex->timeout = NULL;
        }
        ex->in_handler = 1;
        if (eider_gate_find(ex->listener, ex->gate_bev, ex->gate_serial) == NULL)
            eider_http_error(ex, 503);   /* the client left while it waited */
        else
            run_handler(ex);
        eider_http_handler_returned(ex);
    }
}

const char *eider_http_peer(struct eider_exchange *ex)
{
    return ex->peer;
}

struct evbuffer *eider_http_body(struct eider_exchange *ex)
{
    return evhttp_request_get_input_buffer(ex->req);
}

/* Checks evhttp 2.1 leaves out (RFC 9112): no control bytes or spaces in
 * the request target, no control bytes in header values, and exactly one
 * Host in an HTTP/1.1 request. Returns 1 if the request must get 400.
 * Only for a connection without a gate: the gate's validator refuses all
 * of these before evhttp sees the request. */
static int malformed(struct evhttp_request *req)
{
    const unsigned char *u = (const unsigned char *)evhttp_request_get_uri(req);
    struct evkeyval *kv;
    int hosts = 0;

    for (; *u; u++)
        if (*u <= 0x20 || *u == 0x7f)
            return 1;
    TAILQ_FOREACH(kv, evhttp_request_get_input_headers(req), next) {
        for (const unsigned char *v = (const unsigned char *)kv->value; *v; v++)
            if ((*v < 0x20 && *v != '\t') || *v == 0x7f)
                return 1;
        hosts += evutil_ascii_strcasecmp(kv->key, "Host") == 0;
    }
    return req->major == 1 && req->minor >= 1 && hosts != 1;
}

/* A request in absolute form (RFC 9112 3.2.2: GET http://host/path):
 * eider is an origin server, not a proxy, so it answers it like the
 * origin form, with the target's authority in place of any Host header
 * (which the RFC says to ignore then). evhttp takes the form for a proxy
 * request and would close the connection after the answer without
 * saying so, losing any request pipelined behind it. */
static void absolute_to_origin(struct evhttp_request *req, const struct evhttp_uri *uri)
{
    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    const char *host = uri != NULL ? evhttp_uri_get_host(uri) : NULL;
    int port = uri != NULL ? evhttp_uri_get_port(uri) : -1;
    char authority[300];

    if (host == NULL)
        return;
    req->flags &= ~EVHTTP_PROXY_REQUEST;
    /* evhttp drops an IPv6 literal's brackets. */
    snprintf(authority, sizeof(authority), strchr(host, ':') ? "[%s]" : "%s", host);
    if (port >= 0)
        snprintf(authority + strlen(authority), sizeof(authority) - strlen(authority), ":%d", port);
    evhttp_remove_header(in, "Host");
    evhttp_add_header(in, "Host", authority);
}

/* The Allow header value for a method mask, in eider_method order. */
static void allow_header(unsigned mask, char *buf, size_t len)
{
    size_t n = 0;

    buf[0] = '\0';
    for (int m = 0; m < EIDER_NMETHODS; m++)
        if (mask & (1u << m))
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", eider_method_names[m]);
}

void eider_http_dispatch(struct evhttp_request *req, void *arg)
{
    struct eider_listener *l = arg;
    struct eider_http *h = l->glue;
    struct eider_gate *g = eider_gate_of(l, evhttp_request_get_connection(req));
    struct eider_exchange *ex = eider_calloc(1, sizeof(*ex));
    const char *status_path;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    int method = method_of(evhttp_request_get_command(req));
    unsigned mask;

    ex->req = req;
    ex->glue = h;
    ex->listener = l;
    ex->gate_bev = g != NULL ? g->bev : NULL;
    ex->gate_serial = g != NULL ? g->serial : 0;
    ex->status = 200;
    ex->match.handler = -1;
    ex->in_handler = 1;   /* until this function is done with it */
    clock_gettime(CLOCK_MONOTONIC, &ex->start);
    eider_conns_next_id(h->conns, ex->id);
    if (g != NULL)
        eider_gate_peer(g, ex->peer, sizeof(ex->peer));
    else
        snprintf(ex->peer, sizeof(ex->peer), "-");
    ex->https = l->cfg->ssl;
    eider_proxy_resolve(h->cfg, evhttp_request_get_input_headers(req), ex->peer, sizeof(ex->peer),
                        &ex->https);
    ex->own_headers = 1;   /* X-Request-Id and Date: written with the head */
    absolute_to_origin(req, uri);
    ex->method = (enum eider_method)method;
    ex->path = uri ? evhttp_uri_get_path(uri) : NULL;
    ex->query = uri ? evhttp_uri_get_query(uri) : NULL;
    request_started(h, req, g, ex->id, method < 0 ? "-" : eider_method_names[method],
                               evhttp_request_get_uri(req));
    if (method < 0) {
        eider_http_error(ex, 501);
    } else if (ex->path == NULL || ex->path[0] != '/' || (g == NULL && malformed(req))) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
        eider_http_error(ex, 400);
    } else if (h->status_answer != NULL
               && (status_path = l->cfg->status_path ? l->cfg->status_path : h->cfg->status_path) != NULL
               && strcmp(status_path, "off") != 0 && strcmp(ex->path, status_path) == 0) {
        h->status_answer(ex);
    } else if (eider_router_match(h->router, ex->path, strlen(ex->path), &ex->match) < 0) {
        eider_http_error(ex, 404);
    } else if (!((mask = h->rt_ops->methods(h->rt, ex->match.handler)) & (1u << method))) {
        char allow[128];
        allow_header(mask, allow, sizeof(allow));
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
        eider_http_error(ex, 405);
    } else if (!TAILQ_EMPTY(&h->parked) || eider_http_send_buffer_full(h)) {
        park(ex);   /* behind those already waiting */
    } else {
        run_handler(ex);
    }
    eider_http_handler_returned(ex);
}

void eider_http_error_json(struct eider_exchange *ex, int status, const char *body, size_t len)
{
    struct evkeyvalq *out;

    if (ex->done)
        return;
    if (ex->head_sent) {
        /* Too late for a status: end what was started. */
        eider_http_end_chunked(ex, NULL, 0);
        return;
    }
    out = evhttp_request_get_output_headers(ex->req);
    ex->reason[0] = '\0';
    evhttp_remove_header(out, "Content-Type");
    evhttp_add_header(out, "Content-Type", "application/json");
    eider_http_send(ex, status, body, len);
}

void eider_http_error(struct eider_exchange *ex, int status)
{
    char body[160];
    int n = eider_http_error_body(status, ex->id, body, sizeof(body));

    eider_http_error_json(ex, status, body, (size_t)n);
}
