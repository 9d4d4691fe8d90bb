/*
 * A worker process: one event loop, one evhttp, one JS runtime.
 */
#ifndef EIDER_WORKER_H
#define EIDER_WORKER_H

#include <stdint.h>

#include "runtime.h"

struct event_base;
struct evhttp;
struct eider_config;
struct eider_router;

struct eider_worker {
    struct event_base *base;
    struct evhttp *http;
    const struct eider_config *cfg;
    const struct eider_router *router;
    const struct eider_runtime_ops *rt_ops;
    void *rt;
    uint64_t id_state;          /* request id generator */
    uint64_t requests;
};

/* Runs a worker on the inherited listening sockets FDS until told to stop;
 * never returns (exits the process with 0, or 1 if it could not start). */
void eider_worker_run(const struct eider_config *cfg, const struct eider_router *router,
                      const int *fds, int nfds) __attribute__((noreturn));

/* Writes the next request id (16 hex digits and a NUL) into out. */
void eider_worker_next_id(struct eider_worker *w, char out[17]);

#endif
