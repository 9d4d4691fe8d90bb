/*
 * Shared between the http_client*.c files, which together implement the
 * client behind http_client.h. Nothing else includes this.
 *
 *   http_client.c           a request's life: start, deadline, endings;
 *                           the public API
 *   http_client_url.c       URL parsing and Location resolution
 *   http_client_conn.c      getting a connection for a hop: the idle pool,
 *                           DNS, non-blocking connect, TLS setup
 *   http_client_exchange.c  what goes over it: the request written, the
 *                           response parsed, keep-alive and redirects
 *
 * Every ending of a request goes through hc_fail() or hc_deliver(), which
 * release everything it holds; no other file frees a request.
 */
#ifndef EIDER_HTTP_CLIENT_INTERNAL_H
#define EIDER_HTTP_CLIENT_INTERNAL_H

#include <stddef.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/util.h>
#include <http_parser.h>
#include <openssl/ssl.h>

#include "http_client.h"

#include "resolve.h"

#define MAX_ADDRS EIDER_RESOLVE_MAX   /* addresses of a name tried in turn */

struct bufferevent;
struct event;

/* A URL split the way the client uses it. */
struct hc_url {
    int https;
    char *host;                 /* without IPv6 brackets, lower case */
    int port;
    char *target;               /* path and query, "/" at least */
    char *authority;            /* for Host: host[:port], brackets kept */
    char *href;                 /* normalised absolute URL, no fragment */
};

/* A connection to one origin: used by one request, or idle in the pool. */
struct hc_conn {
    struct hc_client *client;
    TAILQ_ENTRY(hc_conn) link;     /* in the idle list, most recent first */
    struct hc_request *req;        /* the request on it; NULL while idle */
    struct bufferevent *bev;
    struct event *idle_timer;
    char *key;                     /* "https://host:port" */
    int https;
    int handshaking;               /* TLS handshake not finished yet */
    int idle;                      /* in the client's idle list */
};

/* The client of one event loop. */
struct hc_client {
    struct event_base *base;
    struct eider_resolver *resolver;       /* hc_client_opts.resolver, or: */
    struct eider_resolver *own_resolver;   /* made on the first lookup without one */
    SSL_CTX *ssl_ctx;              /* on first https request */
    char *ca_file;
    char *user_agent;
    int no_pool;                   /* hc_client_opts.no_pool */
    TAILQ_HEAD(hc_idle_list, hc_conn) idle;
    size_t nidle;
    LIST_HEAD(hc_request_list, hc_request) reqs;   /* running requests */
};

/* A request, across its hops when redirects are followed. */
struct hc_request {
    struct hc_client *client;
    LIST_ENTRY(hc_request) link;   /* in the client's reqs, while running */
    int listed;                    /* in it */
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
    struct eider_lookup *lookup;   /* the host's, while it runs */
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

/* ---- http_client.c */

/* strdup() that takes NULL as "". */
char *hc_xstrdup(const char *s);
/* Appends n bytes at `at` to the malloc'd string *s; 0, or -1 (memory). */
int hc_append(char **s, const char *at, size_t n);
/* Frees an array of n headers and their strings. */
void hc_free_headers(struct hc_header *h, size_t n);
/* Ends r with an error message, or with its response: callback, then
 * free. r is gone when they return. */
void hc_fail(struct hc_request *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void hc_deliver(struct hc_request *r);
/* Runs hc_attempt() for r from the loop, never from the caller's stack. */
void hc_schedule(struct hc_request *r);

/* ---- http_client_url.c */

/* Parses an absolute http(s) URL. Returns 0, or -1 with a message in err
 * (and u zeroed). */
int hc_url_parse(struct hc_url *u, const char *url, char *err, size_t errlen);
/* Frees the strings of u and zeroes it (safe on a zeroed u). */
void hc_url_clear(struct hc_url *u);
/* Resolves reference ref (a Location value) against base; malloc'd. */
char *hc_url_resolve(const struct hc_url *base, const char *ref);

/* ---- http_client_conn.c */

/* One hop of r (an event callback, arg is r): reset the response, then
 * reuse a pooled connection or open a new one, and start the exchange. */
void hc_attempt(evutil_socket_t fd, short what, void *arg);
/* Closes c, idle or not (its request, if any, must let go of it). */
void hc_conn_free(struct hc_conn *c);
/* Puts c, just freed from its request, in the idle pool. */
void hc_pool_put(struct hc_conn *c);

/* ---- http_client_exchange.c */

/* Forgets any response (before each hop) and readies the parser. */
void hc_reset_response(struct hc_request *r);
/* Writes r's request on c (just connected or taken from the pool) and
 * reads the response from it. */
void hc_use_conn(struct hc_request *r, struct hc_conn *c);

#endif
