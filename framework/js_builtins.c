/*
 * Built-ins in C where Duktape's own cost far more than the work, each
 * falling back to Duktape's for every case it does not take, so that
 * errors and edge cases stay Duktape's:
 *
 * Number.prototype.toFixed: Duktape's goes through its arbitrary-precision
 * number formatter (dragon4 on bignums): ~5,400 instructions for a price,
 * 4 % of the page scenario of tests/bench. Where the compiler has 128-bit
 * integers the digits come from exact integer arithmetic (fixed_exact,
 * ~300 instructions); elsewhere glibc's printf (~2,600) converts a
 * double's exact binary value to decimal and rounds correctly;
 * ECMAScript differs only on a tie (the exact value halfway between two
 * results), which it rounds up in magnitude ("if there are two such n,
 * pick the larger n") where printf rounds to even: such a tie is found
 * exactly and rounded here. Left to Duktape: a this that is no primitive
 * number, digits other than undefined or an integer 0..20, NaN, an
 * infinity, |x| >= 1e21 (where the answer is ToString(x)).
 *
 * Object.keys: Duktape builds a whole enumerator object, then copies its
 * keys (~7,400 instructions for a 7-key object, 2 % of the validate
 * scenario); a plain object's keys come straight from its property table
 * (eider_duk_plain_keys, duktape_build.c). Left to Duktape: arrays,
 * functions, proxies, anything with an array-index key, non-objects.
 *
 * String.prototype.toLowerCase/toUpperCase: Duktape's runs every
 * character through its Unicode case tables with a bit-stream decoder,
 * ~1,400 instructions for a short word (4 % of the validate scenario).
 * An ASCII string maps A-Z / a-z only: done on its bytes, and one that
 * would not change is returned as it is (the same string value). Left to
 * Duktape: a this that is no primitive string, any non-ASCII byte.
 *
 * Array.prototype.join: Duktape reads each element with a generic
 * property read and joins in batches (~2,900 instructions for three
 * words); an Array whose elements all sit in its array part and are
 * strings, numbers, booleans, null or undefined (whose ToString runs no
 * code) is joined from a copy of them on the value stack, with a string
 * separator or none. Left to Duktape: holes, objects, symbols, more than
 * JOIN_MAX elements, any this that is no Array, a separator that is no
 * string.
 *
 * Array.prototype.indexOf without fromIndex: Duktape reads each element
 * by a generic property read; an Array whose elements all sit in its
 * array part is searched there (=== calls no code). Left to Duktape:
 * holes, fromIndex, a this that is no Array.
 *
 * Array.prototype.sort is prelude_es.js's stable sort (Duktape's is a
 * quicksort), which sorts keyed objects with a JavaScript comparator
 * (~20,000 instructions for three strings, 1.4 % of validate). Without a
 * comparator it first asks the hidden global sortStrings, which sorts an
 * Array of strings only, all in its array part, in place in Duktape's
 * order for strings (duktape_build.c): equal strings are one interned
 * string, so any sort of them is stable.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "js_internal.h"

#define ORIGINAL DUK_HIDDEN_SYMBOL("original")

/* Adds one unit in the last place to the LEN decimal digits at S (a '.'
 * among them), which has room for one more in front: "2" -> "3", "9.9"
 * -> "10.0". Returns the start, S or one before it. */
static char *increment(char *s, size_t len)
{
    for (size_t i = len; i-- > 0;) {
        if (s[i] == '.')
            continue;
        if (s[i] != '9') {
            s[i]++;
            return s;
        }
        s[i] = '0';
    }
    *--s = '1';
    return s;
}

/* Calls Duktape's own method, kept under ORIGINAL on the running
 * function, on the this value at THIS_IDX with the NARGS arguments from
 * index 0; leaves its result on top. */
static void call_original(duk_context *ctx, duk_idx_t this_idx, duk_idx_t nargs)
{
    duk_push_current_function(ctx);
    duk_get_prop_literal(ctx, -1, ORIGINAL);
    duk_dup(ctx, this_idx);
    for (duk_idx_t i = 0; i < nargs; i++)
        duk_dup(ctx, i);
    duk_call_method(ctx, nargs);
}

#if defined(__SIZEOF_INT128__)
typedef unsigned __int128 u128;

/* Writes the decimal digits of V, at least MIN of them (zeros in front),
 * ending just before END; returns where they start. */
static char *digits(u128 v, int min, char *end)
{
    char *s = end;

    while (v > UINT64_MAX) {            /* rare: a wide integer part */
        *--s = (char)('0' + (int)(v % 10));
        v /= 10;
        min--;
    }
    for (uint64_t w = (uint64_t)v; w != 0 || min > 0; w /= 10, min--)
        *--s = (char)('0' + (int)(w % 10));
    return s;
}

/* toFixed's digits of AX (finite, 0 <= AX < 1e21) with F decimals (0..20)
 * by exact integer arithmetic: AX is m * 2^e, n = m * 10^F * 2^e rounded
 * to the nearest integer, a tie up (ECMAScript: the larger n). m * 10^F is
 * below 2^53 * 10^20 < 2^120. printf costs ~2,000 instructions for a
 * price; this a few hundred. Writes the text ending just before END and
 * returns its start. */
static char *fixed_exact(double ax, int f, char *end)
{
    uint64_t bits, m;
    int e, exp;
    u128 n;
    char *s;

    memcpy(&bits, &ax, sizeof(bits));
    exp = (int)(bits >> 52) & 0x7ff;
    m = bits & ((1ull << 52) - 1);
    if (exp == 0) {
        e = -1074;                      /* subnormal (or zero: m == 0) */
    } else {
        m |= 1ull << 52;
        e = exp - 1075;
    }
    if (e >= 0) {
        /* An integer (below 1e21 < 2^70): its digits and F zeros. */
        s = end - f;
        memset(s, '0', (size_t)f);
        if (f > 0)
            *--s = '.';
        return digits((u128)m << e, 1, s);
    }
    n = m;
    for (int i = 0; i < f; i++)
        n *= 10;
    if (-e >= 121) {
        n = 0;                          /* below half a unit of the last digit */
    } else {
        u128 q = n >> -e, rem = n - (q << -e);
        n = q + (rem >= (u128)1 << (-e - 1));
    }
    s = digits(n, f + 1, end);
    if (f > 0) {
        memmove(s - 1, s, (size_t)(end - s - f));
        s--;
        end[-f - 1] = '.';
    }
    return s;
}
#endif

/* Pushes x.toFixed(f) for a finite x, |x| < 1e21, 0 <= f <= 20. */
static void push_fixed(duk_context *ctx, double x, int f)
{
    char buf[2 + 22 + 1 + 21 + 1];     /* sign, carry, 21 integer digits, '.', f + 1 digits */
    char *s = buf + 2;
    double ax = fabs(x), t;
    int n;

#if defined(__SIZEOF_INT128__)
    {
        char wide[2 + 42 + 1 + 21];     /* sign, up to 41 + 1 digits, '.', room */
        char *end = wide + sizeof(wide);
        s = fixed_exact(ax, f, end);
        if (x < 0)
            *--s = '-';
        duk_push_lstring(ctx, s, (size_t)(end - s));
        return;
    }
#endif
    t = ldexp(ax, f + 1);
    if (floor(t) == t && fmod(t, 2.0) == 1.0) {
        /* A tie: ax has exactly f + 1 decimals, the last a 5. Printed in
         * full, the 5 dropped, the rest rounded up. */
        char *t0 = s;
        n = snprintf(s, sizeof(buf) - 2, "%.*f", f + 1, ax) - (f == 0 ? 2 : 1);
        s = increment(s, (size_t)n);
        n += (int)(t0 - s);
    } else {
        n = snprintf(s, sizeof(buf) - 2, "%.*f", f, ax);
    }
    if (x < 0)
        *--s = '-', n++;
    duk_push_lstring(ctx, s, (size_t)n);
}

/* Number.prototype.toFixed(fractionDigits) */
static duk_ret_t to_fixed(duk_context *ctx)
{
    double x, d = 0;

    duk_set_top(ctx, 1);
    duk_push_this(ctx);
    if (duk_is_number(ctx, 1) && (duk_is_undefined(ctx, 0) || duk_is_number(ctx, 0))) {
        x = duk_get_number(ctx, 1);
        if (!duk_is_undefined(ctx, 0))
            d = duk_get_number(ctx, 0);
        if (isfinite(x) && fabs(x) < 1e21 && d >= 0 && d <= 20 && d == floor(d)) {
            push_fixed(ctx, x == 0 ? 0 : x, (int)d);
            return 1;
        }
    }
    call_original(ctx, 1, 1);
    return 1;
}

/* Object.keys(obj) */
static duk_ret_t object_keys(duk_context *ctx)
{
    duk_set_top(ctx, 1);
    if (eider_duk_plain_keys(ctx, 0))
        return 1;
    duk_push_current_function(ctx);
    duk_get_prop_literal(ctx, -1, ORIGINAL);
    duk_dup(ctx, 0);
    duk_call(ctx, 1);
    return 1;
}

/* toLowerCase (UPPER 0) or toUpperCase (1) of the string this. */
static duk_ret_t case_convert(duk_context *ctx, int upper)
{
    const unsigned char *s;
    unsigned char lo = upper ? 'a' : 'A', bit = 0x20;
    size_t len, i, first = (size_t)-1;

    duk_set_top(ctx, 0);
    duk_push_this(ctx);
    if (!duk_is_string(ctx, 0) || duk_is_symbol(ctx, 0)) {
        call_original(ctx, 0, 0);
        return 1;
    }
    s = (const unsigned char *)duk_get_lstring(ctx, 0, &len);
    for (i = 0; i < len; i++) {
        if (s[i] >= 0x80) {
            call_original(ctx, 0, 0);
            return 1;
        }
        if (first == (size_t)-1 && (unsigned char)(s[i] - lo) < 26)
            first = i;
    }
    if (first == (size_t)-1)
        return 1;                                   /* unchanged: this itself */
    {
        /* A short one on the C stack: no buffer object to make and free. */
        unsigned char small[256];
        unsigned char *d = len <= sizeof(small) ? small : duk_push_fixed_buffer(ctx, len);
        memcpy(d, s, first);
        for (i = first; i < len; i++)
            d[i] = (unsigned char)(s[i] - lo) < 26 ? s[i] ^ bit : s[i];
        if (d == small)
            duk_push_lstring(ctx, (const char *)small, len);
        else
            duk_buffer_to_string(ctx, -1);
    }
    return 1;
}

/* String.prototype.toLowerCase / toUpperCase */
static duk_ret_t to_lower_case(duk_context *ctx)
{
    return case_convert(ctx, 0);
}

static duk_ret_t to_upper_case(duk_context *ctx)
{
    return case_convert(ctx, 1);
}

#define JOIN_MAX 4096

/* Array.prototype.join(separator) */
static duk_ret_t array_join(duk_context *ctx)
{
    duk_int_t n;

    duk_set_top(ctx, 1);
    duk_push_this(ctx);                                 /* [sep this] */
    if (duk_is_undefined(ctx, 0)) {
        duk_push_literal(ctx, ",");
        duk_replace(ctx, 0);
    }
    if (!duk_is_string(ctx, 0) || duk_is_symbol(ctx, 0)
        || (n = eider_duk_push_primitive_items(ctx, 1, JOIN_MAX)) < 0) {
        call_original(ctx, 1, 1);
        return 1;
    }
    for (duk_idx_t i = 2; i < 2 + n; i++) {             /* [sep this items...] */
        if (duk_is_null_or_undefined(ctx, i)) {
            duk_push_literal(ctx, "");
            duk_replace(ctx, i);
        }
    }
    duk_dup(ctx, 0);
    duk_insert(ctx, 2);                                 /* [sep this sep items...] */
    duk_join(ctx, n);
    return 1;
}

/* sortStrings(array) -> true if it sorted the array (prelude_es.js's
 * stable sort asks first when there is no comparator). */
static duk_ret_t sort_strings(duk_context *ctx)
{
    duk_push_boolean(ctx, eider_duk_sort_strings(ctx, 0));
    return 1;
}

/* Array.prototype.indexOf(searchElement, fromIndex) */
static duk_ret_t array_index_of(duk_context *ctx)
{
    duk_idx_t nargs = duk_get_top(ctx);
    double at;

    if (nargs == 0)
        duk_push_undefined(ctx);                        /* searchElement */
    duk_push_this(ctx);
    if (nargs <= 1 && eider_duk_index_of(ctx, -1, 0, &at)) {
        duk_push_number(ctx, at);
        return 1;
    }
    call_original(ctx, duk_get_top(ctx) - 1, nargs);
    return 1;
}

/* Puts FN as the method NAME of the object at -1 (writable, configurable,
 * not enumerable, as built-ins are), with Duktape's own under ORIGINAL
 * and its length (a DUK_VARARGS function would have 0). */
static void replace_method(duk_context *ctx, const char *name, duk_c_function fn, duk_idx_t nargs)
{
    duk_push_c_function(ctx, fn, nargs);
    duk_push_literal(ctx, "name");
    duk_push_string(ctx, name);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
    duk_get_prop_string(ctx, -2, name);
    duk_push_literal(ctx, "length");
    duk_get_prop_literal(ctx, -2, "length");
    duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_FORCE);
    duk_put_prop_literal(ctx, -2, ORIGINAL);
    duk_push_string(ctx, name);
    duk_dup(ctx, -2);
    duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                 | DUK_DEFPROP_CLEAR_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
    duk_pop(ctx);
}

void eider_js_builtins_init(duk_context *ctx)
{
    duk_get_prop_literal(ctx, 0, "Number");
    duk_get_prop_literal(ctx, -1, "prototype");
    replace_method(ctx, "toFixed", to_fixed, 1);
    duk_pop_2(ctx);
    duk_get_prop_literal(ctx, 0, "Object");
    replace_method(ctx, "keys", object_keys, 1);
    duk_pop(ctx);
    duk_get_prop_literal(ctx, 0, "Array");
    duk_get_prop_literal(ctx, -1, "prototype");
    replace_method(ctx, "join", array_join, 1);
    replace_method(ctx, "indexOf", array_index_of, DUK_VARARGS);
    duk_pop_2(ctx);
    duk_push_c_function(ctx, sort_strings, 1);
    duk_put_prop_literal(ctx, 0, DUK_HIDDEN_SYMBOL("sortStrings"));
    duk_get_prop_literal(ctx, 0, "String");
    duk_get_prop_literal(ctx, -1, "prototype");
    replace_method(ctx, "toLowerCase", to_lower_case, 0);
    replace_method(ctx, "toUpperCase", to_upper_case, 0);
    duk_pop_2(ctx);
}
