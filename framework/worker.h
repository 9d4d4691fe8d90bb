/*
 * A worker process: one event loop, one evhttp, one JS runtime.
 */
#ifndef EIDER_WORKER_H
#define EIDER_WORKER_H

#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "conns.h"
#include "runtime.h"

struct event;
struct event_base;
struct evhttp;
typedef struct ssl_ctx_st SSL_CTX;
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
    const struct eider_router *router;
    const struct eider_runtime_ops *rt_ops;
    void *rt;
    struct eider_slot *slot;        /* this worker's scoreboard slot */
    const struct eider_slot *board; /* everyone's, for the status endpoint */
    struct eider_conns conns;       /* the connection layer's state (conns.h) */
    int accept_paused;              /* at worker_connections */
    int inflight;                   /* requests not yet answered */
    LIST_HEAD(, eider_exchange) waiting;   /* left unanswered by their handler (http.c) */
    TAILQ_HEAD(, eider_exchange) parked;   /* held for the send buffer, oldest first (http.c) */
    struct event *unpark;           /* runs eider_http_unpark */
    int draining;                   /* stopping: answer, close, exit */
    struct timespec drain_deadline;
    struct event *drain_timer;
    /* eider call: requests come with no connection and their answers go
     * here (http.c); NULL in a serving worker. */
    struct eider_capture *capture;
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

/* Called by the HTTP glue when a request arrives and when its answer is
 * complete: connection tracking, keep-alive, draining, the scoreboard. */
void eider_worker_request_start(struct eider_worker *w, struct evhttp_request *req,
                                struct eider_gate *g, const char *id, const char *method,
                                const char *target);
void eider_worker_request_done(struct eider_worker *w, int status);

/* 1 if W holds worker_max_send_buffer bytes of answers or more for
 * clients that have not read them yet: a new request waits (http.c's
 * parked list) rather than be answered into memory. */
int eider_worker_send_buffer_full(const struct eider_worker *w);

#endif
