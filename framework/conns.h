/*
 * A worker's open connections: their gates, found by the bufferevent
 * evhttp reads from (evhttp keeps its own list but does not show it, and
 * a filter bufferevent does not give its context back). Lets a graceful
 * stop see when the last connection is gone, and http.c find a request's
 * gate.
 */
#ifndef EIDER_CONNS_H
#define EIDER_CONNS_H

#include <stddef.h>

struct bufferevent;
struct eider_gate;

struct eider_conns {
    struct eider_gate **slots;  /* open addressing on gate->bev; NULL = empty */
    size_t cap;
    size_t count;
};

/* Adds G (keyed by g->bev, which must be set). Returns 0, or -1 when out
 * of memory. */
int eider_conns_add(struct eider_conns *c, struct eider_gate *g);
void eider_conns_remove(struct eider_conns *c, struct eider_gate *g);
/* The gate whose filter is BEV, or NULL. */
struct eider_gate *eider_conns_find(const struct eider_conns *c, const struct bufferevent *bev);
/* Calls FN on every gate. FN may close its gate (removal is deferred by
 * libevent, so the table does not change under the loop). */
void eider_conns_foreach(struct eider_conns *c, void (*fn)(struct eider_gate *, void *), void *arg);
void eider_conns_free(struct eider_conns *c);

#endif
