/*
 * A worker's open connections: their gates, found by the bufferevent
 * evhttp reads from (evhttp keeps its own list but does not show it, and
 * a filter bufferevent does not give its context back). Lets a graceful
 * stop see when the last connection is gone, and http.c find a request's
 * gate. It also keeps the idle keep-alive connections in the order they
 * became idle, so that a worker at worker_connections can close the
 * oldest of them to admit a new client (as nginx does).
 */
#ifndef EIDER_CONNS_H
#define EIDER_CONNS_H

#include <stddef.h>
#include <stdint.h>

struct bufferevent;
struct eider_gate;

struct eider_conns {
    struct eider_gate **slots;  /* open addressing on gate->bev; NULL = empty */
    size_t cap;
    size_t count;
    struct eider_gate *idle_oldest, *idle_newest;   /* through gate->idle_prev/next */
    size_t nidle;               /* on the idle list */
    volatile uint64_t *nidle_out;   /* kept equal to nidle if set (the scoreboard) */
};

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
