/*
 * The scoreboard: one shared-memory slot per worker, written by the worker,
 * read by the master (what a dead worker was serving, the watchdog, the
 * recycling limits) and by the status endpoint.
 */
#ifndef EIDER_SCOREBOARD_H
#define EIDER_SCOREBOARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct timespec;

#define EIDER_SCOREBOARD_SLOTS 2048   /* two generations of 1024 workers */

/* The request-duration histogram's upper bounds in seconds (Prometheus'
 * "le"), fixed so that every worker's buckets add up; the last bucket,
 * past them, is +Inf. */
#define EIDER_DURATION_BUCKETS 14
extern const double eider_duration_bounds[EIDER_DURATION_BUCKETS - 1];

/* Counters that only grow while a worker lives; the server's totals add
 * those of workers that have exited (struct eider_server). */
struct eider_counters {
    volatile uint64_t requests;     /* begun */
    volatile uint64_t answered[6];  /* by status class: [1]..[5] = 1xx..5xx, [0] any other */
    volatile uint64_t errors;       /* lines logged at error level or above */
    volatile uint64_t bytes_in;     /* request body bytes */
    volatile uint64_t bytes_out;    /* answer body bytes (as the access log counts them) */
    volatile uint64_t duration_us;  /* sum of request durations, microseconds */
    /* Requests by duration, not cumulative: [k] counts those above bound
     * k-1 and at most bound k. Requests the connection gate refuses
     * before evhttp parses them are in answered[] but not here. */
    volatile uint64_t duration[EIDER_DURATION_BUCKETS];
};

struct eider_slot {
    /* Written by the master when it forks the worker. */
    pid_t pid;                  /* 0 = free */
    int generation;
    int restarts;               /* times this slot's worker was replaced */
    volatile int draining;      /* asked to finish and exit */
    int64_t started;            /* time(NULL) at fork */
    /* Written by the worker. */
    struct eider_counters n;
    volatile uint64_t connections;  /* open now */
    volatile uint64_t idle;         /* ... of which keep-alive ones waiting for a request */
    volatile uint64_t heap_bytes;   /* JS heap */
    volatile int busy;          /* requests being served now (begun, not answered) */
    char request[128];          /* "ID METHOD PATH" of the current or last request */
    /* The watchdog's view (eider_slot_run_begin/end): when the piece of
     * JavaScript running now started, in eider_scoreboard_clock_ms();
     * 0 while the worker is in its event loop. */
    volatile int64_t run_since_ms;
    volatile int run_is_request;    /* that run is the handler call of `request` */
    volatile int fresh;         /* a request began and no JavaScript has run since */
    /* Set by the worker to ask for a graceful replacement, with why. */
    volatile int retire;
    char retire_why[32];        /* a directive name, e.g. "js_memory_limit" */
};

/* What the master counts for the whole server, written by the master
 * only, after the slots in the same mapping. */
struct eider_server {
    int64_t started;                /* time(NULL) when the master started */
    volatile uint64_t reloads;      /* generations that took over */
    volatile uint64_t reload_failures;
    volatile uint64_t restarts;     /* workers that died and were replaced */
    struct eider_counters gone;     /* of the workers that have exited */
};

/* Maps the shared scoreboard (before the first fork); NULL on failure. */
struct eider_slot *eider_scoreboard_create(void);

/* The server's counters in BOARD's mapping (which readers see as const:
 * only the master writes through the result). */
struct eider_server *eider_scoreboard_server(const struct eider_slot *board);

/* In the master, once the worker of slot I is reaped: adds its counters
 * to the server's gone ones and marks the slot free (pid 0), so that a
 * total over the slots and gone counts each request once. */
void eider_scoreboard_fold(struct eider_slot *board, int i);

/* TO += FROM, field by field. */
void eider_counters_add(struct eider_counters *to, const struct eider_counters *from);

/* The clock of run_since_ms, shared by workers and the master: monotonic
 * milliseconds, coarse (a few ns to read, a few ms of resolution). */
long long eider_scoreboard_clock_ms(void);

/* The resident memory of worker PID in bytes (from /proc/PID/statm), or 0
 * if it cannot be read. */
size_t eider_scoreboard_rss(pid_t pid);

/* Records that the worker owning SLOT starts serving a request. */
void eider_slot_begin(struct eider_slot *slot, const char *id, const char *method,
                      const char *path);
/* ... and answered it with STATUS. */
void eider_slot_end(struct eider_slot *slot, int status);
/* Records a request that began at START (CLOCK_MONOTONIC) and is answered
 * now: its duration in the histogram, and its body bytes. */
void eider_slot_observe(struct eider_slot *slot, const struct timespec *start, size_t bytes_in,
                        size_t bytes_out);

/* In a new worker, before it runs any JavaScript: SLOT is this process's
 * own, for the calls below (which do nothing while none is set, as in the
 * handler check of eider -t). */
void eider_scoreboard_set_self(struct eider_slot *slot);

/* The outermost entry into JavaScript from the event loop began at NOW
 * (eider_scoreboard_clock_ms()) / has returned. */
void eider_slot_run_begin(long long now);
void eider_slot_run_end(void);

/* Asks the master to replace this worker gracefully, because of WHY (a
 * directive name); the first reason sticks. Returns 0 when there is no
 * master to ask (the handler check). */
int eider_slot_retire(const char *why);

#endif
