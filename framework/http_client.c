/*
 * An HTTP/1.1 and HTTPS client on a libevent loop (see http_client.h):
 * a request's life and the public API. The other concerns are in
 * http_client_url.c, http_client_conn.c and http_client_exchange.c
 * (see http_client_internal.h).
 *
 * Life of a request: hc_request_start() checks the URL and schedules
 * hc_attempt() on the loop. hc_attempt() takes an idle pooled connection
 * to the URL's origin or opens one: DNS (resolve.h; literal IPs and
 * "localhost" need none), a non-blocking connect tried on each address in
 * turn, then a socket or OpenSSL bufferevent on the connected descriptor.
 * The request is written at once; the response is fed to http-parser as
 * it arrives. At the end of the message the connection goes back to the
 * pool when both sides allow keep-alive, and a redirect schedules the
 * next attempt. One timer bounds the whole exchange. Every ending goes
 * through hc_fail() or hc_deliver(), which release everything the request
 * holds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <openssl/ssl.h>

#include "alloc.h"
#include "http_client_internal.h"

/* ------------------------------------------------------------ helpers */

/* eider_strdup() that takes NULL as "". */
char *hc_xstrdup(const char *s)
{
    return eider_strdup(s ? s : "");
}

/* Appends n bytes at `at` to the malloc'd string *s. */
int hc_append(char **s, const char *at, size_t n)
{
    size_t old = *s ? strlen(*s) : 0;
    /* Sized by what the server sent: a failure fails this fetch (alloc.h). */
    char *p = realloc(*s, old + n + 1);

    if (p == NULL)
        return -1;
    memcpy(p + old, at, n);
    p[old + n] = '\0';
    *s = p;
    return 0;
}

/* Frees an array of n headers and their strings. */
void hc_free_headers(struct hc_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
}

/* s is an RFC 9110 token (a method or header name). */
static int is_token(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s <= ' ' || *s >= 127 || strchr("\"(),/:;<=>?@[\\]{}", *s))
            return 0;
    return 1;
}

/* ----------------------------------------------------------- endings */

/* Stops everything the request has running (connection, lookup, connect,
 * timers) and unlinks it; it stays allocated. */
static void release_io(struct hc_request *r)
{
    if (r->conn) {
        r->conn->req = NULL;
        hc_conn_free(r->conn);
        r->conn = NULL;
    }
    if (r->lookup) {
        eider_lookup_cancel(r->lookup);
        r->lookup = NULL;
    }
    if (r->connect_ev)
        event_free(r->connect_ev);
    r->connect_ev = NULL;
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    if (r->start_ev)
        event_free(r->start_ev);
    if (r->timer)
        event_free(r->timer);
    r->start_ev = r->timer = NULL;
    if (r->listed)
        LIST_REMOVE(r, link);
    r->listed = 0;
}

/* Frees the memory of r, after release_io(). */
static void free_request(struct hc_request *r)
{
    free(r->method);
    hc_free_headers(r->headers, r->nheaders);
    free(r->body);
    hc_url_clear(&r->url);
    free(r->key);
    free(r->status_text);
    hc_free_headers(r->rh, r->nrh);
    if (r->rbody)
        evbuffer_free(r->rbody);
    free(r);
}

/* Ends r with an error message: callback, then free. */
void hc_fail(struct hc_request *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    release_io(r);
    r->cb(NULL, msg, r->arg);
    free_request(r);
}

/* Ends r with its response: callback, then free. */
void hc_deliver(struct hc_request *r)
{
    struct hc_response resp = {
        .status = r->parser.status_code,
        .status_text = r->status_text ? r->status_text : "",
        .url = r->url.href,
        .redirected = r->redirected,
        .headers = r->rh,
        .nheaders = r->nrh,
        .body = r->rbody,
    };

    release_io(r);
    r->cb(&resp, NULL, r->arg);
    free_request(r);
}

/* No callback: the caller is going away (heap destruction). */
void hc_request_cancel(struct hc_request *r)
{
    release_io(r);
    free_request(r);
}

/* The request's deadline passed, whatever it was doing. */
static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct hc_request *r = arg;

    (void)fd, (void)what;
    hc_fail(r, "timed out after %ld ms", r->timeout_ms);
}

/* Runs hc_attempt() from the loop, never from the caller's stack. */
void hc_schedule(struct hc_request *r)
{
    event_active(r->start_ev, EV_TIMEOUT, 1);
}

/* ------------------------------------------------------------- public */

/* Checks and copies everything, arms the deadline and schedules the
 * first hc_attempt(); nothing touches the network before the loop runs. */
struct hc_request *hc_request_start(struct hc_client *cl, const struct hc_request_opts *o,
                                    hc_done_cb cb, void *arg, char *err, size_t errlen)
{
    struct hc_request *r;
    struct hc_url u;

    if (hc_url_parse(&u, o->url, err, errlen) != 0)
        return NULL;
    if (!is_token(o->method)) {
        snprintf(err, errlen, "invalid method \"%s\"", o->method);
        hc_url_clear(&u);
        return NULL;
    }
    for (size_t i = 0; i < o->nheaders; i++) {
        if (!is_token(o->headers[i].name) || strpbrk(o->headers[i].value, "\r\n")) {
            snprintf(err, errlen, "invalid header \"%s\"", o->headers[i].name);
            hc_url_clear(&u);
            return NULL;
        }
    }
    r = eider_calloc(1, sizeof(*r));
    r->client = cl;
    r->url = u;
    r->fd = -1;
    r->cb = cb;
    r->arg = arg;
    r->timeout_ms = o->timeout_ms;
    r->max_size = o->max_response_size;
    r->redirect = o->redirect;
    r->method = hc_xstrdup(o->method);
    r->rbody = evbuffer_new();
    r->start_ev = event_new(cl->base, -1, 0, hc_attempt, r);
    r->headers = eider_calloc(o->nheaders + 1, sizeof(*r->headers));
    if (!r->rbody || !r->start_ev)
        goto oom_free;
    for (; r->nheaders < o->nheaders; r->nheaders++) {
        r->headers[r->nheaders].name = hc_xstrdup(o->headers[r->nheaders].name);
        r->headers[r->nheaders].value = hc_xstrdup(o->headers[r->nheaders].value);
    }
    if (o->body) {
        /* Sized by the handler's body: a failure fails this fetch (alloc.h). */
        r->body = malloc(o->body_len + 1);
        if (r->body == NULL)
            goto oom_free;
        memcpy(r->body, o->body, o->body_len);
        r->body_len = o->body_len;
    }
    if (o->timeout_ms > 0) {
        struct timeval tv = { o->timeout_ms / 1000, o->timeout_ms % 1000 * 1000 };
        r->timer = evtimer_new(cl->base, on_timeout, r);
        if (r->timer == NULL)
            goto oom_free;
        evtimer_add(r->timer, &tv);
    }
    LIST_INSERT_HEAD(&cl->reqs, r, link);
    r->listed = 1;
    hc_reset_response(r);
    hc_schedule(r);
    return r;
oom_free:
    release_io(r);
    free_request(r);
    snprintf(err, errlen, "out of memory");
    return NULL;
}

/* Only copies the options: DNS and TLS are made when first needed. */
struct hc_client *hc_client_new(struct event_base *base, const struct hc_client_opts *o)
{
    struct hc_client *cl = eider_calloc(1, sizeof(*cl));

    cl->base = base;
    TAILQ_INIT(&cl->idle);
    LIST_INIT(&cl->reqs);
    cl->ca_file = o->ca_file ? eider_strdup(o->ca_file) : NULL;
    cl->user_agent = o->user_agent ? eider_strdup(o->user_agent) : NULL;
    cl->no_pool = o->no_pool;
    cl->resolver = o->resolver;
    return cl;
}

/* Cancels the running requests (no callbacks), then closes the pool and
 * frees the resolver and TLS context. */
void hc_client_free(struct hc_client *cl)
{
    if (cl == NULL)
        return;
    while (!LIST_EMPTY(&cl->reqs))
        hc_request_cancel(LIST_FIRST(&cl->reqs));
    while (!TAILQ_EMPTY(&cl->idle))
        hc_conn_free(TAILQ_FIRST(&cl->idle));
    eider_resolver_free(cl->own_resolver);
    if (cl->ssl_ctx)
        SSL_CTX_free(cl->ssl_ctx);
    free(cl->ca_file);
    free(cl->user_agent);
    free(cl);
}
