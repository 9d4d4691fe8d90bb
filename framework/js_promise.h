/*
 * The Promise core in C (js_promise.c) and the microtask queue its jobs,
 * queueMicrotask() and process.nextTick() share (js_microtask.c).
 *
 * A host makes the core once per heap with eider_js_promise_natives(),
 * before the prelude runs (prelude.js takes native.Promise and adds the
 * statics written in JavaScript), and frees it with
 * eider_js_promise_free() before it destroys the heap. The core depends
 * on no other part of eider's runtime, so tests/js's harness links it
 * alone. It calls the host back through the native object, looked up at
 * each call (a test may replace them): native.requestDrain(),
 * native.reportError(err), native.unhandledRejection(reason, promise);
 * see framework/js/prelude.js's contract.
 */
#ifndef EIDER_JS_PROMISE_H
#define EIDER_JS_PROMISE_H

#include "js_engine.h"

/* Puts on the object at NATIVE: Promise (the constructor, with
 * prototype.then and catch, Promise.resolve and reject), runMicrotasks,
 * newPromise, settlePromise, awaitValue, queueMicrotask, nextTick and
 * promiseState. Allocates the heap's core state (one per heap). */
void eider_js_promise_natives(duk_context *ctx, duk_idx_t native);

/* Frees the core state of CTX's heap; call before duk_destroy_heap. */
void eider_js_promise_free(duk_context *ctx);

/* Pushes a new pending promise (native.newPromise()). */
void eider_js_promise_push_new(duk_context *ctx);

/* Settles the pending promise at PROMISE with the value at VALUE: rejects
 * it if REJECT, else resolves it (following a thenable); a promise
 * already settled or resolved is left alone (native.settlePromise()). */
void eider_js_promise_settle(duk_context *ctx, duk_idx_t promise, int reject, duk_idx_t value);

/* What `await value` does with the value at VALUE: once it settles, a job
 * calls the function at RESUME as resume(state, outcome, rejected), STATE
 * being the value at STATE (native.awaitValue()). May throw (a getter). */
void eider_js_promise_await(duk_context *ctx, duk_idx_t value, duk_idx_t resume, duk_idx_t state);

/* 1 if the value at IDX is one of the core's promises, 0 if not. */
int eider_js_is_promise(duk_context *ctx, duk_idx_t idx);

/* 1 if jobs or ticks were queued since the last drain began. */
int eider_js_microtasks_requested(duk_context *ctx);

/* Runs queued ticks and jobs until none is left, then reports unhandled
 * rejections (native.runMicrotasks()); nested calls do nothing. Throws
 * what native.reportError throws, leaving the jobs not run queued. */
void eider_js_run_microtasks(duk_context *ctx);

#endif
