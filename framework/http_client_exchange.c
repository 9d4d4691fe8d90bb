/*
 * The exchange on a connection for the HTTP client: the request written
 * at once, the response fed to http-parser as it arrives, then the
 * connection kept (keep-alive) or closed, and a redirect followed or the
 * response delivered. A pooled connection the server had closed is
 * retried once on a new one.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <http_parser.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "alloc.h"
#include "http_client_internal.h"

static void conn_read(struct bufferevent *bev, void *arg);
static void conn_event(struct bufferevent *bev, short what, void *arg);

/* ---------------------------------------------------- the request side */

/* The value of the first header called name (any case), or NULL. */
static const char *header_of(const struct hc_header *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(h[i].name, name) == 0)
            return h[i].value;
    return NULL;
}

/* Starts the request on c (just connected or taken from the pool). */
void hc_use_conn(struct hc_request *r, struct hc_conn *c)
{
    struct evbuffer *out = bufferevent_get_output(c->bev);
    const char *conn_hdr = header_of(r->headers, r->nheaders, "connection");
    int m = strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0
            || strcmp(r->method, "PATCH") == 0;

    r->conn = c;
    c->req = r;
    bufferevent_setcb(c->bev, conn_read, NULL, conn_event, c);
    r->close_conn = conn_hdr && strcasestr(conn_hdr, "close") != NULL;
    evbuffer_add_printf(out, "%s %s HTTP/1.1\r\n", r->method, r->url.target);
    if (header_of(r->headers, r->nheaders, "host") == NULL)
        evbuffer_add_printf(out, "Host: %s\r\n", r->url.authority);
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].name, "content-length") != 0
            && strcasecmp(r->headers[i].name, "transfer-encoding") != 0)
            evbuffer_add_printf(out, "%s: %s\r\n", r->headers[i].name, r->headers[i].value);
    if (header_of(r->headers, r->nheaders, "user-agent") == NULL && r->client->user_agent)
        evbuffer_add_printf(out, "User-Agent: %s\r\n", r->client->user_agent);
    if (header_of(r->headers, r->nheaders, "accept") == NULL)
        evbuffer_add_printf(out, "Accept: */*\r\n");
    if (conn_hdr == NULL)
        evbuffer_add_printf(out, "Connection: keep-alive\r\n");
    if (r->body || m)
        evbuffer_add_printf(out, "Content-Length: %zu\r\n", r->body_len);
    evbuffer_add(out, "\r\n", 2);
    if (r->body_len)
        evbuffer_add(out, r->body, r->body_len);
    bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* ------------------------------------------------- the response side */

/* Forgets the status line and headers received so far. */
static void forget_head(struct hc_request *r)
{
    free(r->status_text);
    r->status_text = NULL;
    hc_free_headers(r->rh, r->nrh);
    r->rh = NULL;
    r->nrh = r->caprh = 0;
    r->in_value = 0;
}

/* Forgets any response (before each hop) and readies the parser. */
void hc_reset_response(struct hc_request *r)
{
    http_parser_init(&r->parser, HTTP_RESPONSE);
    r->parser.data = r;
    forget_head(r);
    evbuffer_drain(r->rbody, evbuffer_get_length(r->rbody));
    r->complete = 0;
    r->err[0] = '\0';
}

/* http-parser callbacks: data is the request. They return non-zero to
 * stop the parse, with a message in r->err when it is not out of memory;
 * they never end the request themselves (feed() does, after). */
static int on_message_begin(http_parser *p)
{
    struct hc_request *r = p->data;

    /* Again after an interim 1xx response: start over. */
    forget_head(r);
    return 0;
}

static int on_status(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;
    return hc_append(&r->status_text, at, n);
}

/* A field after a value starts a new header; pieces of one field or one
 * value (split across reads) are appended. */
static int on_header_field(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;

    if (r->nrh == 0 || r->in_value) {      /* a new header */
        if (r->nrh == r->caprh) {
            size_t cap = r->caprh ? r->caprh * 2 : 16;
            r->rh = eider_realloc(r->rh, cap * sizeof(*r->rh));
            r->caprh = cap;
        }
        r->rh[r->nrh].name = r->rh[r->nrh].value = NULL;
        r->nrh++;
        r->in_value = 0;
        if (hc_append(&r->rh[r->nrh - 1].value, "", 0))
            return -1;
    }
    return hc_append(&r->rh[r->nrh - 1].name, at, n);
}

static int on_header_value(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;

    r->in_value = 1;
    return hc_append(&r->rh[r->nrh - 1].value, at, n);
}

/* Refuses upgrades and a Content-Length over the limit; a HEAD
 * response has no body whatever its headers say. */
static int on_headers_complete(http_parser *p)
{
    struct hc_request *r = p->data;

    if (p->status_code == 101) {
        snprintf(r->err, sizeof(r->err), "unexpected protocol upgrade");
        return -1;
    }
    if (r->max_size && p->content_length != ULLONG_MAX && p->content_length > r->max_size
        && p->status_code >= 200 && strcmp(r->method, "HEAD") != 0) {
        snprintf(r->err, sizeof(r->err), "response too large (Content-Length %llu > %zu bytes)",
                 (unsigned long long)p->content_length, r->max_size);
        return -1;
    }
    return strcmp(r->method, "HEAD") == 0 ? 1 : 0;   /* 1: no body */
}

/* Collects the body (chunked, sized or close-delimited alike). */
static int on_body(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;

    if (r->max_size && evbuffer_get_length(r->rbody) + n > r->max_size) {
        snprintf(r->err, sizeof(r->err), "response too large (more than %zu bytes)", r->max_size);
        return -1;
    }
    return evbuffer_add(r->rbody, at, n);
}

static int on_message_complete(http_parser *p)
{
    struct hc_request *r = p->data;

    if (p->status_code / 100 == 1)
        return 0;              /* interim (100 Continue): the answer follows */
    r->complete = 1;
    http_parser_pause(p, 1);   /* bytes after it are not ours */
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_status = on_status,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* The statuses fetch follows (with a Location). */
static int is_redirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* Removes the request headers named in the NULL-terminated list. */
static void drop_headers(struct hc_request *r, const char *const *names)
{
    size_t o = 0;

    for (size_t i = 0; i < r->nheaders; i++) {
        int drop = 0;
        for (const char *const *n = names; *n; n++)
            drop |= strcasecmp(r->headers[i].name, *n) == 0;
        if (drop) {
            free(r->headers[i].name);
            free(r->headers[i].value);
        } else {
            r->headers[o++] = r->headers[i];
        }
    }
    r->nheaders = o;
}

/* The response is complete: keep or close the connection, then follow a
 * redirect or deliver. */
static void message_done(struct hc_request *r)
{
    static const char *const body_headers[] = { "content-type", "content-encoding",
        "content-language", "content-location", NULL };
    static const char *const credentials[] = { "authorization", "cookie",
        "proxy-authorization", NULL };
    struct hc_conn *c = r->conn;
    int status = r->parser.status_code;
    const char *loc;
    char *next, err[300];
    struct hc_url u;

    r->conn = NULL;
    if (http_should_keep_alive(&r->parser) && !r->close_conn
        && evbuffer_get_length(bufferevent_get_input(c->bev)) == 0
        && evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
        hc_pool_put(c);
    else
        hc_conn_free(c);
    loc = header_of(r->rh, r->nrh, "location");
    if (!is_redirect(status) || loc == NULL || r->redirect == HC_REDIRECT_MANUAL) {
        hc_deliver(r);
        return;
    }
    if (r->redirect == HC_REDIRECT_ERROR) {
        hc_fail(r, "unexpected redirect (%d to %s) with redirect mode \"error\"", status, loc);
        return;
    }
    if (++r->redirects > HC_MAX_REDIRECTS) {
        hc_fail(r, "too many redirects (more than %d)", HC_MAX_REDIRECTS);
        return;
    }
    next = hc_url_resolve(&r->url, loc);
    if (next == NULL || hc_url_parse(&u, next, err, sizeof(err)) != 0) {
        free(next);
        hc_fail(r, "bad redirect location \"%s\": %s", loc, next ? err : "out of memory");
        return;
    }
    free(next);
    if (((status == 301 || status == 302) && strcmp(r->method, "POST") == 0)
        || (status == 303 && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)) {
        free(r->method);
        r->method = hc_xstrdup("GET");
        free(r->body);
        r->body = NULL;
        r->body_len = 0;
        drop_headers(r, body_headers);
    }
    if (u.https != r->url.https || u.port != r->url.port || strcmp(u.host, r->url.host) != 0)
        drop_headers(r, credentials);   /* another origin */
    hc_url_clear(&r->url);
    r->url = u;
    r->redirected = 1;
    hc_schedule(r);
}

/* Feeds what the connection read to the parser. Returns 1 if r ended. */
static int feed(struct hc_request *r)
{
    struct evbuffer *in = bufferevent_get_input(r->conn->bev);
    struct evbuffer_iovec v;
    enum http_errno e;

    while (!r->complete && evbuffer_get_length(in) > 0) {
        size_t n;
        evbuffer_peek(in, -1, NULL, &v, 1);
        r->got_bytes = 1;
        n = http_parser_execute(&r->parser, &settings, v.iov_base, v.iov_len);
        evbuffer_drain(in, n);
        e = HTTP_PARSER_ERRNO(&r->parser);
        if (e != HPE_OK && e != HPE_PAUSED) {
            if (r->err[0])
                hc_fail(r, "%s", r->err);
            else
                hc_fail(r, "invalid HTTP response: %s", http_errno_description(e));
            return 1;
        }
    }
    if (r->complete) {
        message_done(r);
        return 1;
    }
    return 0;
}

/* A pooled connection that the server closed before answering: resend
 * once on a new connection if the method is idempotent. */
static int retry_stale(struct hc_request *r)
{
    static const char *const idempotent[] = { "GET", "HEAD", "OPTIONS", "PUT", "DELETE", NULL };
    int ok = 0;

    if (!r->reused || r->got_bytes || r->retried)
        return 0;
    for (const char *const *m = idempotent; *m; m++)
        ok |= strcmp(r->method, *m) == 0;
    if (!ok)
        return 0;
    r->conn->req = NULL;
    hc_conn_free(r->conn);
    r->conn = NULL;
    r->retried = r->force_new = 1;
    hc_schedule(r);
    return 1;
}

/* Why the TLS handshake on c failed. */
static void tls_error(struct hc_conn *c, char *buf, size_t len)
{
    SSL *ssl = bufferevent_openssl_get_ssl(c->bev);
    long v = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    unsigned long e, first = 0;

    while ((e = bufferevent_get_openssl_error(c->bev)) != 0)
        if (first == 0)
            first = e;
    if (v != X509_V_OK)
        snprintf(buf, len, "TLS certificate verification failed: %s", X509_verify_cert_error_string(v));
    else if (first && ERR_reason_error_string(first))
        snprintf(buf, len, "TLS handshake failed: %s", ERR_reason_error_string(first));
    else
        snprintf(buf, len, "TLS handshake failed: connection closed by the server");
}

/* Bytes arrived on c: feed its request, or drop c if it is idle. */
static void conn_read(struct bufferevent *bev, void *arg)
{
    struct hc_conn *c = arg;

    (void)bev;
    if (c->req == NULL)
        hc_conn_free(c);     /* bytes on an idle connection: not HTTP we know */
    else
        feed(c->req);
}

/* TLS handshake done, EOF or error on c. EOF ends a close-delimited
 * body; anything else ends the request (or retries a stale pooled
 * connection), with the TLS reason if the handshake failed. */
static void conn_event(struct bufferevent *bev, short what, void *arg)
{
    struct hc_conn *c = arg;
    struct hc_request *r = c->req;
    char msg[300];
    int e = EVUTIL_SOCKET_ERROR();

    if (r == NULL) {
        hc_conn_free(c);     /* idle and closed or broken */
        return;
    }
    if (what & BEV_EVENT_CONNECTED) {
        c->handshaking = 0;
        if (c->https)   /* servers often close without close_notify */
            bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
        return;
    }
    if (c->handshaking) {
        tls_error(c, msg, sizeof(msg));
        hc_fail(r, "%s", msg);
        return;
    }
    if (feed(r))
        return;
    if (what & BEV_EVENT_EOF) {
        http_parser_execute(&r->parser, &settings, NULL, 0);   /* ends a close-delimited body */
        if (r->complete) {
            message_done(r);
            return;
        }
        if (retry_stale(r))
            return;
        hc_fail(r, "%s", r->got_bytes ? "connection closed before the response was complete"
                                   : "connection closed by the server without a response");
        return;
    }
    if (retry_stale(r))
        return;
    if (c->https && bufferevent_get_openssl_error(bev) != 0)
        hc_fail(r, "TLS error on the connection");
    else
        hc_fail(r, "%s", e == ECONNRESET ? "connection reset by the server" : strerror(e));
}
