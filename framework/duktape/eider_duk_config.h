/*
 * Duktape configuration for eider: Debian's duk_config.h plus our overrides.
 *
 * Debian's libduktape is built without the interrupt counter (so no way to
 * stop a runaway handler) and without fastint. We compile duktape.c
 * ourselves, and every eider file includes Duktape through js_engine.h,
 * which includes this header first, so the library and its users agree.
 */
#ifndef EIDER_DUK_CONFIG_H
#define EIDER_DUK_CONFIG_H

#include <duk_config.h>   /* Debian's, found through -I$(DUKTAPE_SRCDIR) */

/* Integers stay integers: cheaper arithmetic and array indexing. */
#define DUK_USE_FASTINT

/* js_time_limit (framework/js_deadline.c). A timer's signal sets
 * eider_js_alarm at the deadline; the engine tests the flag (one load)
 * where it may spend long and, only when it is set, asks
 * eider_js_exec_timeout(), which reads the clock: non-zero means the
 * deadline has passed.
 *
 * 1. Duktape's interrupt hook, which throws a RangeError ("execution
 *    timeout") in the running code when the check says so. Duktape runs it
 *    every 256K bytecode instructions, fixed in duktape.c: a loop whose
 *    instructions are slow (string concatenation of long strings) would
 *    run on for seconds. The check is expanded inside
 *    duk__executor_interrupt(), whose local `ctr` is the next interval:
 *    setting it here is the only way to shorten the interval without
 *    patching duktape.c (a rename there fails the build, it does not go
 *    silently wrong). */
#define DUK_USE_INTERRUPT_COUNTER
#define EIDER_JS_INTERRUPT_INTERVAL 1024
#undef DUK_USE_EXEC_TIMEOUT_CHECK
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata) \
    (ctr = EIDER_JS_INTERRUPT_INTERVAL, eider_js_alarm && eider_js_exec_timeout((udata)))
int eider_js_exec_timeout(void *udata);
#include <signal.h>
extern volatile sig_atomic_t eider_js_alarm;

/* 2. Duktape's native stack check, which it runs on every call (native
 *    ones too: a loop of join() runs few instructions), every value
 *    JSON/CBOR encode or decode enters, number conversions, and every
 *    recursion of the regexp compiler and executor (backtracking: no
 *    bytecode runs there at all, and Duktape's own step limit takes ~8 s).
 *    Expanded in duk_native_stack_check(thr) only; `thr` is its argument.
 *    eider_duk_alarm_check() (duktape_build.c) throws the same RangeError
 *    as the interrupt hook, once per timeout, and makes the next bytecode
 *    instruction interrupt, so that catch blocks are stopped as by 1. */
#undef DUK_USE_NATIVE_STACK_CHECK
#define DUK_USE_NATIVE_STACK_CHECK() (eider_js_alarm && eider_duk_alarm_check((void *)(thr)))
int eider_duk_alarm_check(void *thr);

/* 3. eider's allocator (js_runtime.c), once the flag is set, calls this
 *    (duktape_build.c) with the heap's context: the next bytecode
 *    instruction of the running thread runs the interrupt hook. A slow
 *    instruction that calls nothing, such as the concatenation of long
 *    strings, allocates. */
void eider_duk_interrupt_soon(void *ctx);

/* Engine fatal errors go to eider's log before the process aborts. */
#undef DUK_USE_FATAL_HANDLER
#define DUK_USE_FATAL_HANDLER(udata, msg) eider_js_fatal((udata), (msg))
void eider_js_fatal(void *udata, const char *msg);

/* JSON.stringify without the generic property walk: res.json() is on the
 * hot path (callgrind: 9.5k instructions per small object without it). */
#define DUK_USE_JSON_STRINGIFY_FASTPATH

/* Deeper tracebacks make handler errors easier to locate. */
#undef DUK_USE_TRACEBACK_DEPTH
#define DUK_USE_TRACEBACK_DEPTH 16

#endif
