/*
 * Calling a handler for one exchange, and what happens when it answers
 * later. A handler that returns without answering leaves its req and res
 * objects (and the rejection callback of a returned Promise) in the stash
 * under a number (ex->rt_ref), so they stay alive for the timers and I/O
 * callbacks that will answer; release() unbinds them all once the
 * exchange is answered, so a late res.end() is a harmless no-op.
 */
#include <stdio.h>

#include "config.h"
#include "http.h"
#include "http_answer.h"
#include "js_internal.h"
#include "js_promise.h"
#include "log.h"
#include "router.h"

#define STASH_WAITING "waiting"
#define STASH_ON_SETTLED "handlerSettled"
#define STASH_SPARES "spareReqRes"

void eider_js_log_error(duk_context *ctx, duk_idx_t idx, const char *what)
{
    eider_js_format_value(ctx, idx);
    eider_log(EIDER_LOG_ERROR, "uncaught exception in %s: %s", what, duk_get_string(ctx, -1));
    duk_pop(ctx);
    eider_js_uncaught(eider_js_of(ctx));
}

/* Under duk_safe_call, as reading "status" may run a getter or a Proxy
 * trap that throws: [err] -> [status]. The status eider gave the error
 * (400 from req.json()), else the error's own numeric status or
 * statusCode from 400 to 599 (the http-errors convention that many
 * packages follow), else 500. */
static duk_ret_t error_status(duk_context *ctx, void *udata)
{
    static const char *const names[] = { "status", "statusCode" };
    int status = 500;

    (void)udata;
    if (duk_get_prop_literal(ctx, -1, EIDER_JS_STATUS)) {
        status = duk_get_int(ctx, -1);
    } else {
        for (size_t i = 0; i < 2 && status == 500; i++) {
            duk_get_prop_string(ctx, -2, names[i]);
            if (duk_is_number(ctx, -1)) {
                double n = duk_get_number(ctx, -1);
                if (n >= 400 && n <= 599 && n == (int)n)
                    status = (int)n;
            }
            duk_pop(ctx);
        }
    }
    duk_push_int(ctx, status);
    return 1;
}

/* What watch mode's error body says besides the error itself. */
struct watch_detail {
    int status;
    const char *id;
};

/* Under duk_safe_call (reading "message" may run a getter that throws):
 * [err formatted] -> [json]. Watch mode's error body: the standard one
 * (error, status, requestId) with the error's message and, for an Error,
 * its stack as the error log shows it (source-mapped). */
static duk_ret_t watch_body(duk_context *ctx, void *udata)
{
    const struct watch_detail *d = udata;
    /* A safe call shares its caller's frame: the arguments are on top. */
    duk_idx_t err = duk_get_top(ctx) - 2, text = err + 1;
    int is_error = duk_is_error(ctx, err);

    duk_push_object(ctx);
    duk_push_string(ctx, eider_http_reason(d->status));
    duk_put_prop_literal(ctx, -2, "error");
    duk_push_int(ctx, d->status);
    duk_put_prop_literal(ctx, -2, "status");
    duk_push_string(ctx, d->id);
    duk_put_prop_literal(ctx, -2, "requestId");
    if (is_error)
        duk_get_prop_literal(ctx, err, "message");
    else
        duk_dup(ctx, text);
    duk_to_string(ctx, -1);
    duk_put_prop_literal(ctx, -2, "message");
    if (is_error) {
        duk_dup(ctx, text);
        duk_put_prop_literal(ctx, -2, "stack");
    }
    duk_json_encode(ctx, -1);
    duk_push_literal(ctx, "\n");
    duk_concat(ctx, 2);
    return 1;
}

/* Answers STATUS for the error at ERR, whose formatted text is on top. In
 * watch mode a 5xx body carries the message and stack (watch_body);
 * otherwise, or if that body cannot be made, the standard body. */
static void send_error(duk_context *ctx, struct eider_js *js, struct eider_exchange *ex,
                       duk_idx_t err, int status)
{
    struct watch_detail d = { status, ex->id };
    duk_size_t len;

    if (!js->cfg->watch || status < 500) {
        eider_http_error(ex, status);
        return;
    }
    duk_dup(ctx, err);
    duk_dup(ctx, -2);
    if (duk_safe_call(ctx, watch_body, &d, 2, 1) == 0 && duk_is_string(ctx, -1)) {
        const char *body = duk_get_lstring(ctx, -1, &len);
        eider_http_error_json(ex, status, body, len);
    } else {
        eider_http_error(ex, status);
    }
    duk_pop(ctx);
}

/* Logs a handler's error with its stack and answers with its status (see
 * error_status): 500 unless it says otherwise, 503 past js_time_limit. */
static void answer_error(duk_context *ctx, struct eider_js *js, struct eider_exchange *ex,
                         duk_idx_t err)
{
    int status = js->timed_out ? 503 : 500;

    err = duk_normalize_index(ctx, err);
    if (!js->timed_out && duk_is_object(ctx, err)) {
        duk_dup(ctx, err);
        if (duk_safe_call(ctx, error_status, NULL, 1, 1) == 0)
            status = duk_get_int(ctx, -1);
        duk_pop(ctx);
    }
    eider_js_format_value(ctx, err);
    if (js->timed_out)
        eider_log(EIDER_LOG_ERROR, "request %s: handler %s stopped at js_time_limit (%ds): %s",
                  ex->id, eider_router_file(js->router, (size_t)ex->match.handler),
                  js->cfg->js_time_limit, duk_get_string(ctx, -1));
    else
        eider_log(status >= 500 ? EIDER_LOG_ERROR : EIDER_LOG_INFO, "request %s: handler %s: %s",
                  ex->id, eider_router_file(js->router, (size_t)ex->match.handler),
                  duk_get_string(ctx, -1));
    send_error(ctx, js, ex, err, status);
    duk_pop(ctx);
}

/* The rejection callback attached to a Promise a handler returned. */
static duk_ret_t on_rejected(duk_context *ctx)
{
    struct eider_exchange *ex;

    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, EIDER_JS_EXCHANGE);
    ex = duk_get_pointer(ctx, -1);
    duk_pop_2(ctx);
    if (ex != NULL && !ex->done)
        answer_error(ctx, eider_js_of(ctx), ex, 0);
    return 0;
}

/* What the Promise core's await calls once a Promise of its own that a
 * handler returned settles: (res, outcome, rejected). A rejection is
 * answered as the handler's error, unless the exchange was answered or
 * released (res detached) meanwhile. One function for all exchanges. */
static duk_ret_t on_settled(duk_context *ctx)
{
    struct eider_exchange *ex;

    if (!duk_to_boolean(ctx, 2) || !duk_is_object(ctx, 0))
        return 0;
    if ((ex = eider_js_exchange_of(ctx, 0)) != NULL)
        answer_error(ctx, eider_js_of(ctx), ex, 1);
    return 0;
}

/* [result then] -> [result then]: 1 if then is the Promise core's own
 * Promise.prototype.then, i.e. result is one of its promises that waits
 * as the core says (no then() of the user's to call). */
static int is_own_then(duk_context *ctx)
{
    int own;

    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, EIDER_STASH_PROMISE_THEN);
    own = duk_strict_equals(ctx, -1, -3);
    duk_pop_2(ctx);
    return own;
}

/* [result res] -> [result]: the core's await of result with on_settled
 * and res (eider_js_promise_await), the function made once per heap and
 * kept in the stash. Against result.then(undefined, callback) it spares
 * a function, a derived promise and its settling per request. */
static void await_result(duk_context *ctx)
{
    duk_push_heap_stash(ctx);                 /* [result res stash] */
    if (!duk_get_prop_literal(ctx, -1, STASH_ON_SETTLED)) {
        duk_pop(ctx);
        duk_push_c_function(ctx, on_settled, 3);
        duk_dup_top(ctx);
        duk_put_prop_literal(ctx, -3, STASH_ON_SETTLED);
    }
    eider_js_promise_await(ctx, -4, -1, -3);  /* [result res stash fn] */
    duk_pop_3(ctx);
}

/* The handler call, in a safe call: everything in it may run user code
 * that throws (a getter on exports or on the returned value's "then", a
 * Proxy), and an error outside a protected call would be fatal to the
 * worker. Stack in: [exports req res]; out: the rejection callback
 * attached to a returned foreign thenable, or undefined. */
static duk_ret_t call_handler(duk_context *ctx, void *udata)
{
    struct eider_exchange *ex = udata;
    /* A safe call runs in the caller's frame: its arguments are the top
     * three values, not indices 0..2. Keep a copy of res below them, for
     * await_result. */
    duk_idx_t fn = duk_get_top(ctx) - 3;

    duk_dup_top(ctx);
    duk_insert(ctx, fn++);                    /* [res exports req res] */

    if (!duk_is_function(ctx, fn)) {
        /* HEAD uses GET unless the module exports HEAD itself. */
        const char *method = eider_method_names[ex->method];
        if (ex->method == EIDER_HEAD && !duk_has_prop_string(ctx, fn, "HEAD"))
            method = "GET";
        duk_get_prop_string(ctx, fn, method);
        duk_replace(ctx, fn);
    }
    duk_call(ctx, 2);                         /* [res result] */
    if (!duk_is_object(ctx, -1) || !duk_get_prop_literal(ctx, -1, "then")
        || !duk_is_function(ctx, -1)) {
        duk_push_undefined(ctx);
        return 1;
    }
    if (is_own_then(ctx)) {
        duk_pop(ctx);
        duk_dup(ctx, -2);                     /* [res result res] */
        await_result(ctx);
        duk_push_undefined(ctx);
        return 1;
    }
    duk_push_c_function(ctx, on_rejected, 1);
    duk_push_pointer(ctx, ex);
    duk_put_prop_string(ctx, -2, EIDER_JS_EXCHANGE);
    duk_insert(ctx, -2);                      /* [result cb then] */
    duk_dup(ctx, -3);
    duk_push_undefined(ctx);
    duk_dup(ctx, -4);                         /* [result cb then result undef cb] */
    duk_call_method(ctx, 2);
    duk_pop(ctx);                             /* [result cb] */
    return 1;
}

/* Unbinds the three values from idx on (req, res, callback or undefined). */
static void unbind_three(duk_context *ctx, duk_idx_t idx)
{
    for (int k = 0; k < 3; k++)
        if (duk_is_object(ctx, idx + k))
            eider_js_detach(ctx, idx + k);
}

/* Pushes the req and res for a handler call: the spare pair if it is
 * free (returns 1), else a new pair (returns 0). Against a new pair per
 * call it spares two objects made and freed (callgrind: ~1k
 * instructions of a hello request). */
static int push_req_res(duk_context *ctx, struct eider_js *js)
{
    if (js->spare_req != NULL && !js->spare_busy) {
        duk_push_heapptr(ctx, js->spare_req);
        duk_push_heapptr(ctx, js->spare_res);
        js->spare_busy = 1;
        return 1;
    }
    eider_js_push_request(ctx);
    eider_js_push_response(ctx);
    return 0;
}

/* After the handler call: keeps the req and res at REQ and REQ + 1 as
 * the spare pair if their exchange is ANSWERED, nothing but this stack
 * (and the stash, for a pair that was the spare: REUSED) holds them and
 * they are as made; else lets them go their way (an exchange left
 * waiting binds them). A handler cannot tell: it kept no reference to
 * see the object again through. */
static void keep_req_res(duk_context *ctx, struct eider_js *js, duk_idx_t req, int reused,
                         int answered)
{
    unsigned refs = reused ? 2 : 1;
    int untouched = answered && eider_duk_untouched(ctx, req, js->req_proto, refs)
                    && eider_duk_untouched(ctx, req + 1, js->res_proto, refs);

    if (reused) {
        js->spare_busy = 0;
        if (untouched)
            return;
        js->spare_req = js->spare_res = NULL;
    } else if (!untouched || js->spare_req != NULL) {
        return;
    }
    duk_push_heap_stash(ctx);
    if (untouched) {
        duk_push_array(ctx);
        duk_dup(ctx, req);
        duk_put_prop_index(ctx, -2, 0);
        duk_dup(ctx, req + 1);
        duk_put_prop_index(ctx, -2, 1);
        js->spare_req = duk_get_heapptr(ctx, req);
        js->spare_res = duk_get_heapptr(ctx, req + 1);
    } else {
        duk_push_undefined(ctx);
    }
    duk_put_prop_literal(ctx, -2, STASH_SPARES);
    duk_pop(ctx);
}

void eider_js_handle(void *rt, struct eider_exchange *ex)
{
    struct eider_js *js = rt;
    duk_context *ctx = js->ctx;
    duk_idx_t base = duk_get_top(ctx), req;
    int reused;
    /* A handler's call may nest in another's (eider test's request()). */
    struct eider_exchange *outer_ex = js->cur_ex;
    void *outer_req = js->cur_req, *outer_res = js->cur_res;

    /* The array by its pointer, not through the stash: two lookups fewer
     * per request. */
    duk_push_heapptr(ctx, js->handlers);
    duk_get_prop_index(ctx, -1, (duk_uarridx_t)ex->match.handler);
    req = duk_get_top(ctx);
    reused = push_req_res(ctx, js);
    /* Bound by pointer during the call: a handler that answers at once
     * costs no property on either (callgrind: ~2.6k instructions of a
     * 30k request went to putting and clearing them). */
    js->cur_ex = ex;
    js->cur_req = duk_get_heapptr(ctx, req);
    js->cur_res = duk_get_heapptr(ctx, req + 1);
    duk_dup(ctx, req - 1);
    duk_dup(ctx, req);
    duk_dup(ctx, req + 1);
    eider_js_enter(js);
    if (duk_safe_call(ctx, call_handler, ex, 3, 1) != 0) {
        answer_error(ctx, js, ex, -1);
        duk_pop(ctx);
        duk_push_undefined(ctx);
    }
    eider_js_drain(ctx);                      /* [... fn req res cb] */
    eider_js_leave(js);
    js->cur_ex = outer_ex;
    js->cur_req = outer_req;
    js->cur_res = outer_res;
    if (ex->done) {
        /* req and res were never bound; the callback of a returned
         * thenable was. */
        if (duk_is_object(ctx, req + 2))
            eider_js_detach(ctx, req + 2);
        keep_req_res(ctx, js, req, reused, 1);
    } else {
        keep_req_res(ctx, js, req, reused, 0);   /* no longer spare: bound below */
        /* It answers later: bind req and res, and keep [req, res, cb]
         * alive until release(). */
        eider_js_bind(ctx, req, ex);
        eider_js_bind(ctx, req + 1, ex);
        ex->rt_ref = ++js->next_ref;
        duk_push_heap_stash(ctx);
        duk_get_prop_literal(ctx, -1, STASH_WAITING);
        duk_push_array(ctx);
        for (int k = 0; k < 3; k++) {
            duk_dup(ctx, req + k);
            duk_put_prop_index(ctx, -2, (duk_uarridx_t)k);
        }
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)ex->rt_ref);
    }
    duk_set_top(ctx, base);
    eider_js_maybe_gc(js);
}

/* res.emit('drain') on top, in a safe call: [res] -> [result]. */
static duk_ret_t emit_drain(duk_context *ctx, void *udata)
{
    (void)udata;
    duk_push_literal(ctx, "emit");
    duk_push_literal(ctx, "drain");
    duk_call_prop(ctx, -3, 1);
    return 1;
}

void eider_js_emit_drain(void *rt, struct eider_exchange *ex)
{
    struct eider_js *js = rt;
    duk_context *ctx = js->ctx;
    duk_idx_t base = duk_get_top(ctx);

    /* Only an exchange its handler left waiting can still write. */
    if (ex->rt_ref == 0)
        return;
    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, STASH_WAITING);
    if (duk_get_prop_index(ctx, -1, (duk_uarridx_t)ex->rt_ref)) {
        duk_get_prop_index(ctx, -1, 1);                   /* [... res] */
        ex->in_handler = 1;
        eider_js_enter(js);
        if (duk_safe_call(ctx, emit_drain, NULL, 1, 1) != 0)
            answer_error(ctx, js, ex, -1);
        eider_js_drain(ctx);
        eider_js_leave(js);
    }
    duk_set_top(ctx, base);
    eider_http_handler_returned(ex);
    eider_js_maybe_gc(js);
}

void eider_js_release(void *rt, struct eider_exchange *ex)
{
    struct eider_js *js = rt;
    duk_context *ctx = js->ctx;

    if (ex->rt_ref == 0)
        return;
    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, STASH_WAITING);
    if (duk_get_prop_index(ctx, -1, (duk_uarridx_t)ex->rt_ref)) {
        duk_idx_t arr = duk_get_top_index(ctx);
        for (int k = 0; k < 3; k++)
            duk_get_prop_index(ctx, arr, (duk_uarridx_t)k);
        unbind_three(ctx, arr + 1);
        duk_pop_3(ctx);
    }
    duk_pop(ctx);
    duk_del_prop_index(ctx, -1, (duk_uarridx_t)ex->rt_ref);
    duk_pop_2(ctx);
    ex->rt_ref = 0;
}
