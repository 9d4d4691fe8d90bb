/*
 * The connection table: open addressing with linear probing and
 * backward-shift deletion (no tombstones), kept at most half full.
 *
 * Layering: the bottom of the connection layer (see conns.h); includes
 * gate.h only for the gate's key and idle links.
 */
#include "conns.h"

#include <event2/event.h>
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "gate.h"

static size_t slot_of(const struct eider_conns *c, const void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= 0xed5ad4bbU;
    h ^= h >> 11;
    return (size_t)h & (c->cap - 1);
}

/* Doubles the table. It is eider's own structure, bounded by
 * worker_connections: alloc.h's policy, no failure to handle. */
static void grow(struct eider_conns *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64;
    struct eider_conns bigger = { .slots = eider_calloc(cap, sizeof(struct eider_gate *)),
                                  .cap = cap };

    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i] != NULL)
            eider_conns_add(&bigger, c->slots[i]);
    free(c->slots);
    c->slots = bigger.slots;
    c->cap = bigger.cap;
}

void eider_conns_add(struct eider_conns *c, struct eider_gate *g)
{
    size_t i;

    if ((c->count + 1) * 2 > c->cap)
        grow(c);
    for (i = slot_of(c, g->bev); c->slots[i] != NULL; i = (i + 1) & (c->cap - 1))
        if (c->slots[i] == g)
            return;
    c->slots[i] = g;
    c->count++;
}

struct eider_gate *eider_conns_find(const struct eider_conns *c, const struct bufferevent *bev)
{
    if (c->cap == 0 || bev == NULL)
        return NULL;
    for (size_t i = slot_of(c, bev); c->slots[i] != NULL; i = (i + 1) & (c->cap - 1))
        if (c->slots[i]->bev == bev)
            return c->slots[i];
    return NULL;
}

void eider_conns_remove(struct eider_conns *c, struct eider_gate *g)
{
    size_t i, j;

    if (c->cap == 0)
        return;
    for (i = slot_of(c, g->bev); c->slots[i] != g; i = (i + 1) & (c->cap - 1))
        if (c->slots[i] == NULL)
            return;
    c->slots[i] = NULL;
    c->count--;
    /* Shift back later entries of the same probe run into the hole. */
    for (j = (i + 1) & (c->cap - 1); c->slots[j] != NULL; j = (j + 1) & (c->cap - 1)) {
        size_t home = slot_of(c, c->slots[j]->bev);
        if (((j - home) & (c->cap - 1)) >= ((j - i) & (c->cap - 1))) {
            c->slots[i] = c->slots[j];
            c->slots[j] = NULL;
            i = j;
        }
    }
}

void eider_conns_foreach(struct eider_conns *c, void (*fn)(struct eider_gate *, void *), void *arg)
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i] != NULL)
            fn(c->slots[i], arg);
}

void eider_conns_free(struct eider_conns *c)
{
    while (c->spare_events != NULL) {
        void *next = *(void **)c->spare_events;
        free(c->spare_events);
        c->spare_events = next;
    }
    free(c->slots);
    c->slots = NULL;
    c->cap = c->count = 0;
}

void eider_conns_idle_add(struct eider_conns *c, struct eider_gate *g)
{
    if (g->idle)
        return;
    g->idle = 1;
    g->idle_next = NULL;
    g->idle_prev = c->idle_newest;
    if (c->idle_newest != NULL)
        c->idle_newest->idle_next = g;
    else
        c->idle_oldest = g;
    c->idle_newest = g;
    c->nidle++;
    if (c->nidle_out != NULL)
        *c->nidle_out = c->nidle;
}

void eider_conns_idle_remove(struct eider_conns *c, struct eider_gate *g)
{
    if (!g->idle)
        return;
    if (g->idle_prev != NULL)
        g->idle_prev->idle_next = g->idle_next;
    else
        c->idle_oldest = g->idle_next;
    if (g->idle_next != NULL)
        g->idle_next->idle_prev = g->idle_prev;
    else
        c->idle_newest = g->idle_prev;
    g->idle_prev = g->idle_next = NULL;
    g->idle = 0;
    c->nidle--;
    if (c->nidle_out != NULL)
        *c->nidle_out = c->nidle;
}

struct eider_gate *eider_conns_idle_oldest(const struct eider_conns *c)
{
    return c->idle_oldest;
}

/* splitmix64: cheap, and distinct streams per worker from a random seed. */
void eider_conns_next_id(struct eider_conns *c, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t z = (c->id_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int i = 15; i >= 0; i--, z >>= 4)
        out[i] = hex[z & 15];
    out[16] = '\0';
}

void eider_conns_tell(struct eider_conns *c, void (*fn)(void *))
{
    if (fn != NULL)
        fn(c->hooks.arg);
}

struct event *eider_conns_event_take(struct eider_conns *c)
{
    void *ev = c->spare_events;

    if (ev == NULL)
        return eider_malloc(event_get_struct_event_size());
    c->spare_events = *(void **)ev;   /* a spare's first bytes link the list */
    return ev;
}

void eider_conns_event_give(struct eider_conns *c, struct event *ev)
{
    event_debug_unassign(ev);
    /* No table: C has been freed (libevent may finalize a gate in
     * event_base_free, after eider_conns_free); nobody would take it. */
    if (c->slots == NULL) {
        free(ev);
        return;
    }
    *(void **)ev = c->spare_events;
    c->spare_events = ev;
}
