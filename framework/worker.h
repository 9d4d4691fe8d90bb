/*
 * A worker process: one event loop, one evhttp, one JS runtime.
 *
 * Layering: the top of a worker. It sets up the connection layer
 * (conns.h, gate.h) and the HTTP glue (http.h) below it, gives them their
 * hooks (its own reactions to connections opening, closing, going idle;
 * the status endpoint, status.h), and calls down only.
 */
#ifndef EIDER_WORKER_H
#define EIDER_WORKER_H

#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "conns.h"
#include "http.h"
#include "runtime.h"

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
struct eider_config;
struct eider_exchange;
struct eider_router;
struct eider_slot;

#define EIDER_MAX_LISTENERS 64

struct eider_capture;
struct eider_gate;
struct eider_listen;
struct timeval;

struct eider_worker {
    struct event_base *base;
    struct eider_listener listeners[EIDER_MAX_LISTENERS];
    int nlisteners;
    const struct eider_config *cfg;
    struct eider_http glue;         /* the HTTP glue's state (http.h) */
    struct eider_conns conns;       /* the connection layer's state (conns.h) */
    int accept_paused;              /* at worker_connections */
    struct event *unpark;           /* runs eider_http_unpark */
    struct timespec drain_deadline;
    struct event *drain_timer;
};

/* What the master hands a new worker. */
struct eider_worker_args {
    const struct eider_config *cfg;
    const struct eider_router *router;
    struct eider_sources *sources;  /* the generation's module texts */
    const int *fds;                 /* listening sockets, one per listener */
    int nfds;
    struct eider_slot *slot;
    const struct eider_slot *board;
    int ready_fd;                   /* written once when accepting; -1: none */
};

/* Runs a worker until it is told to stop; never returns (exit status 0,
 * or 1 if it could not start). */
void eider_worker_run(const struct eider_worker_args *args) __attribute__((noreturn));

/* Writes the next request id (16 hex digits and a NUL) into out. */
void eider_worker_next_id(struct eider_worker *w, char out[17]);

#endif
