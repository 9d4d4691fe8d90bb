/*
 * An HTTP/1.1 and HTTPS client on a libevent loop (see http_client.h).
 *
 * Life of a request: hc_request_start() checks the URL and schedules
 * attempt() on the loop. attempt() takes an idle pooled connection to the
 * URL's origin or opens one: DNS (evdns; literal IPs and "localhost" need
 * none), a non-blocking connect tried on each address in turn, then a
 * socket or OpenSSL bufferevent on the connected descriptor. The request
 * is written at once; the response is fed to http-parser as it arrives.
 * At the end of the message the connection goes back to the pool when
 * both sides allow keep-alive, and a redirect schedules the next attempt.
 * One timer bounds the whole exchange. Every ending goes through fail()
 * or deliver(), which release everything the request holds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/util.h>
#include <http_parser.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "http_client.h"

#define IDLE_TIMEOUT_SEC 4      /* pooled connections close after this */
#define MAX_IDLE 32             /* pooled connections per client */
#define MAX_ADDRS 8             /* addresses of a name tried in turn */
#define DNS_PENDING 1000000     /* no getaddrinfo answer yet */

struct hc_conn {
    struct hc_client *client;
    struct hc_conn *prev, *next;   /* in the idle list, most recent first */
    struct hc_request *req;        /* the request on it; NULL while idle */
    struct bufferevent *bev;
    struct event *idle_timer;
    char *key;                     /* "https://host:port" */
    int https;
    int handshaking;               /* TLS handshake not finished yet */
    int idle;                      /* in the client's idle list */
};

struct hc_client {
    struct event_base *base;
    struct evdns_base *dns;        /* on first DNS lookup */
    SSL_CTX *ssl_ctx;              /* on first https request */
    char *ca_file;
    char *user_agent;
    struct hc_conn *idle;
    size_t nidle;
    struct hc_request *reqs;       /* running requests */
};

struct hc_request {
    struct hc_client *client;
    struct hc_request *prev, *next;
    hc_done_cb cb;
    void *arg;
    /* what to send */
    char *method;
    struct hc_header *headers;
    size_t nheaders;
    char *body;                    /* NULL: no body */
    size_t body_len;
    long timeout_ms;
    size_t max_size;
    enum hc_redirect redirect;
    struct hc_url url;             /* of the current hop */
    char *key;                     /* its pool key */
    int redirects, redirected;
    int retried, force_new;        /* a stale pooled connection was retried */
    int close_conn;                /* the request said Connection: close */
    struct event *start_ev, *timer;
    /* connecting */
    struct evdns_getaddrinfo_request *dns_req;
    int dns_sync, dns_result;
    struct evutil_addrinfo *dns_res;
    struct sockaddr_storage addrs[MAX_ADDRS];
    int naddrs, next_addr, connect_errno;
    evutil_socket_t fd;            /* while connecting, else -1 */
    struct event *connect_ev;
    struct hc_conn *conn;
    int reused, got_bytes;
    /* the response */
    http_parser parser;
    int complete;
    char *status_text;
    struct hc_header *rh;
    size_t nrh, caprh;
    int in_value;                  /* the last header callback was a value */
    struct evbuffer *rbody;
    char err[256];                 /* set by parser callbacks that fail */
};

static void attempt(evutil_socket_t fd, short what, void *arg);
static void conn_read(struct bufferevent *bev, void *arg);
static void conn_event(struct bufferevent *bev, short what, void *arg);

/* ------------------------------------------------------------ helpers */

/* strdup() that takes NULL as "". */
static char *xstrdup(const char *s)
{
    return strdup(s ? s : "");
}

/* Appends n bytes at `at` to the malloc'd string *s. */
static int append(char **s, const char *at, size_t n)
{
    size_t old = *s ? strlen(*s) : 0;
    char *p = realloc(*s, old + n + 1);

    if (p == NULL)
        return -1;
    memcpy(p + old, at, n);
    p[old + n] = '\0';
    *s = p;
    return 0;
}

/* Frees an array of n headers and their strings. */
static void free_headers(struct hc_header *h, size_t n)
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

/* ---------------------------------------------------------------- URLs */

/* s with bytes URLs cannot carry (controls, space, non-ASCII, quotes,
 * angle brackets, backquote) percent-encoded; malloc'd. */
static char *encode_unsafe(const char *s)
{
    size_t n = 0;
    char *out, *o;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p <= ' ' || *p >= 127 || strchr("\"<>`", *p)) ? 3 : 1;
    out = o = malloc(n + 1);
    if (out == NULL)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= ' ' || *p >= 127 || strchr("\"<>`", *p))
            o += sprintf(o, "%%%02X", *p);
        else
            *o++ = (char)*p;
    }
    *o = '\0';
    return out;
}

/* Through evhttp_uri (lenient about characters), after encode_unsafe():
 * http/https only, a host, no credentials, the port defaulted. */
int hc_url_parse(struct hc_url *u, const char *url, char *err, size_t errlen)
{
    struct evhttp_uri *uri;
    const char *scheme, *host, *path, *query;
    char *enc;
    int port;
    size_t hl;

    memset(u, 0, sizeof(*u));
    enc = encode_unsafe(url);
    uri = enc ? evhttp_uri_parse_with_flags(enc, EVHTTP_URI_NONCONFORMANT) : NULL;
    free(enc);
    if (uri == NULL || (scheme = evhttp_uri_get_scheme(uri)) == NULL) {
        snprintf(err, errlen, "Invalid URL: %s", url);
        goto fail;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        snprintf(err, errlen, "unsupported URL scheme \"%s:\"", scheme);
        goto fail;
    }
    host = evhttp_uri_get_host(uri);
    if (host == NULL || *host == '\0' || strcmp(host, "[]") == 0) {
        snprintf(err, errlen, "Invalid URL: %s", url);
        goto fail;
    }
    if (evhttp_uri_get_userinfo(uri) != NULL) {
        snprintf(err, errlen, "URL includes credentials: %s", url);
        goto fail;
    }
    u->https = strcasecmp(scheme, "https") == 0;
    hl = strlen(host);
    u->host = host[0] == '[' ? strndup(host + 1, hl - 2) : xstrdup(host);
    for (char *p = u->host; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    port = evhttp_uri_get_port(uri);
    u->port = port > 0 ? port : u->https ? 443 : 80;
    path = evhttp_uri_get_path(uri);
    query = evhttp_uri_get_query(uri);
    u->target = xstrdup(path && *path ? path : "/");
    if (query && (append(&u->target, "?", 1) || append(&u->target, query, strlen(query))))
        goto oom;
    if (asprintf(&u->authority, host[0] == '[' ? "[%s]" : "%s", u->host) < 0)
        u->authority = NULL;
    if (u->authority == NULL)
        goto oom;
    if (u->port != (u->https ? 443 : 80)) {
        char p[16];
        snprintf(p, sizeof(p), ":%d", u->port);
        if (append(&u->authority, p, strlen(p)))
            goto oom;
    }
    if (asprintf(&u->href, "%s://%s%s", u->https ? "https" : "http", u->authority, u->target) < 0) {
        u->href = NULL;
        goto oom;
    }
    evhttp_uri_free(uri);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    if (uri)
        evhttp_uri_free(uri);
    hc_url_clear(u);
    return -1;
}

/* Frees the strings of u and zeroes it (safe on a zeroed u). */
void hc_url_clear(struct hc_url *u)
{
    free(u->host);
    free(u->target);
    free(u->authority);
    free(u->href);
    memset(u, 0, sizeof(*u));
}

/* Path p (starting with '/') without "." and ".." segments (RFC 3986
 * 5.2.4); malloc'd. */
static char *remove_dots(const char *p)
{
    char *out = malloc(strlen(p) + 2);
    size_t o = 0;

    if (out == NULL)
        return NULL;
    while (*p) {
        const char *seg = p + 1, *e = strchr(seg, '/');
        size_t len;
        int last;
        if (e == NULL)
            e = seg + strlen(seg);
        len = (size_t)(e - seg);
        last = *e == '\0';
        if (len == 1 && seg[0] == '.') {
            if (last)
                out[o++] = '/';
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (o > 0 && out[--o] != '/')
                ;
            if (last)
                out[o++] = '/';
        } else {
            out[o++] = '/';
            memcpy(out + o, seg, len);
            o += len;
        }
        p = e;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    return out;
}

/* RFC 3986 5.2 for the cases a Location header has: absolute, scheme-
 * relative, absolute path, query only, relative path; fragments dropped. */
char *hc_url_resolve(const struct hc_url *base, const char *ref)
{
    const char *scheme = base->https ? "https" : "http";
    char *r, *q, *path = NULL, *joined = NULL, *out = NULL;
    size_t n;

    while (*ref == ' ' || *ref == '\t')
        ref++;
    n = strcspn(ref, ":/?#");
    if (n > 0 && ref[n] == ':' && strspn(ref, "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") == n)
        return strdup(ref);                       /* absolute */
    if (ref[0] == '/' && ref[1] == '/')
        return asprintf(&out, "%s:%s", scheme, ref) < 0 ? NULL : out;
    r = strndup(ref, strcspn(ref, "#"));
    if (r == NULL)
        return NULL;
    q = strchr(r, '?');
    if (q)
        *q++ = '\0';
    if (r[0] == '\0') {                           /* "", "?q": same path */
        path = strndup(base->target, strcspn(base->target, "?"));
        if (q == NULL) {
            q = strchr(base->target, '?');
            q = q ? q + 1 : NULL;
        }
    } else if (r[0] == '/') {
        path = remove_dots(r);
    } else {                                      /* relative to the directory */
        size_t dir = strcspn(base->target, "?");
        while (dir > 0 && base->target[dir - 1] != '/')
            dir--;
        if (asprintf(&joined, "%.*s%s", (int)dir, base->target, r) >= 0)
            path = remove_dots(joined);
        free(joined);
    }
    if (path && asprintf(&out, "%s://%s%s%s%s", scheme, base->authority, path,
                         q ? "?" : "", q ? q : "") < 0)
        out = NULL;
    free(path);
    free(r);
    return out;
}

/* ----------------------------------------------------- the idle pool */

/* Takes c out of the idle list. */
static void pool_unlink(struct hc_conn *c)
{
    if (!c->idle)
        return;
    if (c->prev)
        c->prev->next = c->next;
    else
        c->client->idle = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    c->client->nidle--;
    c->idle = 0;
    evtimer_del(c->idle_timer);
}

/* Closes c, idle or not (its request, if any, must let go of it). */
static void conn_free(struct hc_conn *c)
{
    pool_unlink(c);
    if (c->idle_timer)
        event_free(c->idle_timer);
    if (c->bev)
        bufferevent_free(c->bev);   /* closes the socket (and frees the SSL) */
    free(c->key);
    free(c);
}

/* An idle connection unused for IDLE_TIMEOUT_SEC: close it. */
static void on_idle_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    conn_free(arg);
}

/* Puts c, just freed from its request, in the pool (closing the oldest
 * idle connection beyond MAX_IDLE). */
static void pool_put(struct hc_conn *c)
{
    struct hc_client *cl = c->client;
    struct timeval tv = { IDLE_TIMEOUT_SEC, 0 };

    c->req = NULL;
    if (c->idle_timer == NULL)
        c->idle_timer = evtimer_new(cl->base, on_idle_timeout, c);
    if (c->idle_timer == NULL) {
        conn_free(c);
        return;
    }
    bufferevent_disable(c->bev, EV_WRITE);
    bufferevent_enable(c->bev, EV_READ);   /* to notice the server closing */
    evtimer_add(c->idle_timer, &tv);
    c->prev = NULL;
    c->next = cl->idle;
    if (cl->idle)
        cl->idle->prev = c;
    cl->idle = c;
    c->idle = 1;
    if (++cl->nidle > MAX_IDLE) {
        struct hc_conn *last = cl->idle;
        while (last->next)
            last = last->next;
        conn_free(last);
    }
}

/* An idle connection still worth using: nothing buffered, and its socket
 * neither at EOF nor (for plain HTTP) holding unexpected bytes. A TLS
 * socket may hold a session ticket, so only EOF counts there. */
static int conn_alive(struct hc_conn *c)
{
    char b;
    ssize_t n;

    if (evbuffer_get_length(bufferevent_get_input(c->bev)) > 0)
        return 0;
    n = recv(bufferevent_getfd(c->bev), &b, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0)
        return 0;
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK;
    return c->https;
}

/* Takes the most recent live idle connection for key out of the pool. */
static struct hc_conn *pool_take(struct hc_client *cl, const char *key)
{
    struct hc_conn *c = cl->idle;

    while (c != NULL) {
        struct hc_conn *next = c->next;
        if (strcmp(c->key, key) == 0) {
            pool_unlink(c);
            if (conn_alive(c))
                return c;
            conn_free(c);
        }
        c = next;
    }
    return NULL;
}

/* ----------------------------------------------------------- endings */

/* Stops everything the request has running (connection, lookup, connect,
 * timers) and unlinks it; it stays allocated. */
static void release_io(struct hc_request *r)
{
    if (r->conn) {
        r->conn->req = NULL;
        conn_free(r->conn);
        r->conn = NULL;
    }
    if (r->dns_req) {
        struct evdns_getaddrinfo_request *q = r->dns_req;
        r->dns_req = NULL;
        evdns_getaddrinfo_cancel(q);   /* calls dns_cb with EVUTIL_EAI_CANCEL */
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
    if (r->prev)
        r->prev->next = r->next;
    else if (r->client->reqs == r)
        r->client->reqs = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

/* Frees the memory of r, after release_io(). */
static void free_request(struct hc_request *r)
{
    free(r->method);
    free_headers(r->headers, r->nheaders);
    free(r->body);
    hc_url_clear(&r->url);
    free(r->key);
    free(r->status_text);
    free_headers(r->rh, r->nrh);
    if (r->rbody)
        evbuffer_free(r->rbody);
    free(r);
}

/* Ends r with an error message: callback, then free. */
static void fail(struct hc_request *r, const char *fmt, ...)
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
static void deliver(struct hc_request *r)
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
    fail(r, "timed out after %ld ms", r->timeout_ms);
}

/* Runs attempt() from the loop, never from the caller's stack. */
static void schedule(struct hc_request *r)
{
    event_active(r->start_ev, EV_TIMEOUT, 1);
}

/* ------------------------------------------------- the response side */

/* The value of the first header called name (any case), or NULL. */
static const char *header_of(const struct hc_header *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(h[i].name, name) == 0)
            return h[i].value;
    return NULL;
}

/* Forgets any response (before each hop) and readies the parser. */
static void reset_response(struct hc_request *r)
{
    http_parser_init(&r->parser, HTTP_RESPONSE);
    r->parser.data = r;
    free(r->status_text);
    r->status_text = NULL;
    free_headers(r->rh, r->nrh);
    r->rh = NULL;
    r->nrh = r->caprh = 0;
    r->in_value = 0;
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
    free(r->status_text);
    r->status_text = NULL;
    free_headers(r->rh, r->nrh);
    r->rh = NULL;
    r->nrh = r->caprh = 0;
    r->in_value = 0;
    return 0;
}

static int on_status(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;
    return append(&r->status_text, at, n);
}

/* A field after a value starts a new header; pieces of one field or one
 * value (split across reads) are appended. */
static int on_header_field(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;

    if (r->nrh == 0 || r->in_value) {      /* a new header */
        if (r->nrh == r->caprh) {
            size_t cap = r->caprh ? r->caprh * 2 : 16;
            struct hc_header *h = realloc(r->rh, cap * sizeof(*h));
            if (h == NULL)
                return -1;
            r->rh = h;
            r->caprh = cap;
        }
        r->rh[r->nrh].name = r->rh[r->nrh].value = NULL;
        r->nrh++;
        r->in_value = 0;
        if (append(&r->rh[r->nrh - 1].value, "", 0))
            return -1;
    }
    return append(&r->rh[r->nrh - 1].name, at, n);
}

static int on_header_value(http_parser *p, const char *at, size_t n)
{
    struct hc_request *r = p->data;

    r->in_value = 1;
    return append(&r->rh[r->nrh - 1].value, at, n);
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
        pool_put(c);
    else
        conn_free(c);
    loc = header_of(r->rh, r->nrh, "location");
    if (!is_redirect(status) || loc == NULL || r->redirect == HC_REDIRECT_MANUAL) {
        deliver(r);
        return;
    }
    if (r->redirect == HC_REDIRECT_ERROR) {
        fail(r, "unexpected redirect (%d to %s) with redirect mode \"error\"", status, loc);
        return;
    }
    if (++r->redirects > HC_MAX_REDIRECTS) {
        fail(r, "too many redirects (more than %d)", HC_MAX_REDIRECTS);
        return;
    }
    next = hc_url_resolve(&r->url, loc);
    if (next == NULL || hc_url_parse(&u, next, err, sizeof(err)) != 0) {
        free(next);
        fail(r, "bad redirect location \"%s\": %s", loc, next ? err : "out of memory");
        return;
    }
    free(next);
    if (((status == 301 || status == 302) && strcmp(r->method, "POST") == 0)
        || (status == 303 && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)) {
        free(r->method);
        r->method = xstrdup("GET");
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
    schedule(r);
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
                fail(r, "%s", r->err);
            else
                fail(r, "invalid HTTP response: %s", http_errno_description(e));
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
    conn_free(r->conn);
    r->conn = NULL;
    r->retried = r->force_new = 1;
    schedule(r);
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
        conn_free(c);     /* bytes on an idle connection: not HTTP we know */
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
        conn_free(c);     /* idle and closed or broken */
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
        fail(r, "%s", msg);
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
        fail(r, "%s", r->got_bytes ? "connection closed before the response was complete"
                                   : "connection closed by the server without a response");
        return;
    }
    if (retry_stale(r))
        return;
    if (c->https && bufferevent_get_openssl_error(bev) != 0)
        fail(r, "TLS error on the connection");
    else
        fail(r, "%s", e == ECONNRESET ? "connection reset by the server" : strerror(e));
}

/* -------------------------------------------------------- connecting */

/* The client's TLS context, made on first use: TLS 1.2 at least, peer
 * verification against the system CAs plus fetch_ca_file. NULL with a
 * message in err if it cannot be made (then retried next time). */
static SSL_CTX *client_ssl_ctx(struct hc_client *cl, char *err, size_t errlen)
{
    SSL_CTX *ctx;

    if (cl->ssl_ctx)
        return cl->ssl_ctx;
    ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) {
        snprintf(err, errlen, "cannot create a TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
    SSL_CTX_set_default_verify_paths(ctx);
    if (cl->ca_file && SSL_CTX_load_verify_locations(ctx, cl->ca_file, NULL) != 1) {
        unsigned long e = ERR_peek_last_error();
        snprintf(err, errlen, "cannot load fetch_ca_file %s: %s", cl->ca_file,
                 ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "unknown error");
        ERR_clear_error();
        SSL_CTX_free(ctx);
        return NULL;
    }
    ERR_clear_error();
    cl->ssl_ctx = ctx;
    return ctx;
}

/* host is an IPv4 or IPv6 address (no SNI, verified as an IP). */
static int is_ip_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return evutil_inet_pton(AF_INET, host, buf) == 1 || evutil_inet_pton(AF_INET6, host, buf) == 1;
}

/* Starts the request on c (just connected or taken from the pool). */
static void use_conn(struct hc_request *r, struct hc_conn *c)
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

/* The TCP connection on fd is up: wrap it (in TLS for https) and go. */
static void connected(struct hc_request *r, evutil_socket_t fd)
{
    struct hc_client *cl = r->client;
    struct hc_conn *c = calloc(1, sizeof(*c));
    SSL *ssl = NULL;
    int one = 1;

    r->fd = -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (c == NULL || (c->key = xstrdup(r->key)) == NULL)
        goto oom;
    c->client = cl;
    c->https = r->url.https;
    if (c->https) {
        ssl = SSL_new(cl->ssl_ctx);
        if (ssl == NULL)
            goto oom;
        if (is_ip_literal(r->url.host)) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), r->url.host);
        } else {
            SSL_set_tlsext_host_name(ssl, r->url.host);
            SSL_set1_host(ssl, r->url.host);
        }
        c->bev = bufferevent_openssl_socket_new(cl->base, fd, ssl, BUFFEREVENT_SSL_CONNECTING,
                                                BEV_OPT_CLOSE_ON_FREE);
        c->handshaking = 1;
    } else {
        c->bev = bufferevent_socket_new(cl->base, fd, BEV_OPT_CLOSE_ON_FREE);
    }
    if (c->bev == NULL)
        goto oom;
    use_conn(r, c);
    return;
oom:
    if (ssl)
        SSL_free(ssl);
    close(fd);
    if (c)
        free(c->key);
    free(c);
    fail(r, "out of memory");
}

/* What a failed connect() errno means, for the message. */
static const char *connect_error(int e)
{
    switch (e) {
    case ECONNREFUSED: return "connection refused";
    case ETIMEDOUT: return "connection timed out";
    case ENETUNREACH: return "network unreachable";
    case EHOSTUNREACH: return "host unreachable";
    default: return strerror(e);
    }
}

static void connect_next(struct hc_request *r);

/* The non-blocking connect on fd finished: go on, or try the next
 * address. */
static void on_connect_ready(evutil_socket_t fd, short what, void *arg)
{
    struct hc_request *r = arg;
    int e = 0;
    socklen_t len = sizeof(e);

    (void)what;
    event_free(r->connect_ev);
    r->connect_ev = NULL;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0)
        e = errno;
    if (e == 0) {
        connected(r, fd);
        return;
    }
    r->connect_errno = e;
    close(fd);
    r->fd = -1;
    connect_next(r);
}

/* Connects to the next address of r, or fails with the last error. */
static void connect_next(struct hc_request *r)
{
    while (r->next_addr < r->naddrs) {
        struct sockaddr_storage *sa = &r->addrs[r->next_addr++];
        socklen_t len = sa->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                  : sizeof(struct sockaddr_in);
        int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            r->connect_errno = errno;
            continue;
        }
        if (connect(fd, (struct sockaddr *)sa, len) == 0) {
            connected(r, fd);
            return;
        }
        if (errno == EINPROGRESS) {
            r->fd = fd;
            r->connect_ev = event_new(r->client->base, fd, EV_WRITE, on_connect_ready, r);
            if (r->connect_ev && event_add(r->connect_ev, NULL) == 0)
                return;
            fail(r, "out of memory");
            return;
        }
        r->connect_errno = errno;
        close(fd);
    }
    fail(r, "%s (%s port %d)", connect_error(r->connect_errno), r->url.host, r->url.port);
}

/* The lookup of r's host ended (result 0 and res) or failed. */
static void dns_done(struct hc_request *r, int result, struct evutil_addrinfo *res)
{
    r->naddrs = r->next_addr = 0;
    for (struct evutil_addrinfo *ai = result == 0 ? res : NULL; ai && r->naddrs < MAX_ADDRS;
         ai = ai->ai_next)
        if (ai->ai_addrlen <= sizeof(r->addrs[0]))
            memcpy(&r->addrs[r->naddrs++], ai->ai_addr, ai->ai_addrlen);
    if (res)
        evutil_freeaddrinfo(res);
    if (r->naddrs == 0) {
        fail(r, "DNS lookup failed for %s (%s)", r->url.host,
             result == 0 || result == DNS_PENDING ? "no address" : evutil_gai_strerror(result));
        return;
    }
    connect_next(r);
}

/* evdns's answer. It may come from inside evdns_getaddrinfo() (hosts
 * file), where resolve() takes it over, or with EVUTIL_EAI_CANCEL from
 * release_io(), when r is going away. */
static void dns_cb(int result, struct evutil_addrinfo *res, void *arg)
{
    struct hc_request *r = arg;

    if (result == EVUTIL_EAI_CANCEL) {
        if (res)
            evutil_freeaddrinfo(res);
        return;
    }
    if (r->dns_sync) {            /* answered inside evdns_getaddrinfo() */
        r->dns_result = result;
        r->dns_res = res;
        return;
    }
    r->dns_req = NULL;
    dns_done(r, result, res);
}

/* Finds the addresses of r's host: literal, localhost, or through DNS. */
static void resolve(struct hc_request *r)
{
    struct hc_client *cl = r->client;
    const char *host = r->url.host;
    size_t hl = strlen(host);
    struct evutil_addrinfo hints;
    struct evdns_getaddrinfo_request *q;
    char port[8];

    memset(&r->addrs[0], 0, sizeof(r->addrs[0]));
    if (strcmp(host, "localhost") == 0 || (hl > 10 && strcmp(host + hl - 10, ".localhost") == 0))
        host = "127.0.0.1";       /* always the loopback, never asked */
    r->naddrs = r->next_addr = 0;
    if (evutil_inet_pton(AF_INET, host, &((struct sockaddr_in *)&r->addrs[0])->sin_addr) == 1) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&r->addrs[0];
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)r->url.port);
        r->naddrs = 1;
    } else if (evutil_inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)&r->addrs[0])->sin6_addr) == 1) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&r->addrs[0];
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)r->url.port);
        r->naddrs = 1;
    }
    if (r->naddrs) {
        connect_next(r);
        return;
    }
    if (cl->dns == NULL)
        cl->dns = evdns_base_new(cl->base, EVDNS_BASE_INITIALIZE_NAMESERVERS
                                 | EVDNS_BASE_DISABLE_WHEN_INACTIVE);
    if (cl->dns == NULL) {
        fail(r, "DNS lookup failed for %s (no resolver)", host);
        return;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    snprintf(port, sizeof(port), "%d", r->url.port);
    r->dns_sync = 1;
    r->dns_result = DNS_PENDING;
    r->dns_res = NULL;
    q = evdns_getaddrinfo(cl->dns, host, port, &hints, dns_cb, r);
    r->dns_sync = 0;
    if (q != NULL)
        r->dns_req = q;
    else
        dns_done(r, r->dns_result, r->dns_res);
}

/* One hop of r: reset the response, then reuse or open a connection. */
static void attempt(evutil_socket_t fd, short what, void *arg)
{
    struct hc_request *r = arg;
    struct hc_conn *c;
    char err[300];

    (void)fd, (void)what;
    reset_response(r);
    r->got_bytes = 0;
    free(r->key);
    if (asprintf(&r->key, "%s://%s:%d", r->url.https ? "https" : "http", r->url.host,
                 r->url.port) < 0) {
        r->key = NULL;
        fail(r, "out of memory");
        return;
    }
    if (!r->force_new && (c = pool_take(r->client, r->key)) != NULL) {
        r->reused = 1;
        use_conn(r, c);
        return;
    }
    r->reused = r->force_new = 0;
    if (r->url.https && client_ssl_ctx(r->client, err, sizeof(err)) == NULL) {
        fail(r, "%s", err);
        return;
    }
    resolve(r);
}

/* ------------------------------------------------------------- public */

/* Checks and copies everything, arms the deadline and schedules the
 * first attempt(); nothing touches the network before the loop runs. */
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
    r = calloc(1, sizeof(*r));
    if (r == NULL)
        goto oom;
    r->client = cl;
    r->url = u;
    r->fd = -1;
    r->cb = cb;
    r->arg = arg;
    r->timeout_ms = o->timeout_ms;
    r->max_size = o->max_response_size;
    r->redirect = o->redirect;
    r->method = xstrdup(o->method);
    r->rbody = evbuffer_new();
    r->start_ev = event_new(cl->base, -1, 0, attempt, r);
    r->headers = calloc(o->nheaders + 1, sizeof(*r->headers));
    if (!r->method || !r->rbody || !r->start_ev || !r->headers)
        goto oom_free;
    for (; r->nheaders < o->nheaders; r->nheaders++) {
        r->headers[r->nheaders].name = xstrdup(o->headers[r->nheaders].name);
        r->headers[r->nheaders].value = xstrdup(o->headers[r->nheaders].value);
    }
    if (o->body) {
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
    r->next = cl->reqs;
    if (cl->reqs)
        cl->reqs->prev = r;
    cl->reqs = r;
    reset_response(r);
    schedule(r);
    return r;
oom_free:
    release_io(r);
    free_request(r);
    snprintf(err, errlen, "out of memory");
    return NULL;
oom:
    hc_url_clear(&u);
    snprintf(err, errlen, "out of memory");
    return NULL;
}

/* Only copies the options: DNS and TLS are made when first needed. */
struct hc_client *hc_client_new(struct event_base *base, const struct hc_client_opts *o)
{
    struct hc_client *cl = calloc(1, sizeof(*cl));

    if (cl == NULL)
        return NULL;
    cl->base = base;
    cl->ca_file = o->ca_file ? strdup(o->ca_file) : NULL;
    cl->user_agent = o->user_agent ? strdup(o->user_agent) : NULL;
    return cl;
}

void hc_client_free(struct hc_client *cl)
{
    if (cl == NULL)
        return;
    while (cl->reqs)
        hc_request_cancel(cl->reqs);
    while (cl->idle)
        conn_free(cl->idle);
    if (cl->dns)
        evdns_base_free(cl->dns, 0);
    if (cl->ssl_ctx)
        SSL_CTX_free(cl->ssl_ctx);
    free(cl->ca_file);
    free(cl->user_agent);
    free(cl);
}
