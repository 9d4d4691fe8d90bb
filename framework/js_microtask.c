/*
 * The microtask queue of the Promise core (js_promise.h): Promise jobs
 * and queueMicrotask() callbacks in one FIFO, process.nextTick()
 * callbacks in a second that a drain empties first (the order Node
 * gives: ticks, then microtasks, again while either has more), and the
 * report of promises still rejected with no handler once a drain is done.
 */
#include <stdlib.h>

#include "alloc.h"
#include "js_promise_internal.h"

#define STASH_JOBS "promiseJobs"
#define STASH_TICKS "promiseTicks"
#define STASH_REJECTIONS "promiseRejections"

/* --- rings --- */

/* Appends undefined to the array on top until it holds N values: an
 * array written past its end at once loses its array part (Duktape
 * makes it sparse), so the slots are made in order. */
static void fill_to(duk_context *ctx, duk_uarridx_t n)
{
    for (duk_uarridx_t i = (duk_uarridx_t)duk_get_length(ctx, -1); i < n; i++) {
        duk_push_undefined(ctx);
        duk_put_prop_index(ctx, -2, i);
    }
}

/* Doubles R. The jobs that wrapped around to slots 0.. move after the old
 * end, so that the queue runs from head without a wrap again. */
static void ring_grow(duk_context *ctx, struct js_ring *r)
{
    unsigned cap = r->cap ? r->cap * 2 : 16;
    unsigned wrapped = r->head + r->count > r->cap ? r->head + r->count - r->cap : 0;

    r->fns = eider_realloc(r->fns, cap * sizeof(*r->fns));
    duk_push_heapptr(ctx, r->values);
    fill_to(ctx, cap * JOB_WIDTH);
    for (unsigned s = 0; s < wrapped; s++) {
        r->fns[r->cap + s] = r->fns[s];
        for (unsigned k = 0; k < JOB_WIDTH; k++) {
            duk_get_prop_index(ctx, -1, s * JOB_WIDTH + k);
            duk_put_prop_index(ctx, -2, (r->cap + s) * JOB_WIDTH + k);
            duk_push_undefined(ctx);
            duk_put_prop_index(ctx, -2, s * JOB_WIDTH + k);
        }
    }
    duk_pop(ctx);
    r->cap = cap;
}

/* Asks the host for a drain, once until the next one begins. */
static void request_drain(duk_context *ctx, struct js_promises *p)
{
    if (p->draining || p->requested)
        return;
    p->requested = 1;
    duk_push_heapptr(ctx, p->native);
    if (duk_get_prop_literal(ctx, -1, "requestDrain") && duk_is_function(ctx, -1)) {
        duk_dup(ctx, -2);
        duk_call_method(ctx, 0);
    }
    duk_pop_2(ctx);
}

void js_queue(duk_context *ctx, struct js_promises *p, struct js_ring *r, eider_job_fn *fn,
              duk_idx_t idx, int n)
{
    unsigned slot;

    idx = duk_normalize_index(ctx, idx);
    if (r->count == r->cap)
        ring_grow(ctx, r);
    slot = (r->head + r->count) & (r->cap - 1);
    r->fns[slot] = fn;
    /* All JOB_WIDTH slots, in order: after a reset the array grows by
     * appending (see fill_to). */
    duk_push_heapptr(ctx, r->values);
    for (int k = 0; k < JOB_WIDTH; k++) {
        if (k < n)
            duk_dup(ctx, idx + k);
        else
            duk_push_undefined(ctx);
        duk_put_prop_index(ctx, -2, slot * JOB_WIDTH + (unsigned)k);
    }
    duk_pop(ctx);
    r->count++;
    request_drain(ctx, p);
}

/* Takes the first job of R (which has one): pushes the ring's array and
 * the job's values above it and returns the job's function. The slots
 * keep the values until they are reused or the drain ends (ring_reset):
 * clearing each costs more than the job's other work on the array. */
static eider_job_fn *ring_shift(duk_context *ctx, struct js_ring *r)
{
    unsigned slot = r->head;
    duk_idx_t arr;

    duk_push_heapptr(ctx, r->values);
    arr = duk_get_top_index(ctx);
    for (unsigned k = 0; k < JOB_WIDTH; k++)
        duk_get_prop_index(ctx, arr, slot * JOB_WIDTH + k);
    r->head = (r->head + 1) & (r->cap - 1);
    r->count--;
    return r->fns[slot];
}

/* Once R is empty: drops every value its array keeps (one length write)
 * and starts again from slot 0. */
static void ring_reset(duk_context *ctx, struct js_ring *r)
{
    if (r->count != 0)
        return;
    r->head = 0;
    duk_push_heapptr(ctx, r->values);
    duk_set_length(ctx, -1, 0);
    duk_pop(ctx);
}

/* --- hooks --- */

int js_report_error(duk_context *ctx, struct js_promises *p, duk_idx_t idx)
{
    idx = duk_normalize_index(ctx, idx);
    duk_push_heapptr(ctx, p->native);
    if (!duk_get_prop_literal(ctx, -1, "reportError") || !duk_is_function(ctx, -1)) {
        duk_pop_2(ctx);
        return 0;
    }
    duk_swap_top(ctx, -2);                   /* [fn native] */
    duk_dup(ctx, idx);
    if (duk_pcall_method(ctx, 1) != 0)
        return -1;
    duk_pop(ctx);
    return 0;
}

void js_job_failed(duk_context *ctx, struct js_promises *p)
{
    if (js_report_error(ctx, p, -1) != 0) {
        p->stopping = 1;
        (void)duk_throw(ctx);
    }
    duk_pop(ctx);
}

void js_note_rejection(duk_context *ctx, struct js_promises *p, duk_idx_t idx)
{
    idx = duk_normalize_index(ctx, idx);
    duk_push_heapptr(ctx, p->rejections);
    duk_dup(ctx, idx);
    duk_put_prop_index(ctx, -2, p->nrejections++);
    duk_pop(ctx);
    request_drain(ctx, p);
}

/* Calls native.unhandledRejection(reason, promise) for each promise noted
 * rejected since the last report that still has no handler; what it
 * throws is reported as a job's error. Those rejected meanwhile wait for
 * the next report (a new array takes them). */
static void report_unhandled(duk_context *ctx, struct js_promises *p)
{
    unsigned n = p->nrejections;
    duk_idx_t list;

    if (n == 0)
        return;
    duk_push_heapptr(ctx, p->rejections);
    list = duk_get_top_index(ctx);
    duk_push_heap_stash(ctx);
    duk_push_array(ctx);
    p->rejections = duk_get_heapptr(ctx, -1);
    p->nrejections = 0;
    duk_put_prop_literal(ctx, -2, STASH_REJECTIONS);
    duk_pop(ctx);
    for (unsigned i = 0; i < n; i++) {
        duk_get_prop_index(ctx, list, i);             /* [list promise] */
        if (js_promise_unhandled(ctx, -1)) {          /* [list promise reason] */
            duk_push_heapptr(ctx, p->native);
            if (duk_get_prop_literal(ctx, -1, "unhandledRejection") && duk_is_function(ctx, -1)) {
                duk_swap_top(ctx, -2);                /* [.. reason fn native] */
                duk_dup(ctx, -3);
                duk_dup(ctx, -5);
                if (duk_pcall_method(ctx, 2) != 0)
                    js_job_failed(ctx, p);
                else
                    duk_pop(ctx);
                duk_pop(ctx);
            } else {
                duk_pop_3(ctx);
            }
        }
        duk_pop(ctx);
    }
    duk_pop(ctx);
}

/* --- the drain --- */

/* Runs the first job of R, dropping what it leaves on the stack. */
static void run_first(duk_context *ctx, struct js_promises *p, struct js_ring *r)
{
    duk_idx_t base = duk_get_top(ctx);
    eider_job_fn *fn = ring_shift(ctx, r);

    fn(ctx, p, base + 1);
    duk_set_top(ctx, base);
}

/* Under duk_safe_call: ticks, then jobs (those queued meanwhile too),
 * then the report once no tick is left, while any work remains. */
static duk_ret_t drain_loop(duk_context *ctx, void *udata)
{
    struct js_promises *p = udata;

    do {
        while (p->ticks.count > 0)
            run_first(ctx, p, &p->ticks);
        while (p->jobs.count > 0)
            run_first(ctx, p, &p->jobs);
        if (p->ticks.count == 0)
            report_unhandled(ctx, p);
    } while (p->jobs.count > 0 || p->ticks.count > 0);
    return 0;
}

int eider_js_microtasks_requested(duk_context *ctx)
{
    return js_promises_of(ctx)->requested;
}

/* A job throws out of the loop only for what the core itself hit (the
 * heap limit): reported as a job's error, and the drain goes on with the
 * next job, as the jobs that catch do. */
void eider_js_run_microtasks(duk_context *ctx)
{
    struct js_promises *p = js_promises_of(ctx);

    if (p->draining)
        return;
    p->draining = 1;
    p->requested = 0;
    while (duk_safe_call(ctx, drain_loop, p, 0, 1) != 0) {
        if (p->stopping || js_report_error(ctx, p, -1) != 0) {
            p->stopping = 0;
            p->draining = 0;
            (void)duk_throw(ctx);
        }
        duk_pop(ctx);
    }
    duk_pop(ctx);
    ring_reset(ctx, &p->jobs);
    ring_reset(ctx, &p->ticks);
    p->draining = 0;
}

/* --- queueMicrotask and process.nextTick --- */

/* Job of queueMicrotask: fn(). */
static void run_callback(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    duk_dup(ctx, args);
    if (duk_pcall(ctx, 0) != 0)
        js_job_failed(ctx, p);
}

/* Job of process.nextTick: fn(...args), args an array or undefined. */
static void run_tick(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    duk_idx_t n = 0;

    duk_dup(ctx, args);
    if (duk_is_array(ctx, args + 1)) {
        n = (duk_idx_t)duk_get_length(ctx, args + 1);
        duk_require_stack(ctx, n);
        for (duk_idx_t i = 0; i < n; i++)
            duk_get_prop_index(ctx, args + 1, (duk_uarridx_t)i);
    }
    if (duk_pcall(ctx, n) != 0)
        js_job_failed(ctx, p);
}

/* native.runMicrotasks() */
static duk_ret_t native_run(duk_context *ctx)
{
    eider_js_run_microtasks(ctx);
    return 0;
}

/* queueMicrotask(fn) */
static duk_ret_t native_queue_microtask(duk_context *ctx)
{
    if (!duk_is_function(ctx, 0))
        return duk_type_error(ctx, "queueMicrotask: callback is not a function");
    js_queue(ctx, js_promises_of(ctx), &js_promises_of(ctx)->jobs, run_callback, 0, 1);
    return 0;
}

/* typeof of what is no function, by duk_get_type(). */
static const char *const type_names[] = {
    [DUK_TYPE_NONE] = "undefined", [DUK_TYPE_UNDEFINED] = "undefined",
    [DUK_TYPE_NULL] = "object", [DUK_TYPE_BOOLEAN] = "boolean", [DUK_TYPE_NUMBER] = "number",
    [DUK_TYPE_STRING] = "string", [DUK_TYPE_OBJECT] = "object", [DUK_TYPE_BUFFER] = "object",
    [DUK_TYPE_POINTER] = "pointer", [DUK_TYPE_LIGHTFUNC] = "function",
};

/* process.nextTick(fn, ...args) */
static duk_ret_t native_next_tick(duk_context *ctx)
{
    struct js_promises *p = js_promises_of(ctx);
    duk_idx_t n = duk_get_top(ctx);

    if (!duk_is_function(ctx, 0))
        return duk_type_error(ctx, "The \"callback\" argument must be of type function. Received %s",
                              duk_is_symbol(ctx, 0) ? "symbol" : type_names[duk_get_type(ctx, 0)]);
    duk_dup(ctx, 0);
    if (n > 1) {
        duk_push_array(ctx);
        for (duk_idx_t i = 1; i < n; i++) {
            duk_dup(ctx, i);
            duk_put_prop_index(ctx, -2, (duk_uarridx_t)(i - 1));
        }
    } else {
        duk_push_undefined(ctx);
    }
    js_queue(ctx, p, &p->ticks, run_tick, -2, 2);
    return 0;
}

static const duk_function_list_entry microtask_natives[] = {
    { "runMicrotasks", native_run, 0 },
    { "queueMicrotask", native_queue_microtask, 1 },
    { "nextTick", native_next_tick, DUK_VARARGS },
    { NULL, NULL, 0 }
};

void js_microtask_init(duk_context *ctx, struct js_promises *p, duk_idx_t stash)
{
    static const char *const keys[] = { STASH_JOBS, STASH_TICKS, STASH_REJECTIONS };
    void **arrays[] = { &p->jobs.values, &p->ticks.values, &p->rejections };

    stash = duk_normalize_index(ctx, stash);
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        duk_push_array(ctx);
        *arrays[i] = duk_get_heapptr(ctx, -1);
        duk_put_prop_string(ctx, stash, keys[i]);
    }
    duk_push_heapptr(ctx, p->native);
    duk_put_function_list(ctx, -1, microtask_natives);
    duk_pop(ctx);
}

void js_microtask_free(struct js_promises *p)
{
    free(p->jobs.fns);
    free(p->ticks.fns);
}
