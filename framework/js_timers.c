/*
 * setTimeout, setInterval, setImmediate and their clear functions, on
 * libevent timers of the worker's loop. A timer's callback and arguments
 * live in the stash under its id; the C side holds only the event. Every
 * callback runs on the main context, its exception is logged with the
 * stack and never unwinds the loop, and the microtask queue is drained
 * after it, as in Node.
 */
#include <event2/event.h>
#include <stdlib.h>

#include "alloc.h"
#include "js_internal.h"
#include "log.h"

#define STASH_TIMERS "timers"
#define TIMER_PTR DUK_HIDDEN_SYMBOL("timer")

struct js_timer {
    struct event *ev;               /* NULL in a check run */
    struct eider_js *js;
    LIST_ENTRY(js_timer) link;      /* in js->timers: freed with the heap */
    unsigned id;
    int repeat;
    struct timeval every;
};

/* [entry] of the timer id on top of the stash timers object, or 0. */
static int push_entry(duk_context *ctx, unsigned id)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_TIMERS);
    duk_remove(ctx, -2);
    if (!duk_get_prop_index(ctx, -1, id)) {
        duk_pop_2(ctx);
        return 0;
    }
    duk_remove(ctx, -2);
    return 1;
}

/* Takes T off its runtime's list of live timers and frees its C side. */
static void free_timer(struct js_timer *t)
{
    LIST_REMOVE(t, link);
    if (t->ev)
        event_free(t->ev);
    free(t);
}

/* Drops T's callback from the stash and frees it. */
static void forget(duk_context *ctx, struct js_timer *t)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_TIMERS);
    duk_del_prop_index(ctx, -1, t->id);
    duk_pop_2(ctx);
    free_timer(t);
}

/* The timer ARG fired: runs its callback with its arguments (a one-shot
 * timer is forgotten first), logs what it throws, drains the microtasks. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct js_timer *t = arg;
    struct eider_js *js = t->js;   /* t may be freed before the call */
    duk_context *ctx = js->ctx;
    duk_idx_t base = duk_get_top(ctx), n;

    (void)fd, (void)what;
    if (!push_entry(ctx, t->id))
        return;
    /* entry = [fn, args...] */
    n = (duk_idx_t)duk_get_length(ctx, -1);
    for (duk_idx_t i = 0; i < n; i++)
        duk_get_prop_index(ctx, base, (duk_uarridx_t)i);
    if (!t->repeat)
        forget(ctx, t);   /* before the call: clearTimeout(self) is then a no-op */
    else
        evtimer_add(t->ev, &t->every);
    eider_js_enter(js);
    if (duk_pcall(ctx, n - 1) != 0)
        eider_js_log_error(ctx, -1, "a timer callback");
    duk_set_top(ctx, base);
    eider_js_drain(ctx);
    eider_js_leave(js);
    eider_js_maybe_gc(js);
}

/* setTimeout(fn, ms, ...args) and its siblings; magic: 0 timeout,
 * 1 interval, 2 immediate. Returns the timer id (a number). */
static duk_ret_t timer_set(duk_context *ctx)
{
    int kind = duk_get_current_magic(ctx);
    struct eider_js *js = eider_js_of(ctx);
    duk_idx_t nargs = duk_get_top(ctx), first_arg = kind == 2 ? 1 : 2;
    double ms = kind == 2 ? 0 : duk_to_number(ctx, 1);
    struct js_timer *t;

    if (!duk_is_function(ctx, 0))
        return duk_type_error(ctx, "the callback must be a function");
    if (!(ms >= 1) || ms > 2147483647.0)
        ms = kind == 2 ? 0 : 1;   /* Node: NaN, < 1 or too large becomes 1 ms */
    t = eider_calloc(1, sizeof(*t));
    t->js = js;
    t->id = ++js->next_timer_id;
    t->repeat = kind == 1;
    t->every.tv_sec = (time_t)(ms / 1000);
    t->every.tv_usec = (suseconds_t)((long long)ms % 1000 * 1000);
    LIST_INSERT_HEAD(&js->timers, t, link);

    /* stash.timers[id] = [fn, args..., pointer] */
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_TIMERS);
    duk_push_array(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_index(ctx, -2, 0);
    for (duk_idx_t i = first_arg, k = 1; i < nargs; i++, k++) {
        duk_dup(ctx, i);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)k);
    }
    duk_push_pointer(ctx, t);
    duk_put_prop_string(ctx, -2, TIMER_PTR);
    duk_put_prop_index(ctx, -2, t->id);
    duk_pop_2(ctx);

    if (js->base != NULL) {
        /* A libevent "common timeout" queue per duration keeps timers of
         * equal delay firing in the order they were set, as in Node (the
         * plain timer heap does not). Past libevent's 256 durations,
         * plain timers. */
        const struct timeval *common = event_base_init_common_timeout(js->base, &t->every);
        if (common != NULL)
            t->every = *common;
        t->ev = evtimer_new(js->base, on_timer, t);
        evtimer_add(t->ev, &t->every);
    } else {
        t->ev = NULL;   /* a check run: accepted, never fired */
    }
    duk_push_uint(ctx, t->id);
    return 1;
}

/* clearTimeout(id) and its siblings: forgets the timer; any other value,
 * or a timer already gone, is ignored as in Node. */
static duk_ret_t timer_clear(duk_context *ctx)
{
    struct js_timer *t;

    if (!duk_is_number(ctx, 0) || !push_entry(ctx, duk_get_uint(ctx, 0)))
        return 0;
    duk_get_prop_string(ctx, -1, TIMER_PTR);
    t = duk_get_pointer(ctx, -1);
    duk_pop_2(ctx);
    if (t != NULL)
        forget(ctx, t);
    return 0;
}

static const struct {
    const char *name;
    duk_c_function fn;
    int magic;
} timer_functions[] = {
    { "setTimeout", timer_set, 0 },
    { "setInterval", timer_set, 1 },
    { "setImmediate", timer_set, 2 },
    { "clearTimeout", timer_clear, 0 },
    { "clearInterval", timer_clear, 0 },
    { "clearImmediate", timer_clear, 0 },
};

/* Frees the C side of every timer of JS (at heap destruction); their
 * callbacks go with the heap. */
void eider_js_timers_free(struct eider_js *js)
{
    while (!LIST_EMPTY(&js->timers))
        free_timer(LIST_FIRST(&js->timers));
}

/* Installs setTimeout, setInterval, setImmediate and their clear
 * functions on the global object, with their stash table. */
void eider_js_timers_init(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_push_bare_object(ctx);
    duk_put_prop_string(ctx, -2, STASH_TIMERS);
    duk_pop(ctx);
    for (size_t i = 0; i < sizeof(timer_functions) / sizeof(timer_functions[0]); i++) {
        duk_push_c_function(ctx, timer_functions[i].fn, DUK_VARARGS);
        duk_set_magic(ctx, -1, timer_functions[i].magic);
        duk_put_global_string(ctx, timer_functions[i].name);
    }
}
