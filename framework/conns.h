/*
 * A worker's connection layer: what every connection (its gate, gate.h)
 * shares with the others of its worker. The table of open connections,
 * found by the bufferevent evhttp reads from (evhttp keeps its own list
 * but does not show it, and a filter bufferevent does not give its
 * context back), which lets a graceful stop see when the last one is gone
 * and the HTTP glue find a request's gate; the idle keep-alive
 * connections in the order they became idle, so that a worker at
 * worker_connections can close the oldest of them to admit a new client
 * (as nginx does); the limits, timeouts and counters connections obey;
 * and the hooks by which the worker hears of them.
 *
 * Layering, bottom up: the connection layer (conns.c, gate.c,
 * gate_read.c, gate_peer.c, gate_send.c, with http_strict.c,
 * proxy_protocol.c, tls.c and http_answer.c's formatting below it) -> the
 * HTTP glue (http.c) -> the worker (worker.c) and the status endpoint
 * (status.c). A file includes and calls only files below it; what goes
 * up goes through the hooks here, which the worker sets.
 */
#ifndef EIDER_CONNS_H
#define EIDER_CONNS_H

#include <stddef.h>
#include <stdint.h>

struct bufferevent;
struct eider_config;
struct eider_gate;
struct eider_listen;
struct eider_http;
struct eider_slot;
struct evhttp;
struct evhttp_bound_socket;
struct timeval;
typedef struct ssl_ctx_st SSL_CTX;

/* What the connection layer tells the worker above it; each gets ARG. */
struct eider_conn_hooks {
    void (*opened)(void *arg);      /* a connection opened (count is up) */
    void (*closed)(void *arg);      /* one closed (count is down) */
    void (*idle)(void *arg);        /* one went idle (reclaimable) */
    void (*send_freed)(void *arg);  /* send_buffered went down */
    void *arg;
};

struct eider_conns {
    struct eider_gate **slots;  /* open addressing on gate->bev; NULL = empty */
    size_t cap;
    size_t count;
    struct eider_gate *idle_oldest, *idle_newest;   /* through gate->idle_prev/next */
    /* Set by the worker before the first connection. */
    const struct eider_config *cfg;
    /* libevent common timeouts: O(1) to arm, one per duration */
    const struct timeval *header_tv, *body_tv, *proxy_tv, *send_tv;
    SSL_CTX *tls;                   /* for listeners with ssl, or NULL */
    struct eider_slot *slot;        /* the worker's scoreboard slot, or NULL */
    uint64_t id_state;              /* request id generator */
    struct eider_conn_hooks hooks;
    size_t send_buffered;           /* answer bytes waiting for slow clients */
    size_t nidle;               /* on the idle list */
    void *spare_events;         /* event structs gates gave back (a list) */
    volatile uint64_t *nidle_out;   /* kept equal to nidle if set (the scoreboard) */
};

/* One per listen directive: an evhttp of its own, so that each listener's
 * options (ssl, proxy_protocol) reach its connections' gates. The
 * connection layer reads cfg, access_sink and conns; the rest is the
 * worker's and the HTTP glue's. */
struct eider_listener {
    struct eider_http *glue;            /* its worker's HTTP glue (http.h) */
    struct eider_conns *conns;          /* its worker's */
    const struct eider_listen *cfg;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;  /* NULL once no longer accepting */
    int access_sink;                    /* its access log (log.h); -1: off */
};

/* Runs hook FN of C (one of c->hooks) with its arg, if the worker set it. */
void eider_conns_tell(struct eider_conns *c, void (*fn)(void *));

/* Storage for an event a gate holds only while something is pending
 * (event_assign it): one C's gates gave back, else newly allocated
 * (alloc.h's policy). Reusing them keeps a request from paying malloc,
 * free and libevent's event_new/event_free for it (callgrind: 350
 * instructions), while idle connections hold none: the spares number at
 * most the connections that were busy at once. */
struct event *eider_conns_event_take(struct eider_conns *c);
/* Gives EV back to C's spares (frees it once C is freed): it must be
 * neither pending nor active. */
void eider_conns_event_give(struct eider_conns *c, struct event *ev);

/* Writes C's next request id (16 hex digits and a NUL) into OUT. */
void eider_conns_next_id(struct eider_conns *c, char out[17]);

/* Adds G (keyed by g->bev, which must be set); the table grows as needed
 * (alloc.h's policy: never fails). */
void eider_conns_add(struct eider_conns *c, struct eider_gate *g);
void eider_conns_remove(struct eider_conns *c, struct eider_gate *g);
/* The gate whose filter is BEV, or NULL. */
struct eider_gate *eider_conns_find(const struct eider_conns *c, const struct bufferevent *bev);
/* Calls FN on every gate. FN may close its gate (removal is deferred by
 * libevent, so the table does not change under the loop). */
void eider_conns_foreach(struct eider_conns *c, void (*fn)(struct eider_gate *, void *), void *arg);
void eider_conns_free(struct eider_conns *c);

/* G has answered everything it asked and waits for its next request: it
 * goes to the newest end of the idle list (no-op if it is on it). */
void eider_conns_idle_add(struct eider_conns *c, struct eider_gate *g);
/* G is no longer idle (bytes came, or it closes); no-op if not on the list. */
void eider_conns_idle_remove(struct eider_conns *c, struct eider_gate *g);
/* The connection idle the longest, or NULL. */
struct eider_gate *eider_conns_idle_oldest(const struct eider_conns *c);

#endif
