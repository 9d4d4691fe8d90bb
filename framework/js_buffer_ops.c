/*
 * Buffer.concat, Buffer.compare, buf.compare and buf.equals in C, with
 * Node's argument rules (ranges, ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE),
 * installed as the methods themselves (prelude_buffer.js): a handler's
 * call goes straight to one memcpy or memcmp, with no JavaScript frame and
 * no object made but the result. Duktape's own versions ignored the
 * ranges and the codes. Error messages come from a JavaScript function the
 * prelude hands over (native.buffer.setArgError), which formats the
 * offending value as Node does.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "js_buffer.h"
#include "js_internal.h"

#define STASH_ARG_ERROR "bufferArgError"

/* Node's largest buffer length (kMaxLength, 2^32 in Node 20), as its
 * range messages say it. */
#define NODE_MAX_LENGTH 4294967296.0

/* native.buffer.setArgError(fn): keeps FN(kind, name, value, range),
 * which throws Node's TypeError ERR_INVALID_ARG_TYPE (kind "type", RANGE
 * what was expected) or RangeError ERR_OUT_OF_RANGE (kind "range", RANGE
 * the allowed range). */
static duk_ret_t buffer_set_arg_error(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, -2, STASH_ARG_ERROR);
    return 0;
}

/* Throws through the function of setArgError(): KIND "type" or "range",
 * argument NAME, its value at IDX, RANGE the expectation. */
static duk_ret_t arg_error(duk_context *ctx, const char *kind, const char *name, duk_idx_t idx,
                           const char *range)
{
    idx = duk_normalize_index(ctx, idx);
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_ARG_ERROR);
    duk_push_string(ctx, kind);
    duk_push_string(ctx, name);
    duk_dup(ctx, idx);
    duk_push_string(ctx, range);
    duk_call(ctx, 4);
    return duk_throw(ctx);   /* if it returned instead of throwing */
}

/* The bytes of the Buffer or Uint8Array at IDX (*N of them); throws
 * Node's ERR_INVALID_ARG_TYPE naming argument NAME (element ELEM of it
 * if ELEM >= 0) for anything else that holds no bytes. (Other typed
 * arrays pass, as bytes.) */
static const unsigned char *bytes_elem(duk_context *ctx, duk_idx_t idx, const char *name, long elem,
                                       duk_size_t *n)
{
    const unsigned char *p = duk_get_buffer_data(ctx, idx, n);
    char full[48];

    if (p != NULL)
        return p;
    if (!duk_is_buffer_data(ctx, idx)) {
        if (elem >= 0)
            snprintf(full, sizeof(full), "%s[%ld]", name, elem), name = full;
        (void)arg_error(ctx, "type", name, idx, "an instance of Buffer or Uint8Array");
    }
    return (const unsigned char *)"";   /* no bytes at all */
}

/* bytes_elem() of an argument. */
static const unsigned char *bytes_of(duk_context *ctx, duk_idx_t idx, const char *name, duk_size_t *n)
{
    return bytes_elem(ctx, idx, name, -1, n);
}

/* The offset argument at IDX as Node's validateOffset() takes it: DEF
 * when undefined; else a number that is an integer in [0, max], or
 * Node's error naming NAME. */
static double offset_arg(duk_context *ctx, duk_idx_t idx, const char *name, double def, double max)
{
    char range[64];
    double v;

    if (duk_is_undefined(ctx, idx))
        return def;
    if (!duk_is_number(ctx, idx))
        (void)arg_error(ctx, "type", name, idx, "of type number");
    v = duk_get_number(ctx, idx);
    if (v != floor(v) || isinf(v))
        (void)arg_error(ctx, "range", name, idx, "an integer");
    if (v < 0 || v > max) {
        snprintf(range, sizeof(range), ">= 0 && <= %.0f", max);
        (void)arg_error(ctx, "range", name, idx, range);
    }
    return v;
}

/* -1, 0 or 1: memcmp of the common part, then the shorter first (Node's
 * order of buffers). */
static int compare_bytes(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);

    if (c == 0)
        return na < nb ? -1 : na > nb;
    return c < 0 ? -1 : 1;
}

/* Buffer.compare(buf1, buf2) -> -1, 0 or 1. */
static duk_ret_t buffer_compare(duk_context *ctx)
{
    duk_size_t na, nb;
    const unsigned char *a = bytes_of(ctx, 0, "buf1", &na), *b = bytes_of(ctx, 1, "buf2", &nb);

    duk_push_int(ctx, compare_bytes(a, na, b, nb));
    return 1;
}

/* buf.equals(otherBuffer): the same bytes. */
static duk_ret_t buffer_equals_method(duk_context *ctx)
{
    duk_size_t na, nb;
    const unsigned char *b = bytes_of(ctx, 0, "otherBuffer", &nb), *a;

    duk_push_this(ctx);
    a = bytes_of(ctx, -1, "this", &na);
    duk_push_boolean(ctx, na == nb && memcmp(a, b, na) == 0);
    return 1;
}

/* buf.compare(target[, targetStart[, targetEnd[, sourceStart[,
 * sourceEnd]]]]): this from sourceStart to sourceEnd against target from
 * targetStart to targetEnd, -1, 0 or 1. */
static duk_ret_t buffer_compare_method(duk_context *ctx)
{
    duk_idx_t nargs = duk_get_top(ctx);
    duk_size_t na, nb;
    const unsigned char *a, *b = bytes_of(ctx, 0, "target", &nb);
    double ts, te, ss, se;

    duk_set_top(ctx, 5);
    duk_push_this(ctx);
    a = bytes_of(ctx, 5, "this", &na);
    if (nargs <= 1) {
        duk_push_int(ctx, compare_bytes(a, na, b, nb));
        return 1;
    }
    ts = offset_arg(ctx, 1, "targetStart", 0, NODE_MAX_LENGTH);
    te = offset_arg(ctx, 2, "targetEnd", (double)nb, (double)nb);
    ss = offset_arg(ctx, 3, "sourceStart", 0, NODE_MAX_LENGTH);
    se = offset_arg(ctx, 4, "sourceEnd", (double)na, (double)na);
    if (ss >= se) {
        duk_push_int(ctx, ts >= te ? 0 : -1);
        return 1;
    }
    if (ts >= te) {
        duk_push_int(ctx, 1);
        return 1;
    }
    size_t sa = (size_t)se - (size_t)ss, sb = (size_t)te - (size_t)ts;
    int c = memcmp(a + (size_t)ss, b + (size_t)ts, sa < sb ? sa : sb);
    duk_push_int(ctx, c != 0 ? (c < 0 ? -1 : 1) : sa < sb ? -1 : sa > sb);
    return 1;
}

/* Lists up to this long are read once, their parts kept on the value
 * stack (which keeps their bytes where they are) and in a C array; longer
 * ones are read twice. */
#define CONCAT_HELD 64

/* Buffer.concat(list[, totalLength]): one new Buffer of the parts' bytes,
 * cut at or zero-filled up to totalLength when given. */
static duk_ret_t buffer_concat(duk_context *ctx)
{
    struct { const unsigned char *p; duk_size_t n; } held[CONCAT_HELD];
    duk_size_t count, i, n, total = 0, pos = 0;
    unsigned char *out;
    int given;

    if (!duk_is_array(ctx, 0))
        return arg_error(ctx, "type", "list", 0, "an instance of Array");
    duk_set_top(ctx, 2);
    count = duk_get_length(ctx, 0);
    if (count == 0) {   /* Node looks at nothing else then */
        (void)eider_js_push_node_buffer(ctx, 0, 0);
        return 1;
    }
    given = !duk_is_undefined(ctx, 1);
    if (given)
        total = (duk_size_t)offset_arg(ctx, 1, "length", 0, NODE_MAX_LENGTH);
    if (count <= CONCAT_HELD) {
        duk_require_stack(ctx, (duk_idx_t)count + 1);
        for (i = 0; i < count; i++) {
            duk_get_prop_index(ctx, 0, (duk_uarridx_t)i);
            if (!given && duk_is_null_or_undefined(ctx, -1))   /* Node reads its length first */
                return duk_type_error(ctx, "Cannot read properties of %s (reading 'length')",
                                      duk_is_null(ctx, -1) ? "null" : "undefined");
            held[i].p = bytes_elem(ctx, -1, "list", (long)i, &held[i].n);
            if (!given)
                total += held[i].n;
        }
        out = eider_js_push_node_buffer(ctx, total, total);   /* zeroed */
        for (i = 0; i < count && pos < total; i++) {
            n = held[i].n < total - pos ? held[i].n : total - pos;
            memcpy(out + pos, held[i].p, n);
            pos += n;
        }
        return 1;
    }
    for (i = 0; i < count && !given; i++) {
        duk_get_prop_index(ctx, 0, (duk_uarridx_t)i);
        if (duk_get_buffer_data(ctx, -1, &n) != NULL)
            total += n;
        duk_pop(ctx);
    }
    out = eider_js_push_node_buffer(ctx, total, total);
    for (i = 0; i < count; i++) {   /* past totalLength: still checked, as Node */
        const unsigned char *p;
        duk_get_prop_index(ctx, 0, (duk_uarridx_t)i);
        p = bytes_elem(ctx, -1, "list", (long)i, &n);
        if (n > total - pos)
            n = total - pos;
        memcpy(out + pos, p, n);
        pos += n;
        duk_pop(ctx);
    }
    return 1;
}

static const duk_function_list_entry ops_funcs[] = {
    { "concat", buffer_concat, 2 },
    { "compare", buffer_compare, 2 },
    { "compareMethod", buffer_compare_method, DUK_VARARGS },
    { "equalsMethod", buffer_equals_method, 1 },
    { "setArgError", buffer_set_arg_error, 1 },
    { NULL, NULL, 0 }
};

void eider_js_buffer_ops(duk_context *ctx, duk_idx_t obj)
{
    duk_put_function_list(ctx, obj, ops_funcs);
}
