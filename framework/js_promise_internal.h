/*
 * Shared by js_promise.c (the Promise objects) and js_microtask.c (the
 * queue their jobs run on, with queueMicrotask and process.nextTick).
 * Nothing else includes this.
 */
#ifndef EIDER_JS_PROMISE_INTERNAL_H
#define EIDER_JS_PROMISE_INTERNAL_H

#include "js_promise.h"

struct js_promises;

/* A job: runs with its JOB_WIDTH values at ARGS..ARGS+2 of the stack and
 * may leave more above them (the drain drops them). It catches what the
 * code it calls throws; what it throws itself (the heap limit reached in
 * the core's own work) the drain reports as a job's error. */
typedef void eider_job_fn(duk_context *ctx, struct js_promises *p, duk_idx_t args);

#define JOB_WIDTH 3

/* A FIFO of jobs: the function of each in C, its values in a JavaScript
 * array (so the collector sees them) at JOB_WIDTH * slot + k. A ring
 * that doubles when full: a long chain of then() reuses a few slots. */
struct js_ring {
    void *values;              /* the array; the stash keeps it alive */
    eider_job_fn **fns;
    unsigned cap, head, count;
};

/* The core of one heap. The heap pointers are objects the stash keeps. */
struct js_promises {
    void *key;                 /* the heap's allocator udata: whose this is */
    void *native;              /* the prelude's native object (hooks) */
    void *ctor;                /* Promise */
    void *proto;               /* Promise.prototype */
    void *then;                /* Promise.prototype.then, as made */
    void *rejections;          /* array: rejected with no handler yet */
    unsigned nrejections;
    struct js_ring jobs;       /* Promise jobs and queueMicrotask */
    struct js_ring ticks;      /* process.nextTick, run before jobs */
    int draining;              /* eider_js_run_microtasks is running */
    int requested;             /* queued since the last drain began */
    int stopping;              /* native.reportError threw: unwinding */
};

/* The core of CTX's heap (registered by eider_js_promise_natives). */
struct js_promises *js_promises_of(duk_context *ctx);

/* js_microtask.c: makes the rings and their arrays, registered in the
 * stash object at STASH. */
void js_microtask_init(duk_context *ctx, struct js_promises *p, duk_idx_t stash);
void js_microtask_free(struct js_promises *p);

/* Queues FN with the N values from IDX on (N <= JOB_WIDTH; the others
 * undefined) on RING (&p->jobs or &p->ticks), and asks for a drain. */
void js_queue(duk_context *ctx, struct js_promises *p, struct js_ring *ring, eider_job_fn *fn,
              duk_idx_t idx, int n);

/* Calls native.reportError with the value at IDX. Returns 0, or -1 with
 * what reportError threw on top, which must stop the drain. */
int js_report_error(duk_context *ctx, struct js_promises *p, duk_idx_t idx);

/* Within a job: reports the error on top through js_report_error and pops
 * it; if reportError throws, throws that out of the drain, which stops. */
void js_job_failed(duk_context *ctx, struct js_promises *p);

/* Remembers the promise at IDX, just rejected with no handler, for the
 * report at the end of the drain. */
void js_note_rejection(duk_context *ctx, struct js_promises *p, duk_idx_t idx);

/* js_promise.c, for the report: 1 and the reason pushed if the promise
 * at IDX is still rejected with no handler, else 0 and nothing pushed. */
int js_promise_unhandled(duk_context *ctx, duk_idx_t idx);

#endif
