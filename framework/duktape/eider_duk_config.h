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

/* The exec-timeout hook: Duktape calls eider_js_exec_timeout() from its
 * interrupt handler; a non-zero return throws a RangeError in the running
 * code, which is how a runaway handler is stopped inside the engine. */
#define DUK_USE_INTERRUPT_COUNTER
#undef DUK_USE_EXEC_TIMEOUT_CHECK
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata) eider_js_exec_timeout((udata))
int eider_js_exec_timeout(void *udata);

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
