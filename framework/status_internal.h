/*
 * What the status endpoint's formats share (status.c, status_json.c,
 * status_prometheus.c): one snapshot of the scoreboard, taken once per
 * status request, so that every number of an answer comes from the same
 * reading and the per-worker numbers add up to the server's.
 */
#ifndef EIDER_STATUS_INTERNAL_H
#define EIDER_STATUS_INTERNAL_H

#include <stdint.h>
#include <time.h>

#include "scoreboard.h"

struct evbuffer;

/* Connections by state, as nginx's stub_status counts them: active ones
 * are reading a request (or finishing an answer's last bytes), writing
 * (a request in progress: handled or being answered), or idle
 * (keep-alive, waiting for the next request). */
struct status_conns {
    uint64_t active, reading, writing, idle;
};

/* One live worker. */
struct status_row {
    int slot;                       /* its scoreboard slot: the worker="N" label */
    int pid, generation, restarts, draining;
    int64_t started;
    uint64_t in_progress, heap_bytes;
    struct status_conns conns;
    struct eider_counters n;        /* a copy */
};

struct status_view {
    time_t now;
    int master_pid;
    const struct eider_server *server;
    int nrows;
    struct status_row *rows;        /* nrows of them; owned */
    struct eider_counters total;    /* the live workers' and the exited ones' */
    struct status_conns conns;      /* the live workers' */
    uint64_t in_progress, heap_bytes;
};

/* Fills V from BOARD. Free with status_view_free. */
void status_view_take(struct status_view *v, const struct eider_slot *board);
void status_view_free(struct status_view *v);

/* Appends V to OUT as JSON (status_json.c) / in the Prometheus text
 * exposition format 0.0.4 (status_prometheus.c). */
void status_json(const struct status_view *v, struct evbuffer *out);
void status_prometheus(const struct status_view *v, struct evbuffer *out);

/* The live page (status_page.html, embedded at build time). */
extern const char eider_status_page_html[];

#endif
