/*
 * The scoreboard: one shared-memory slot per worker, written by the worker,
 * read by the master (what a dead worker was serving; later the watchdog
 * and the status endpoint).
 */
#ifndef EIDER_SCOREBOARD_H
#define EIDER_SCOREBOARD_H

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
    volatile int busy;          /* serving a request now */
    char request[128];          /* "ID METHOD PATH" of the current or last request */
};

/* Maps the shared scoreboard (before the first fork); NULL on failure. */
struct eider_slot *eider_scoreboard_create(void);

/* Records that the worker owning SLOT starts serving a request. */
void eider_slot_begin(struct eider_slot *slot, const char *id, const char *method,
                      const char *path);
/* ... and answered it with STATUS. */
void eider_slot_end(struct eider_slot *slot, int status);

#endif
