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

#define EIDER_SCOREBOARD_SLOTS 2048   /* two generations of 1024 workers */

struct eider_slot {
    /* Written by the master when it forks the worker. */
    pid_t pid;                  /* 0 = free */
    int generation;
    int restarts;               /* times this slot's worker was replaced */
    volatile int draining;      /* asked to finish and exit */
    int64_t started;            /* time(NULL) at fork */
    /* Written by the worker. */
    volatile uint64_t requests;
    volatile uint64_t status_4xx, status_5xx;
    volatile uint64_t connections;  /* open now */
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

/* Maps the shared scoreboard (before the first fork); NULL on failure. */
struct eider_slot *eider_scoreboard_create(void);

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
