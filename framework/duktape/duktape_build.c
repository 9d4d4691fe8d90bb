/*
 * Compiles Debian's amalgamated duktape.c with eider's configuration.
 * duk_config.h must see DUK_COMPILING_DUKTAPE (as duktape.c would define
 * it) to pick the platform's date and time providers; after our header
 * the include guard makes duktape.c's own include of duk_config.h a no-op.
 */
#define DUK_COMPILING_DUKTAPE
#include "eider_duk_config.h"
#include <duktape.c>

/* Set by js_time_limit's timer (js_deadline.c); tools that never arm
 * it leave it 0. */
volatile sig_atomic_t eider_js_alarm;

/* DUK_USE_NATIVE_STACK_CHECK (eider_duk_config.h), once eider_js_alarm
 * is set: THR is the running Duktape thread. When the check finds the
 * deadline just passed (2: the first to see it), throws "execution
 * timeout" and zeroes the interrupt counter, so that the next bytecode
 * instruction runs the interrupt hook, which throws again (as after
 * Duktape's own timeout): a catch block does not get to run. Later native
 * calls go on (eider formats and logs the error with them), bytecode does
 * not. Returns 0. */
int eider_duk_alarm_check(void *p)
{
    duk_hthread *thr = p;

    if (eider_js_exec_timeout(thr->heap->heap_udata) != 2)
        return 0;
    thr->interrupt_init = 0;
    thr->interrupt_counter = 0;
    DUK_ERROR_RANGE(thr, "execution timeout");
    DUK_WO_NORETURN(return 0;);
}

/* eider's allocator calls this once eider_js_alarm is set
 * (eider_duk_config.h): CTX is a thread of the heap. Zeroes the counter of
 * the running thread, if any: the next bytecode instruction runs the
 * interrupt hook. Outside a signal handler: the executor reads the counter
 * anew at each instruction, and an allocation is a call. */
void eider_duk_interrupt_soon(void *ctx)
{
    duk_hthread *thr = ctx;

    if (thr != NULL && thr->heap->curr_thread != NULL)
        thr->heap->curr_thread->interrupt_counter = 0;
}

/* Duktape's internal duk_pack() (Debian's 2.7 does not export it): pops
 * COUNT values and pushes an array of them, its array part allocated at
 * that size at once, where duk_push_array() and a put per value grow it
 * step by step (the Promise core's reactions, js_promise.c). */
void eider_duk_pack(void *ctx, int count)
{
    duk_pack((duk_hthread *)ctx, (duk_idx_t)count);
}
