/*
 * The connections of a worker that have sent at least one request, so a
 * graceful stop can see when the last one is gone and shorten the idle
 * wait of the others. evhttp keeps its own list but does not show it.
 */
#ifndef EIDER_CONNS_H
#define EIDER_CONNS_H

#include <stddef.h>

struct evhttp_connection;

struct eider_conns {
    struct evhttp_connection **slots;   /* open addressing; NULL = empty */
    size_t cap;
    size_t count;
};

/* Adds EVCON if it is new: returns 1 then (the caller sets it up), else 0. */
int eider_conns_add(struct eider_conns *c, struct evhttp_connection *evcon);
void eider_conns_remove(struct eider_conns *c, struct evhttp_connection *evcon);
/* Calls FN on every tracked connection. FN must not add or remove. */
void eider_conns_foreach(struct eider_conns *c, void (*fn)(struct evhttp_connection *, void *),
                         void *arg);
void eider_conns_free(struct eider_conns *c);

#endif
