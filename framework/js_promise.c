/*
 * The Promise core in C (js_promise.h): a promise's state and reactions,
 * the resolving functions, then() and catch(), Promise.resolve and
 * reject, the jobs a promise queues once settled (js_microtask.c runs
 * them), and the host's side doors: a pending promise without an
 * executor (newPromise, settlePromise) and what an await waits with
 * (awaitValue). prelude.js adds what is written in JavaScript on top:
 * all, allSettled, race, withResolvers, finally (prelude_es.js: any).
 *
 * A promise is an object whose prototype is Promise.prototype with two
 * hidden properties, which no script can list or reach (nor a Proxy
 * trap): STATE, a number holding the state, whether a handler was ever
 * attached and the generation of its resolving functions; RESULT, the
 * value or reason once settled and, while pending, its reactions.
 *
 * The resolving functions' shared alreadyResolved flag is the
 * generation: a pair is made for the promise's generation at that time,
 * and the first call of either bumps it, which kills the pair. A new
 * pair is only ever made after the old one was used (to follow a
 * thenable), so the pair of the current generation is the only live one.
 */
#include <stdlib.h>

#include "alloc.h"
#include "js_promise_internal.h"

#define KEY_STATE DUK_HIDDEN_SYMBOL("pState")
#define KEY_RESULT DUK_HIDDEN_SYMBOL("pResult")
#define KEY_OF DUK_HIDDEN_SYMBOL("pOf")     /* a resolving function's promise */
#define KEY_GEN DUK_HIDDEN_SYMBOL("pGen")   /* its generation, past GEN_MAGIC_MAX */

#define STASH_CORE "promiseCore"   /* [native, Promise, prototype, then] */

/* The state word: bits 0-1 the state, bit 2 HANDLED, the rest the
 * generation. */
enum { PENDING = 0, FULFILLED = 1, REJECTED = 2, SETTLED = 3, HANDLED = 4 };
#define GEN_SHIFT 3
#define GEN_ONE (1 << GEN_SHIFT)
/* A resolving function keeps its generation and kind in its 16-bit magic
 * (gen << 1 | reject); from this generation on, in a property. */
#define GEN_MAGIC_MAX 0x3fff

/* A reaction, kept in a pending promise's RESULT array as four values
 * (kind, a, b, c) and queued as a job with (value, a, b on fulfilment or
 * c on rejection): THEN's are (derived promise, onFulfilled, onRejected),
 * AWAIT's (resume, state, state). */
enum { THEN, AWAIT };
#define REACTION_WIDTH 4

static void resolve_promise(duk_context *ctx, struct js_promises *p, duk_idx_t promise, duk_idx_t x);
static void settle(duk_context *ctx, struct js_promises *p, duk_idx_t promise, int outcome,
                   duk_idx_t value);

/* --- the heaps' cores --- */

static struct js_promises **cores;
static size_t ncores;

/* The heap's allocator udata, which tells heaps apart (NULL for a default
 * heap: one such heap per process). */
static void *heap_key(duk_context *ctx)
{
    duk_memory_functions funcs;

    duk_get_memory_functions(ctx, &funcs);
    return funcs.udata;
}

struct js_promises *js_promises_of(duk_context *ctx)
{
    void *key = heap_key(ctx);

    for (size_t i = 0; i < ncores; i++)
        if (cores[i]->key == key)
            return cores[i];
    (void)duk_error(ctx, DUK_ERR_ERROR, "this heap has no Promise core (eider_js_promise_natives)");
    return NULL;
}

/* --- state --- */

/* The state word of the promise at IDX, or -1 if IDX holds no promise.
 * A hidden key never reaches a getter or a Proxy trap: this cannot throw. */
static int state_word(duk_context *ctx, duk_idx_t idx)
{
    int st = -1;

    if (duk_is_object(ctx, idx)) {
        if (duk_get_prop_literal(ctx, idx, KEY_STATE))
            st = duk_get_int(ctx, -1);
        duk_pop(ctx);
    }
    return st;
}

/* Sets the state word of the promise at PROMISE to ST. */
static void put_state(duk_context *ctx, duk_idx_t promise, int st)
{
    promise = duk_normalize_index(ctx, promise);
    duk_push_int(ctx, st);
    duk_put_prop_literal(ctx, promise, KEY_STATE);
}

/* Pushes a new pending promise. */
static void push_promise(duk_context *ctx, struct js_promises *p)
{
    duk_push_object(ctx);
    duk_push_heapptr(ctx, p->proto);
    duk_set_prototype(ctx, -2);
    put_state(ctx, -1, PENDING);
}

int eider_js_is_promise(duk_context *ctx, duk_idx_t idx)
{
    return state_word(ctx, idx) >= 0;
}

int js_promise_unhandled(duk_context *ctx, duk_idx_t idx)
{
    int st = state_word(ctx, idx);

    if ((st & (SETTLED | HANDLED)) != REJECTED)
        return 0;
    duk_get_prop_literal(ctx, idx, KEY_RESULT);
    return 1;
}

/* --- jobs --- */

/* Job of a THEN reaction: (value, derived, handler). Calls the handler
 * and resolves the derived promise with its outcome; without a handler,
 * passes the source's outcome on. */
static void run_then(duk_context *ctx, struct js_promises *p, duk_idx_t args, int fulfilled)
{
    duk_idx_t outcome = args;

    if (duk_is_function(ctx, args + 2)) {
        duk_dup(ctx, args + 2);
        duk_dup(ctx, args);
        fulfilled = duk_pcall(ctx, 1) == 0;
        outcome = duk_get_top_index(ctx);
    }
    if (fulfilled)
        resolve_promise(ctx, p, args + 1, outcome);
    else
        settle(ctx, p, args + 1, REJECTED, outcome);
}

/* The job of a THEN reaction whose source was fulfilled, or rejected. */
static void job_then_fulfilled(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    run_then(ctx, p, args, 1);
}

static void job_then_rejected(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    run_then(ctx, p, args, 0);
}

static void resolve_once(duk_context *ctx, struct js_promises *p, duk_idx_t promise, int gen,
                         int reject, duk_idx_t value);

/* Job of an AWAIT reaction: (value, resume, state). Calls
 * resume(state, value, rejected). What it throws rejects state.promise
 * if that is one of ours still pending: a coroutine's (eider/async)
 * whose own catch could not run, as past js_time_limit, where no
 * bytecode runs any more; else it is reported. */
static void run_await(duk_context *ctx, struct js_promises *p, duk_idx_t args, int rejected)
{
    duk_dup(ctx, args + 1);
    duk_dup(ctx, args + 2);
    duk_dup(ctx, args);
    duk_push_boolean(ctx, rejected);
    if (duk_pcall(ctx, 3) == 0)
        return;
    if (duk_is_object(ctx, args + 2)) {
        duk_get_prop_literal(ctx, args + 2, "promise");   /* [err promise] */
        if ((state_word(ctx, -1) & ~HANDLED) == PENDING) {
            resolve_once(ctx, p, -1, 0, 1, -2);
            return;
        }
        duk_pop(ctx);
    }
    js_job_failed(ctx, p);
}

/* The job of an AWAIT reaction whose source was fulfilled, or rejected. */
static void job_await_fulfilled(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    run_await(ctx, p, args, 0);
}

static void job_await_rejected(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    run_await(ctx, p, args, 1);
}

/* The job a reaction of KIND queues on each outcome. */
static eider_job_fn *const reaction_jobs[][2] = {
    [THEN] = { job_then_fulfilled, job_then_rejected },
    [AWAIT] = { job_await_fulfilled, job_await_rejected },
};

/* Queues the job of a reaction (KIND, A, B, C: stack indices) for a
 * source settled with OUTCOME and the value at VALUE. */
static void queue_reaction(duk_context *ctx, struct js_promises *p, int kind, int outcome,
                           duk_idx_t value, duk_idx_t a, duk_idx_t b, duk_idx_t c)
{
    a = duk_normalize_index(ctx, a);
    b = duk_normalize_index(ctx, outcome == FULFILLED ? b : c);
    duk_dup(ctx, value);
    duk_dup(ctx, a);
    duk_dup(ctx, b);
    js_queue(ctx, p, &p->jobs, reaction_jobs[kind][outcome == REJECTED], -3, 3);
    duk_pop_3(ctx);
}

/* Adds the reaction (KIND, A, B, C: stack indices) to the promise at
 * SOURCE, whose state word is ST: queued now if it is settled, else kept
 * for settle(). Marks SOURCE handled. */
static void subscribe(duk_context *ctx, struct js_promises *p, duk_idx_t source, int st, int kind,
                      duk_idx_t a, duk_idx_t b, duk_idx_t c)
{
    duk_uarridx_t n;

    source = duk_normalize_index(ctx, source);
    a = duk_normalize_index(ctx, a);
    b = duk_normalize_index(ctx, b);
    c = duk_normalize_index(ctx, c);
    if (!(st & HANDLED))
        put_state(ctx, source, st | HANDLED);
    if ((st & SETTLED) != PENDING) {
        duk_get_prop_literal(ctx, source, KEY_RESULT);
        queue_reaction(ctx, p, kind, st & SETTLED, -1, a, b, c);
        duk_pop(ctx);
        return;
    }
    if (!duk_get_prop_literal(ctx, source, KEY_RESULT)) {
        /* The first reaction: an array made at its size at once. */
        duk_pop(ctx);
        duk_push_int(ctx, kind);
        duk_dup(ctx, a);
        duk_dup(ctx, b);
        duk_dup(ctx, c);
        eider_duk_pack(ctx, REACTION_WIDTH);
        duk_put_prop_literal(ctx, source, KEY_RESULT);
        return;
    }
    n = (duk_uarridx_t)duk_get_length(ctx, -1);
    duk_push_int(ctx, kind);
    duk_put_prop_index(ctx, -2, n);
    duk_dup(ctx, a);
    duk_put_prop_index(ctx, -2, n + 1);
    duk_dup(ctx, b);
    duk_put_prop_index(ctx, -2, n + 2);
    duk_dup(ctx, c);
    duk_put_prop_index(ctx, -2, n + 3);
    duk_pop(ctx);
}

/* Settles the pending promise at PROMISE with OUTCOME (FULFILLED or
 * REJECTED) and the value at VALUE, and queues its reactions. */
static void settle(duk_context *ctx, struct js_promises *p, duk_idx_t promise, int outcome,
                   duk_idx_t value)
{
    int st = state_word(ctx, promise);
    duk_idx_t reactions;

    promise = duk_normalize_index(ctx, promise);
    value = duk_normalize_index(ctx, value);
    duk_get_prop_literal(ctx, promise, KEY_RESULT);
    reactions = duk_get_top_index(ctx);
    put_state(ctx, promise, (st & ~SETTLED) | outcome);
    duk_dup(ctx, value);
    duk_put_prop_literal(ctx, promise, KEY_RESULT);
    if (outcome == REJECTED && !(st & HANDLED))
        js_note_rejection(ctx, p, promise);
    if (duk_is_array(ctx, reactions)) {
        duk_uarridx_t n = (duk_uarridx_t)duk_get_length(ctx, reactions);
        for (duk_uarridx_t i = 0; i + REACTION_WIDTH <= n; i += REACTION_WIDTH) {
            for (duk_uarridx_t k = 0; k < REACTION_WIDTH; k++)
                duk_get_prop_index(ctx, reactions, i + k);
            queue_reaction(ctx, p, duk_get_int(ctx, -4), outcome, value, -3, -2, -1);
            duk_pop_n(ctx, REACTION_WIDTH);
        }
    }
    duk_pop(ctx);
}

static duk_ret_t resolving_fn(duk_context *ctx);

/* Pushes the resolve and reject functions of generation GEN for the
 * promise at PROMISE. */
static void push_resolving(duk_context *ctx, duk_idx_t promise, int gen)
{
    promise = duk_normalize_index(ctx, promise);
    for (int reject = 0; reject < 2; reject++) {
        duk_push_c_function(ctx, resolving_fn, 1);
        duk_set_magic(ctx, -1, (gen < GEN_MAGIC_MAX ? gen : GEN_MAGIC_MAX) << 1 | reject);
        duk_dup(ctx, promise);
        duk_put_prop_literal(ctx, -2, KEY_OF);
        if (gen >= GEN_MAGIC_MAX) {
            duk_push_int(ctx, gen);
            duk_put_prop_literal(ctx, -2, KEY_GEN);
        }
    }
}

/* What a resolving function of generation GEN does with the value at
 * VALUE: nothing if the promise at PROMISE was resolved since (another
 * generation) or settled; else bumps the generation and rejects it
 * (REJECT) or resolves it. */
static void resolve_once(duk_context *ctx, struct js_promises *p, duk_idx_t promise, int gen,
                         int reject, duk_idx_t value)
{
    int st = state_word(ctx, promise);

    if (st < 0 || (st & SETTLED) != PENDING || st >> GEN_SHIFT != gen)
        return;
    put_state(ctx, promise, st + GEN_ONE);
    if (reject)
        settle(ctx, p, promise, REJECTED, value);
    else
        resolve_promise(ctx, p, promise, value);
}

/* resolve(value) and reject(reason) of a promise's executor or of a
 * thenable being followed. */
static duk_ret_t resolving_fn(duk_context *ctx)
{
    int magic = duk_get_current_magic(ctx), gen = magic >> 1;

    duk_push_current_function(ctx);
    duk_get_prop_literal(ctx, 1, KEY_OF);
    if (gen == GEN_MAGIC_MAX) {
        duk_get_prop_literal(ctx, 1, KEY_GEN);
        gen = duk_get_int(ctx, -1);
        duk_pop(ctx);
    }
    resolve_once(ctx, js_promises_of(ctx), 2, gen, magic & 1, 0);
    return 0;
}

/* Job: (source, target) our own promise followed by another: what
 * source.then(resolve, reject) does for target, without the resolving
 * functions and the derived promise no one sees. */
static void job_adopt(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    duk_push_undefined(ctx);
    subscribe(ctx, p, args, state_word(ctx, args), THEN, args + 1, -1, -1);
}

/* Job: (promise, thenable, then): then.call(thenable, resolve, reject)
 * with resolving functions for promise; a throw rejects it (unless
 * either was called). */
static void job_thenable(duk_context *ctx, struct js_promises *p, duk_idx_t args)
{
    int gen = state_word(ctx, args) >> GEN_SHIFT;

    duk_dup(ctx, args + 2);
    duk_dup(ctx, args + 1);
    push_resolving(ctx, args, gen);
    if (duk_pcall_method(ctx, 2) != 0)
        resolve_once(ctx, p, args, gen, 1, -1);
}

/* --- the resolution procedure --- */

/* Under duk_safe_call: [x] -> [x.then], which may run a getter. */
static duk_ret_t get_then(duk_context *ctx, void *udata)
{
    (void)udata;
    duk_get_prop_literal(ctx, -1, "then");
    return 1;
}

/* The Promise Resolution Procedure (Promises/A+ 2.3) for the promise at
 * PROMISE and the value at X: fulfils with x, or follows x if it is a
 * thenable, from a job (as ES2015 does); our own promise with its own
 * then() is followed without calling it. */
static void resolve_promise(duk_context *ctx, struct js_promises *p, duk_idx_t promise, duk_idx_t x)
{
    promise = duk_normalize_index(ctx, promise);
    x = duk_normalize_index(ctx, x);
    if (!duk_check_type_mask(ctx, x, DUK_TYPE_MASK_OBJECT | DUK_TYPE_MASK_LIGHTFUNC)) {
        settle(ctx, p, promise, FULFILLED, x);
        return;
    }
    if (duk_strict_equals(ctx, x, promise)) {
        duk_push_error_object(ctx, DUK_ERR_TYPE_ERROR, "Chaining cycle detected for promise");
        settle(ctx, p, promise, REJECTED, -1);
        duk_pop(ctx);
        return;
    }
    duk_dup(ctx, x);
    if (duk_safe_call(ctx, get_then, NULL, 1, 1) != 0) {
        settle(ctx, p, promise, REJECTED, -1);
    } else if (!duk_is_function(ctx, -1)) {
        settle(ctx, p, promise, FULFILLED, x);
    } else if (duk_get_heapptr(ctx, -1) == p->then && state_word(ctx, x) >= 0) {
        duk_dup(ctx, x);
        duk_dup(ctx, promise);
        js_queue(ctx, p, &p->jobs, job_adopt, -2, 2);
        duk_pop_2(ctx);
    } else {
        duk_dup(ctx, promise);
        duk_dup(ctx, x);
        duk_dup(ctx, -3);
        js_queue(ctx, p, &p->jobs, job_thenable, -3, 3);
        duk_pop_3(ctx);
    }
    duk_pop(ctx);
}

/* Pushes Promise.resolve(value at VALUE), without a receiver: the value
 * itself if it is our promise made by Promise, else a new promise
 * resolved with it. */
static void push_resolved(duk_context *ctx, struct js_promises *p, duk_idx_t value)
{
    value = duk_normalize_index(ctx, value);
    if (state_word(ctx, value) >= 0) {
        int same;
        duk_get_prop_literal(ctx, value, "constructor");
        same = duk_get_heapptr(ctx, -1) == p->ctor;
        duk_pop(ctx);
        if (same) {
            duk_dup(ctx, value);
            return;
        }
    }
    push_promise(ctx, p);
    resolve_promise(ctx, p, -1, value);
}

/* --- Promise and its prototype --- */

/* new Promise(executor); also called with an instance as this (an ES5
 * subclass, TypeScript's _super.call(this, executor)). */
static duk_ret_t promise_construct(duk_context *ctx)
{
    struct js_promises *p = js_promises_of(ctx);

    duk_push_this(ctx);
    if (!duk_is_constructor_call(ctx)) {
        duk_push_current_function(ctx);
        if (!duk_is_object(ctx, 1) || !duk_instanceof(ctx, 1, 2))
            return duk_type_error(ctx, "Constructor Promise requires 'new'");
        duk_pop(ctx);
    }
    if (!duk_is_function(ctx, 0))
        return duk_type_error(ctx, "Promise resolver is not a function");
    put_state(ctx, 1, PENDING);
    duk_dup(ctx, 0);
    push_resolving(ctx, 1, 0);
    if (duk_pcall(ctx, 2) != 0)
        resolve_once(ctx, p, 1, 0, 1, -1);
    return 0;
}

/* promise.then(onFulfilled, onRejected) */
static duk_ret_t promise_then(duk_context *ctx)
{
    struct js_promises *p = js_promises_of(ctx);
    int st;

    duk_push_this(ctx);
    if ((st = state_word(ctx, 2)) < 0)
        return duk_type_error(ctx, "Promise.prototype.then called on a non-promise");
    push_promise(ctx, p);
    subscribe(ctx, p, 2, st, THEN, 3, 0, 1);
    return 1;
}

/* promise.catch(onRejected): this.then(undefined, onRejected) */
static duk_ret_t promise_catch(duk_context *ctx)
{
    duk_push_this(ctx);
    duk_get_prop_literal(ctx, -1, "then");
    duk_dup(ctx, 1);
    duk_push_undefined(ctx);
    duk_dup(ctx, 0);
    duk_call_method(ctx, 2);
    return 1;
}

/* Promise.resolve(value) */
static duk_ret_t promise_resolve(duk_context *ctx)
{
    push_resolved(ctx, js_promises_of(ctx), 0);
    return 1;
}

/* Promise.reject(reason) */
static duk_ret_t promise_reject(duk_context *ctx)
{
    struct js_promises *p = js_promises_of(ctx);

    push_promise(ctx, p);
    settle(ctx, p, -1, REJECTED, 0);
    return 1;
}

/* --- the host's side doors --- */

void eider_js_promise_push_new(duk_context *ctx)
{
    push_promise(ctx, js_promises_of(ctx));
}

void eider_js_promise_settle(duk_context *ctx, duk_idx_t promise, int reject, duk_idx_t value)
{
    resolve_once(ctx, js_promises_of(ctx), promise, 0, reject, value);
}

void eider_js_promise_await(duk_context *ctx, duk_idx_t value, duk_idx_t resume, duk_idx_t state)
{
    struct js_promises *p = js_promises_of(ctx);

    value = duk_normalize_index(ctx, value);
    resume = duk_normalize_index(ctx, resume);
    state = duk_normalize_index(ctx, state);
    if (!duk_check_type_mask(ctx, value, DUK_TYPE_MASK_OBJECT | DUK_TYPE_MASK_LIGHTFUNC)) {
        queue_reaction(ctx, p, AWAIT, FULFILLED, value, resume, state, state);
        return;
    }
    push_resolved(ctx, p, value);
    subscribe(ctx, p, -1, state_word(ctx, -1), AWAIT, resume, state, state);
    duk_pop(ctx);
}

/* native.newPromise() */
static duk_ret_t native_new_promise(duk_context *ctx)
{
    push_promise(ctx, js_promises_of(ctx));
    return 1;
}

/* native.settlePromise(promise, rejected, value) */
static duk_ret_t native_settle_promise(duk_context *ctx)
{
    eider_js_promise_settle(ctx, 0, duk_to_boolean(ctx, 1), 2);
    return 0;
}

/* native.awaitValue(value, resume, state) */
static duk_ret_t native_await_value(duk_context *ctx)
{
    eider_js_promise_await(ctx, 0, 1, 2);
    return 0;
}

/* native.promiseState(p): [state, value] (0 pending, 1 fulfilled, 2
 * rejected; value undefined while pending) for util.inspect, or
 * undefined for what is not our promise. */
static duk_ret_t native_promise_state(duk_context *ctx)
{
    int st = state_word(ctx, 0);

    if (st < 0)
        return 0;
    duk_push_array(ctx);
    duk_push_int(ctx, st & SETTLED);
    duk_put_prop_index(ctx, -2, 0);
    if ((st & SETTLED) != PENDING)
        duk_get_prop_literal(ctx, 0, KEY_RESULT);
    else
        duk_push_undefined(ctx);
    duk_put_prop_index(ctx, -2, 1);
    return 1;
}

/* --- setting up --- */

static const duk_function_list_entry prototype_methods[] = {
    { "then", promise_then, 2 },
    { "catch", promise_catch, 1 },
    { NULL, NULL, 0 }
};

static const duk_function_list_entry statics[] = {
    { "resolve", promise_resolve, 1 },
    { "reject", promise_reject, 1 },
    { NULL, NULL, 0 }
};

static const duk_function_list_entry promise_natives[] = {
    { "newPromise", native_new_promise, 0 },
    { "settlePromise", native_settle_promise, 3 },
    { "awaitValue", native_await_value, 3 },
    { "promiseState", native_promise_state, 1 },
    { NULL, NULL, 0 }
};

/* Sets the name of the function on top, as a builtin's (configurable). */
static void set_name(duk_context *ctx, const char *name)
{
    duk_push_literal(ctx, "name");
    duk_push_string(ctx, name);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_CONFIGURABLE
                 | DUK_DEFPROP_CLEAR_WRITABLE | DUK_DEFPROP_CLEAR_ENUMERABLE);
}

/* Defines each function of LIST on the object at OBJ as builtins'
 * methods are: named, writable, configurable, not enumerable. */
static void def_methods(duk_context *ctx, duk_idx_t obj, const duk_function_list_entry *list)
{
    obj = duk_normalize_index(ctx, obj);
    for (; list->key != NULL; list++) {
        duk_push_string(ctx, list->key);
        duk_push_c_function(ctx, list->value, list->nargs);
        set_name(ctx, list->key);
        duk_def_prop(ctx, obj, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                     | DUK_DEFPROP_SET_CONFIGURABLE | DUK_DEFPROP_CLEAR_ENUMERABLE);
    }
}

/* Defines KEY on the object at OBJ as the value on top (popped), not
 * enumerable; FLAGS add writable or configurable. */
static void def_value(duk_context *ctx, duk_idx_t obj, const char *key, duk_uint_t flags)
{
    obj = duk_normalize_index(ctx, obj);
    duk_push_string(ctx, key);
    duk_insert(ctx, -2);
    duk_def_prop(ctx, obj, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_HAVE_WRITABLE
                 | DUK_DEFPROP_HAVE_CONFIGURABLE | DUK_DEFPROP_CLEAR_ENUMERABLE | flags);
}

void eider_js_promise_natives(duk_context *ctx, duk_idx_t native)
{
    struct js_promises *p = eider_calloc(1, sizeof(*p));
    duk_idx_t ctor, proto;

    native = duk_normalize_index(ctx, native);
    p->key = heap_key(ctx);
    p->native = duk_get_heapptr(ctx, native);
    cores = eider_realloc(cores, (ncores + 1) * sizeof(*cores));
    cores[ncores++] = p;

    duk_push_c_function(ctx, promise_construct, 1);
    ctor = duk_get_top_index(ctx);
    set_name(ctx, "Promise");
    duk_push_object(ctx);
    proto = duk_get_top_index(ctx);
    def_methods(ctx, proto, prototype_methods);
    duk_dup(ctx, ctor);
    def_value(ctx, proto, "constructor", DUK_DEFPROP_WRITABLE | DUK_DEFPROP_CONFIGURABLE);
    duk_dup(ctx, proto);
    def_value(ctx, ctor, "prototype", 0);
    def_methods(ctx, ctor, statics);
    duk_get_prop_literal(ctx, proto, "then");
    p->ctor = duk_get_heapptr(ctx, ctor);
    p->proto = duk_get_heapptr(ctx, proto);
    p->then = duk_get_heapptr(ctx, -1);

    /* The stash keeps what the core points to, whatever scripts do to
     * Promise, its prototype or the native object. */
    duk_push_heap_stash(ctx);
    duk_push_array(ctx);
    duk_dup(ctx, native);
    duk_put_prop_index(ctx, -2, 0);
    for (duk_idx_t i = 0; i < 3; i++) {
        duk_dup(ctx, ctor + i);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i + 1);
    }
    duk_put_prop_literal(ctx, -2, STASH_CORE);
    js_microtask_init(ctx, p, -1);
    duk_pop_n(ctx, 4);   /* stash, then, proto, ctor */

    duk_push_heapptr(ctx, p->ctor);
    duk_put_prop_literal(ctx, native, "Promise");
    duk_put_function_list(ctx, native, promise_natives);
}

void eider_js_promise_free(duk_context *ctx)
{
    void *key = heap_key(ctx);

    for (size_t i = 0; i < ncores; i++) {
        if (cores[i]->key == key) {
            js_microtask_free(cores[i]);
            free(cores[i]);
            cores[i] = cores[--ncores];
            return;
        }
    }
}
