/*
 * Connections for the HTTP client: a hop (hc_attempt) takes a live idle
 * connection to its origin from the keep-alive pool, or opens one: the
 * host's addresses (resolve.h: literal, localhost, or evdns), a non-blocking connect
 * tried on each in turn, then a socket or OpenSSL bufferevent verifying
 * the certificate and host name. Then http_client_exchange.c takes over.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "alloc.h"
#include "http_client_internal.h"
#include "resolve.h"

#define IDLE_TIMEOUT_SEC 4      /* pooled connections close after this */
#define MAX_IDLE 256            /* pooled connections per worker: a busy worker keeps
                                   * as many in flight (at 32, c=512 reconnected 0.7 times
                                   * a request) */

/* ----------------------------------------------------- the idle pool */

/* Takes c out of the idle list. */
static void pool_unlink(struct hc_conn *c)
{
    if (!c->idle)
        return;
    TAILQ_REMOVE(&c->client->idle, c, link);
    c->client->nidle--;
    c->idle = 0;
    evtimer_del(c->idle_timer);
}

/* Closes c, idle or not (its request, if any, must let go of it). */
void hc_conn_free(struct hc_conn *c)
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
    hc_conn_free(arg);
}

/* Puts c, just freed from its request, in the pool (closing the oldest
 * idle connection beyond MAX_IDLE), or closes it for a client with
 * no_pool. */
void hc_pool_put(struct hc_conn *c)
{
    struct hc_client *cl = c->client;
    struct timeval tv = { IDLE_TIMEOUT_SEC, 0 };

    c->req = NULL;
    if (cl->no_pool) {
        hc_conn_free(c);
        return;
    }
    if (c->idle_timer == NULL)
        c->idle_timer = evtimer_new(cl->base, on_idle_timeout, c);
    if (c->idle_timer == NULL) {
        hc_conn_free(c);
        return;
    }
    bufferevent_disable(c->bev, EV_WRITE);
    bufferevent_enable(c->bev, EV_READ);   /* to notice the server closing */
    evtimer_add(c->idle_timer, &tv);
    TAILQ_INSERT_HEAD(&cl->idle, c, link);
    c->idle = 1;
    if (++cl->nidle > MAX_IDLE)
        hc_conn_free(TAILQ_LAST(&cl->idle, hc_idle_list));
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
    struct hc_conn *c = TAILQ_FIRST(&cl->idle);

    while (c != NULL) {
        struct hc_conn *next = TAILQ_NEXT(c, link);
        if (strcmp(c->key, key) == 0) {
            pool_unlink(c);
            if (conn_alive(c))
                return c;
            hc_conn_free(c);
        }
        c = next;
    }
    return NULL;
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

/* The TCP connection on fd is up: wrap it (in TLS for https) and go. */
static void connected(struct hc_request *r, evutil_socket_t fd)
{
    struct hc_client *cl = r->client;
    struct hc_conn *c = eider_calloc(1, sizeof(*c));
    SSL *ssl = NULL;
    int one = 1;

    r->fd = -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (c == NULL || (c->key = hc_xstrdup(r->key)) == NULL)
        goto oom;
    c->client = cl;
    c->https = r->url.https;
    if (c->https) {
        ssl = SSL_new(cl->ssl_ctx);
        if (ssl == NULL)
            goto oom;
        if (eider_is_ip_literal(r->url.host)) {
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
    hc_use_conn(r, c);
    return;
oom:
    if (ssl)
        SSL_free(ssl);
    close(fd);
    if (c)
        free(c->key);
    free(c);
    hc_fail(r, "out of memory");
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
            hc_fail(r, "out of memory");
            return;
        }
        r->connect_errno = errno;
        close(fd);
    }
    hc_fail(r, "%s (%s port %d)", connect_error(r->connect_errno), r->url.host, r->url.port);
}

/* The addresses of r's host (resolve.h): connect to each in turn. */
static void on_resolved(void *arg, const struct sockaddr_storage *addrs, int naddrs, const char *error)
{
    struct hc_request *r = arg;

    r->lookup = NULL;
    if (error != NULL) {
        hc_fail(r, "DNS lookup failed for %s (%s)", r->url.host, error);
        return;
    }
    memcpy(r->addrs, addrs, (size_t)naddrs * sizeof(*addrs));
    r->naddrs = naddrs;
    r->next_addr = 0;
    connect_next(r);
}

/* Finds the addresses of r's host (literal, localhost, or through DNS),
 * then connects. */
static void resolve(struct hc_request *r)
{
    struct hc_client *cl = r->client;
    struct eider_lookup *q;

    if (cl->resolver == NULL)
        cl->resolver = cl->own_resolver = eider_resolver_new(cl->base, NULL, 0);
    r->naddrs = r->next_addr = 0;
    q = eider_resolve(cl->resolver, r->url.host, r->url.port, on_resolved, r);
    if (q != NULL)              /* else r may be gone already: answered at once */
        r->lookup = q;
}

/* One hop of r: reset the response, then reuse or open a connection. */
void hc_attempt(evutil_socket_t fd, short what, void *arg)
{
    struct hc_request *r = arg;
    struct hc_conn *c;
    char err[300];

    (void)fd, (void)what;
    hc_reset_response(r);
    r->got_bytes = 0;
    free(r->key);
    if (asprintf(&r->key, "%s://%s:%d", r->url.https ? "https" : "http", r->url.host,
                 r->url.port) < 0) {
        r->key = NULL;
        hc_fail(r, "out of memory");
        return;
    }
    if (!r->force_new && (c = pool_take(r->client, r->key)) != NULL) {
        r->reused = 1;
        hc_use_conn(r, c);
        return;
    }
    r->reused = r->force_new = 0;
    if (r->url.https && client_ssl_ctx(r->client, err, sizeof(err)) == NULL) {
        hc_fail(r, "%s", err);
        return;
    }
    resolve(r);
}
