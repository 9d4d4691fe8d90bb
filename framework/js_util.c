/*
 * Small helpers the JS bindings share: value formatting, JSON, bytes of a
 * string-or-Buffer argument, and the req/res <-> exchange binding.
 */
#include <string.h>

#include "http.h"
#include "js_buffer.h"
#include "js_internal.h"
#include "js_promise.h"

/* duk_safe_call body: replaces the value on top with its JSON text. */
static duk_ret_t json_encode(duk_context *ctx, void *udata)
{
    (void)udata;
    duk_json_encode(ctx, -1);
    return 1;
}

/* duk_safe_call body: replaces the JSON text on top with its value. */
static duk_ret_t json_decode(duk_context *ctx, void *udata)
{
    (void)udata;
    eider_js_json_parse(ctx, -1);
    return 1;
}

/* Replaces the JSON text on top with its value: 0, or -1 with the
 * SyntaxError on top instead. Never throws. */
int eider_js_json_decode(duk_context *ctx)
{
    return duk_safe_call(ctx, json_decode, NULL, 1, 1) == 0 ? 0 : -1;
}

/* Pushes the value at idx formatted as console.log would: strings as
 * they are, errors with their stack, the rest as JSON. */
void eider_js_format_value(duk_context *ctx, duk_idx_t idx)
{
    idx = duk_normalize_index(ctx, idx);
    if (duk_is_string(ctx, idx)) {
        duk_dup(ctx, idx);
        return;
    }
    if (duk_is_error(ctx, idx)) {
        duk_get_prop_string(ctx, idx, "stack");
        if (duk_is_string(ctx, -1)) {
            eider_js_map_stack(ctx);
            return;
        }
        duk_pop(ctx);
    }
    if (duk_is_object(ctx, idx) && !duk_is_function(ctx, idx)) {
        duk_dup(ctx, idx);
        /* JSON.stringify throws on cycles; fall back to String(). */
        if (duk_safe_call(ctx, json_encode, NULL, 1, 1) == 0 && duk_is_string(ctx, -1))
            return;
        duk_pop(ctx);
    }
    duk_dup(ctx, idx);
    duk_safe_to_string(ctx, -1);
}

/* Duktape keeps a character outside the BMP that JS code built from two
 * surrogates (as "\ud83d\ude00" or String.fromCharCode) as two 3-byte
 * sequences (CESU-8). On the wire that is invalid UTF-8: rewrite the string
 * at idx as a buffer of proper UTF-8, pairs joined into 4-byte sequences
 * and lone surrogates made U+FFFD, as TextEncoder does (encoding.c). */
static const char *utf8_from_cesu(duk_context *ctx, duk_idx_t idx, size_t *len)
{
    const char *out = (const char *)eider_js_push_decoded(ctx, idx, EIDER_ENC_UTF8, len);

    duk_replace(ctx, idx);
    return out;
}

/* The bytes of the string (as UTF-8) or buffer at idx and their length
 * in *len, valid while that value stays on the stack (a string with
 * surrogate pairs is replaced at idx by its UTF-8); NULL if neither. */
const char *eider_js_bytes(duk_context *ctx, duk_idx_t idx, size_t *len)
{
    duk_size_t n;
    const char *p;

    idx = duk_normalize_index(ctx, idx);
    if (duk_is_string(ctx, idx)) {
        p = duk_get_lstring(ctx, idx, &n);
        /* 0xED starts every surrogate: most strings have none. */
        if (memchr(p, 0xed, n) != NULL)
            return utf8_from_cesu(ctx, idx, len);
    } else if (duk_is_buffer_data(ctx, idx)) {
        p = duk_get_buffer_data(ctx, idx, &n);
        if (p == NULL)
            p = "";
    } else {
        return NULL;
    }
    *len = n;
    return p;
}

/* 1 if the object at idx inherits from the running handler's req or
 * res (Object.create(req)), which have no property to inherit. */
static int inherits_current(duk_context *ctx, duk_idx_t idx, const struct eider_js *js)
{
    int found = 0;

    duk_dup(ctx, idx);
    /* A chain that long is not a wrapper of req or res. */
    for (int depth = 0; depth < 16 && !found && duk_is_object(ctx, -1); depth++) {
        void *p;
        duk_get_prototype(ctx, -1);
        duk_remove(ctx, -2);
        p = duk_get_heapptr(ctx, -1);
        found = p != NULL && (p == js->cur_req || p == js->cur_res);
    }
    duk_pop(ctx);
    return found;
}

/* The exchange the req or res at IDX is bound to, or NULL once detached
 * or answered. Borrowed: never freed by the caller. */
struct eider_exchange *eider_js_exchange_of(duk_context *ctx, duk_idx_t idx)
{
    const struct eider_js *js = eider_js_of(ctx);
    void *p = duk_get_heapptr(ctx, idx);
    struct eider_exchange *ex;

    /* The running handler's own req and res, the common case, need no
     * property lookup (nor, when it answers at once, any property). */
    if (p != NULL && js->cur_ex != NULL && (p == js->cur_req || p == js->cur_res)) {
        ex = js->cur_ex;
    } else {
        idx = duk_normalize_index(ctx, idx);
        duk_get_prop_literal(ctx, idx, EIDER_JS_EXCHANGE);
        ex = duk_get_pointer(ctx, -1);
        duk_pop(ctx);
        if (ex == NULL && p != NULL && js->cur_ex != NULL && inherits_current(ctx, idx, js))
            ex = js->cur_ex;
    }
    /* Answered: evhttp may have freed the request already, so req and
     * res act unbound even before release() unbinds them. */
    return ex != NULL && !ex->done ? ex : NULL;
}

/* eider_js_exchange_of for `this`. */
struct eider_exchange *eider_js_this_exchange(duk_context *ctx)
{
    struct eider_exchange *ex;

    duk_push_this(ctx);
    ex = eider_js_exchange_of(ctx, -1);
    duk_pop(ctx);
    return ex;
}

/* Pushes a new object with prototype PROTO (kept alive by the stash). */
void eider_js_push_with_proto(duk_context *ctx, void *proto)
{
    duk_push_object(ctx);
    duk_push_heapptr(ctx, proto);
    duk_set_prototype(ctx, -2);
}

/* EX is not owned: release() or the answer unbinds the object first. */
void eider_js_bind(duk_context *ctx, duk_idx_t idx, struct eider_exchange *ex)
{
    idx = duk_normalize_index(ctx, idx);
    duk_push_pointer(ctx, ex);
    duk_put_prop_literal(ctx, idx, EIDER_JS_EXCHANGE);
}

void eider_js_detach(duk_context *ctx, duk_idx_t idx)
{
    eider_js_bind(ctx, idx, NULL);
}

/* Pushes LEN bytes at DATA as a string, decoded as UTF-8 the way Node
 * does (invalid sequences become U+FFFD, astral characters pairs; a
 * 4-byte sequence pushed as is broke the "3 bytes per character" sizing
 * of TextEncoder.encode(), a heap overflow the fuzz_js target found). */
void eider_js_push_utf8(duk_context *ctx, const char *data, size_t len)
{
    eider_js_push_text(ctx, EIDER_ENC_UTF8, data, len);
}

#define STASH_DEFERRED "deferred"

/* The pending promise comes from the Promise core (js_promise.h) and is
 * kept itself in the stash: settling it does what the executor's resolve
 * or reject would, without the executor and its two resolving functions
 * per promise. */
int eider_js_deferred(duk_context *ctx)
{
    int ref = ++eider_js_of(ctx)->next_deferred;

    duk_push_heap_stash(ctx);
    if (!duk_get_prop_literal(ctx, -1, STASH_DEFERRED)) {
        duk_pop(ctx);
        duk_push_bare_object(ctx);
        duk_dup_top(ctx);
        duk_put_prop_literal(ctx, -3, STASH_DEFERRED);
    }
    eider_js_promise_push_new(ctx);          /* [stash deferred promise] */
    duk_dup_top(ctx);
    duk_put_prop_index(ctx, -3, (duk_uarridx_t)ref);
    duk_replace(ctx, -3);
    duk_pop(ctx);
    return ref;
}

/* Under duk_safe_call: [promise value] -> [], settled (rejected if
 * *udata); following a thenable value may throw (the heap limit). */
static duk_ret_t settle_deferred(duk_context *ctx, void *udata)
{
    eider_js_promise_settle(ctx, -2, *(int *)udata, -1);
    return 0;
}

/* Settles the deferred Promise REF (from eider_js_deferred) with the
 * value on top, popped: resolves, or rejects if REJECT; an unknown REF
 * settles nothing. Then drains the microtasks. */
void eider_js_settle(duk_context *ctx, int ref, int reject)
{
    struct eider_js *js = eider_js_of(ctx);

    eider_js_enter(js);
    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, STASH_DEFERRED);
    if (duk_get_prop_index(ctx, -1, (duk_uarridx_t)ref)) {
        duk_dup(ctx, -4);                    /* [value stash deferred promise value] */
        if (duk_safe_call(ctx, settle_deferred, &reject, 2, 1) != 0)
            eider_js_log_error(ctx, -1, "settling a Promise");
        duk_pop(ctx);
        duk_del_prop_index(ctx, -1, (duk_uarridx_t)ref);
    } else {
        duk_pop(ctx);                        /* unknown ref: nothing to settle */
    }
    duk_pop_3(ctx);                          /* deferred, stash, value */
    eider_js_drain(ctx);
    eider_js_leave(js);
}
