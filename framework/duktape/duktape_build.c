/*
 * Compiles Debian's amalgamated duktape.c with eider's configuration.
 * duk_config.h must see DUK_COMPILING_DUKTAPE (as duktape.c would define
 * it) to pick the platform's date and time providers; after our header
 * the include guard makes duktape.c's own include of duk_config.h a no-op.
 */
#define DUK_COMPILING_DUKTAPE
#include "eider_duk_config.h"
#include <duktape.c>
#include "js_engine.h"   /* the prototypes of the functions below */

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

/* The own data property of the object at IDX whose key is the string
 * KEY (a heap pointer the caller keeps alive): pushed, returning 1; 0
 * with nothing pushed when IDX holds no object or the object has no such
 * own data property (an accessor, or one only its prototypes have, counts
 * as none). Looks in the object's own property table only, without
 * interning a key or walking the prototype chain: what a generic
 * duk_get_prop spends on a miss (js_regexp.c asks this on every match). */
int eider_duk_get_own(void *ctx, duk_idx_t idx, void *key)
{
    duk_hthread *thr = ctx;
    duk_tval *tv = duk_get_tval(thr, idx);

    if (tv == NULL || !DUK_TVAL_IS_OBJECT(tv))
        return 0;
    tv = duk_hobject_find_entry_tval_ptr(thr->heap, DUK_TVAL_GET_OBJECT(tv), (duk_hstring *)key);
    if (tv == NULL)
        return 0;
    duk_push_tval(thr, tv);
    return 1;
}

/* The bytecode and source of a RegExp object Duktape made, at IDX, into
 * *BC and *SRC (both strings); 0 for anything else. */
static int native_regexp_parts(duk_hthread *thr, duk_idx_t idx, duk_tval **bc, duk_tval **src)
{
    duk_tval *tv = duk_get_tval(thr, idx);
    duk_hobject *h;

    if (tv == NULL || !DUK_TVAL_IS_OBJECT(tv))
        return 0;
    h = DUK_TVAL_GET_OBJECT(tv);
    if (DUK_HOBJECT_GET_CLASS_NUMBER(h) != DUK_HOBJECT_CLASS_REGEXP)
        return 0;
    *bc = duk_hobject_find_entry_tval_ptr(thr->heap, h, DUK_HTHREAD_STRING_INT_BYTECODE(thr));
    *src = duk_hobject_find_entry_tval_ptr(thr->heap, h, DUK_HTHREAD_STRING_INT_SOURCE(thr));
    return *bc != NULL && *src != NULL && DUK_TVAL_IS_STRING(*bc) && DUK_TVAL_IS_STRING(*src);
}

/* For a RegExp object Duktape itself made (an ES5 regex literal):
 * pushes its compiled bytecode and its source (Duktape's internal
 * properties) and returns 1; anything else (eider's RegExp objects, any
 * other value) returns 0 with nothing pushed. */
int eider_duk_native_regexp(void *ctx, duk_idx_t idx)
{
    duk_hthread *thr = ctx;
    duk_tval *bc, *src;

    if (!native_regexp_parts(thr, idx, &bc, &src))
        return 0;
    duk_push_tval(thr, bc);
    duk_push_tval(thr, src);
    return 1;
}

/* For a RegExp object Duktape itself made (an ES5 regex literal): its
 * source string into *SRC (a heap pointer that lives as long as any
 * string of the same text: the caller keeps one) and the first byte of
 * its bytecode (Duktape's flags g, i, m in the low bits) into *FLAGS,
 * returning 1 without pushing anything; 0 for anything else. What
 * eider_duk_native_regexp() gives, for a cache keyed by pointer. */
int eider_duk_native_regexp_key(void *ctx, duk_idx_t idx, void **src, int *flags)
{
    duk_hthread *thr = ctx;
    duk_tval *bc, *s;
    duk_hstring *b;

    if (!native_regexp_parts(thr, idx, &bc, &s))
        return 0;
    b = DUK_TVAL_GET_STRING(bc);
    *flags = DUK_HSTRING_GET_BYTELEN(b) > 0 ? DUK_HSTRING_GET_DATA(b)[0] & 7 : 0;
    *src = DUK_TVAL_GET_STRING(s);
    return 1;
}

/* lastIndex = V on the object at IDX, where lastIndex is an own writable
 * data property holding a number (every RegExp's, unless user code
 * redefined it): written in place, returning 1. 0, nothing done, for
 * anything else, which the caller's generic put handles (a setter, a
 * non-writable property's TypeError, a Proxy). A number replacing a
 * number needs no reference count. */
int eider_duk_set_last_index(void *ctx, duk_idx_t idx, double v)
{
    duk_hthread *thr = ctx;
    duk_hobject *h = duk_get_hobject(thr, idx);
    duk_uint_t attrs;
    duk_tval *tv;

    if (h == NULL || DUK_HOBJECT_HAS_EXOTIC_PROXYOBJ(h))
        return 0;
    tv = duk_hobject_find_entry_tval_ptr_and_attrs(thr->heap, h, DUK_HTHREAD_STRING_LAST_INDEX(thr), &attrs);
    if (tv == NULL || !(attrs & DUK_PROPDESC_FLAG_WRITABLE) || !DUK_TVAL_IS_NUMBER(tv))
        return 0;
    DUK_TVAL_SET_NUMBER(tv, v);
    return 1;
}

/* Whether TV is a value whose ToString calls no code and cannot throw:
 * a string that is no symbol, a number, a boolean, null, undefined. */
static int plain_primitive(duk_tval *tv)
{
    if (DUK_TVAL_IS_STRING(tv))
        return !DUK_HSTRING_HAS_SYMBOL(DUK_TVAL_GET_STRING(tv));
    return DUK_TVAL_IS_NUMBER(tv) || DUK_TVAL_IS_BOOLEAN(tv) || DUK_TVAL_IS_NULL(tv)
        || DUK_TVAL_IS_UNDEFINED(tv);
}

/* For an Array at IDX whose elements [0, length) all sit in its array
 * part (no hole, which would read through the prototype chain), length
 * at most MAX, each a plain_primitive(): pushes them and returns how many.
 * -1, nothing pushed, for anything else. What Array.prototype.join needs
 * to join without a property read per element. */
duk_int_t eider_duk_push_primitive_items(void *ctx, duk_idx_t idx, duk_uint32_t max)
{
    duk_hthread *thr = ctx;
    duk_hobject *h = duk_get_hobject(thr, idx);
    duk_uint32_t len, i;
    duk_tval *src;

    if (h == NULL || !DUK_HOBJECT_IS_ARRAY(h))
        return -1;
    len = ((duk_harray *)h)->length;
    if (len > max || len > DUK_HOBJECT_GET_ASIZE(h))
        return -1;
    src = DUK_HOBJECT_A_GET_BASE(thr->heap, h);
    for (i = 0; i < len; i++)
        if (DUK_TVAL_IS_UNUSED(&src[i]) || !plain_primitive(&src[i]))
            return -1;
    /* Growing the value stack may run a finalizer that changes the array:
     * look again after it (as duk_unpack_array_like does). */
    duk_require_stack(thr, (duk_idx_t)len);
    if (len != ((duk_harray *)h)->length || len > DUK_HOBJECT_GET_ASIZE(h))
        return -1;
    src = DUK_HOBJECT_A_GET_BASE(thr->heap, h);
    for (i = 0; i < len; i++)
        if (DUK_TVAL_IS_UNUSED(&src[i]) || !plain_primitive(&src[i]))
            return -1;
    for (i = 0; i < len; i++)
        duk_push_tval(thr, &src[i]);
    return (duk_int_t)len;
}

/* The array part of the Array at IDX when its elements [0, length) all
 * sit there (no hole, which would read through the prototype chain),
 * with *LEN its length; NULL for anything else. */
static duk_tval *dense_items(duk_hthread *thr, duk_idx_t idx, duk_uint32_t *len)
{
    duk_hobject *h = duk_get_hobject(thr, idx);
    duk_tval *items;

    if (h == NULL || !DUK_HOBJECT_IS_ARRAY(h) || !DUK_HOBJECT_HAS_ARRAY_PART(h))
        return NULL;
    *len = ((duk_harray *)h)->length;
    if (*len > DUK_HOBJECT_GET_ASIZE(h))
        return NULL;
    items = DUK_HOBJECT_A_GET_BASE(thr->heap, h);
    for (duk_uint32_t i = 0; i < *len; i++)
        if (DUK_TVAL_IS_UNUSED(&items[i]))
            return NULL;
    return items;
}

/* qsort's comparator over two string duk_tvals: Duktape's order. */
static int compare_strings(const void *a, const void *b)
{
    return duk_js_string_compare(DUK_TVAL_GET_STRING((const duk_tval *)a),
                                 DUK_TVAL_GET_STRING((const duk_tval *)b));
}

/* arr.sort() with no comparator, for an Array at IDX whose elements are
 * all in its array part (dense_items) and strings that are no symbols:
 * sorted in place by duk_js_string_compare, the order Duktape's own sort
 * gives strings, returning 1. Equal strings are one interned string, so
 * the sort's stability cannot show. 0, nothing done, for anything else
 * (Duktape's sort reads each element by a property read per compare).
 * A frozen or sealed array has no array part: left to Duktape, which
 * throws. */
int eider_duk_sort_strings(void *ctx, duk_idx_t idx)
{
    duk_hthread *thr = ctx;
    duk_uint32_t len, i;
    duk_tval *items = dense_items(thr, idx, &len);

    if (items == NULL)
        return 0;
    for (i = 0; i < len; i++)
        if (!DUK_TVAL_IS_STRING(&items[i]) || DUK_HSTRING_HAS_SYMBOL(DUK_TVAL_GET_STRING(&items[i])))
            return 0;
    qsort(items, len, sizeof(*items), compare_strings);
    return 1;
}

/* arr.indexOf(value) without fromIndex, for an Array at IDX whose
 * elements are all in its array part (dense_items): the first index whose
 * element is === the value at VAL, or -1, into *AT, returning 1. 0 for
 * anything else (Duktape's indexOf reads each element by a property
 * read). Strict equality calls no code. */
int eider_duk_index_of(void *ctx, duk_idx_t idx, duk_idx_t val, double *at)
{
    duk_hthread *thr = ctx;
    duk_uint32_t len, i;
    duk_tval *items = dense_items(thr, idx, &len), *v = duk_get_tval(thr, val);

    if (items == NULL || v == NULL)
        return 0;
    *at = -1;
    for (i = 0; i < len; i++) {
        if (duk_js_strict_equals(&items[i], v)) {
            *at = (double)i;
            break;
        }
    }
    return 1;
}

/* ARRAY[0] = the value at IDX, for an Array (a heap pointer the caller
 * keeps alive) whose array part already holds index 0: written in the
 * slot, the old value's reference dropped, returning 1; 0, nothing done,
 * for anything else (the caller's put makes the slot). What
 * js_regexp_match.c does for each new subject, without a property put. */
int eider_duk_array_set0(void *ctx, void *array, duk_idx_t idx)
{
    duk_hthread *thr = ctx;
    duk_hobject *h = array;
    duk_tval *slot, *v = duk_require_tval(thr, idx);

    if (!DUK_HOBJECT_IS_ARRAY(h) || !DUK_HOBJECT_HAS_ARRAY_PART(h) || DUK_HOBJECT_GET_ASIZE(h) < 1
        || ((duk_harray *)h)->length < 1)
        return 0;
    slot = DUK_HOBJECT_A_GET_VALUE_PTR(thr->heap, h, 0);
    if (DUK_TVAL_IS_UNUSED(slot))
        return 0;
    DUK_TVAL_SET_TVAL_UPDREF(thr, slot, v);
    return 1;
}

/* Object.keys(obj) for a plain object at IDX (class Object, no exotic
 * behaviour, no array part, no key that is an array index, so Duktape's
 * order is its entry order): pushes the array of its enumerable string
 * keys and returns 1, filled straight from the property table as
 * duk_hobject_get_enumerated_keys() fills it from an enumerator it
 * builds first. Anything else returns 0 with nothing pushed. */
int eider_duk_plain_keys(void *ctx, duk_idx_t idx)
{
    duk_hthread *thr = ctx;
    duk_hobject *h = duk_get_hobject(thr, idx);
    duk_uint_fast32_t i, n, count = 0;
    duk_tval *tv;

    if (h == NULL || DUK_HOBJECT_GET_CLASS_NUMBER(h) != DUK_HOBJECT_CLASS_OBJECT
        || DUK_HOBJECT_HAS_EXOTIC_BEHAVIOR(h) || DUK_HOBJECT_HAS_ARRAY_PART(h))
        return 0;
    n = DUK_HOBJECT_GET_ENEXT(h);
    for (i = 0; i < n; i++) {
        duk_hstring *k = DUK_HOBJECT_E_GET_KEY(thr->heap, h, i);
        if (k == NULL || DUK_HSTRING_HAS_SYMBOL(k))
            continue;
        if (DUK_HSTRING_HAS_ARRIDX(k))
            return 0;                  /* sorted first: Duktape's own order */
        if (DUK_HOBJECT_E_SLOT_IS_ENUMERABLE(thr->heap, h, i))
            count++;
    }
    tv = duk_push_harray_with_size_outptr(thr, (duk_uint32_t)count);
    for (i = 0; i < n; i++) {
        duk_hstring *k = DUK_HOBJECT_E_GET_KEY(thr->heap, h, i);
        if (k == NULL || DUK_HSTRING_HAS_SYMBOL(k) || !DUK_HOBJECT_E_SLOT_IS_ENUMERABLE(thr->heap, h, i))
            continue;
        DUK_TVAL_SET_STRING(tv, k);
        DUK_HSTRING_INCREF(thr, k);
        tv++;
    }
    return 1;
}

/* Pushes a new empty array whose tables already hold ITEMS elements and
 * PROPS named properties, so that filling it reallocates nothing
 * (duk_push_array starts empty and grows a few slots at a time). */
void eider_duk_push_array_sized(void *ctx, duk_uint32_t items, duk_uint32_t props)
{
    duk_hthread *thr = ctx;

    duk_push_array(thr);
    duk_hobject_realloc_props(thr, duk_known_hobject(thr, -1), props, items, 0, 0);
}

/* Gives the object on top of CTX's stack room for PROPS named
 * properties (and their hash part) at once. */
static void size_props(void *ctx, duk_uint32_t props)
{
    duk_hthread *thr = ctx;
    duk_uint32_t h_size = 0;

#if defined(DUK_USE_HOBJECT_HASH_PART)
    h_size = duk__get_default_h_size(props);
#endif
    duk_hobject_realloc_props(thr, duk_known_hobject(thr, -1), props, 0, h_size, 0);
}

/* Pushes a new empty object with Object.prototype (what `{}` makes)
 * whose property table already holds PROPS named properties, with the
 * hash part Duktape would give that many, so that filling it reallocates
 * nothing (duk_push_object starts empty and grows a few at a time). */
void eider_duk_push_object_sized(void *ctx, duk_uint32_t props)
{
    duk_push_object((duk_hthread *)ctx);
    size_props(ctx, props);
}

/* [... key value] -> [...]: adds KEY (a string) as a new writable,
 * enumerable, configurable own property of the plain object at OBJ_IDX
 * without an array part, which must not have it yet and whose
 * prototypes have no setter for it (the caller knows; Duktape's
 * assertions check the rest): no lookup, no prototype walk, no setter
 * check, as duk_put_prop would do. */
void eider_duk_put_new_prop(void *ctx, duk_idx_t obj_idx)
{
    duk_hthread *thr = ctx;
    duk_hobject *obj = duk_known_hobject(thr, obj_idx);
    duk_int_t e_idx;
    duk_tval *tv;

    DUK_ASSERT(!DUK_HOBJECT_HAS_ARRAY_PART(obj) && !DUK_HOBJECT_HAS_EXOTIC_BEHAVIOR(obj));
    e_idx = duk__hobject_alloc_entry_checked(thr, obj, duk_known_hstring(thr, -2));
    DUK_HOBJECT_E_SET_FLAGS(thr->heap, obj, e_idx, DUK_PROPDESC_FLAGS_WEC);
    tv = DUK_HOBJECT_E_GET_VALUE_TVAL_PTR(thr->heap, obj, e_idx);
    DUK_TVAL_SET_TVAL(tv, duk_get_tval(thr, -1));
    DUK_TVAL_INCREF(thr, tv);
    duk_pop_2(thr);
}

/* --- JSON.stringify of plain data, straight into a C buffer --- */

/* Where eider_duk_json_plain writes, and how deep it is. */
struct json_out {
    duk_hthread *thr;
    char *p, *end;
    int depth;
};

/* What json_value says of a value: written, to be left out (undefined, a
 * function, a symbol: a member is dropped, an element is null), or one
 * JSON.stringify must do itself (anything whose text could differ from
 * what is written here, or that does not fit). */
enum { JSON_WRITTEN, JSON_SKIP, JSON_NOT_PLAIN };

/* Nesting this plain path takes; deeper (or a cycle) goes to Duktape's,
 * which also says what is wrong with a cycle. */
#define JSON_PLAIN_DEPTH 8

/* Appends the LEN bytes at S; 0 if they do not fit. */
static int json_put(struct json_out *o, const void *s, size_t len)
{
    if ((size_t)(o->end - o->p) < len)
        return 0;
    memcpy(o->p, s, len);
    o->p += len;
    return 1;
}

/* The string H quoted as Duktape's duk__json_enc_quote_string quotes it
 * (its own escape table): ASCII only, since Duktape's strings are CESU-8
 * and what it does with the rest is its own. */
static int json_string(struct json_out *o, duk_hstring *h)
{
    const duk_uint8_t *s = DUK_HSTRING_GET_DATA(h);
    duk_size_t n = DUK_HSTRING_GET_BYTELEN(h);
    char *q = o->p;

    /* Six bytes per character at most ("\u001f"), and the two quotes. */
    if ((size_t)(o->end - q) < 2 + 6 * (size_t)n)
        return JSON_NOT_PLAIN;
    *q++ = '"';
    for (duk_size_t i = 0; i < n; i++) {
        duk_uint8_t b = duk__json_quotestr_lookup[s[i]];
        if (DUK_LIKELY(b < 0x80)) {
            *q++ = (char)b;
        } else if (b >= 0xa0) {
            *q++ = '\\';
            *q++ = (char)(b - 0x80);
        } else if (b == 0x80) {
            *q++ = '\\', *q++ = 'u', *q++ = '0', *q++ = '0';
            *q++ = (char)duk_lc_digits[s[i] >> 4];
            *q++ = (char)duk_lc_digits[s[i] & 15];
        } else {
            return JSON_NOT_PLAIN;   /* 0x7f and up: Duktape decodes them */
        }
    }
    *q++ = '"';
    o->p = q;
    return JSON_WRITTEN;
}

/* A number as JSON.stringify writes it: ToString for a finite one (an
 * integer printed here, any other through Duktape's own conversion),
 * null for NaN and the infinities. */
static int json_number(struct json_out *o, duk_tval *tv)
{
    duk_double_t d = DUK_TVAL_GET_NUMBER(tv);
    char tmp[24], *q = tmp + sizeof(tmp);
    duk_size_t len;
    const char *s;
    int ok;

    if (!DUK_ISFINITE(d))
        return json_put(o, "null", 4) ? JSON_WRITTEN : JSON_NOT_PLAIN;
    if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (duk_double_t)(duk_int64_t)d) {
        duk_int64_t v = (duk_int64_t)d;   /* -0 is 0, as ToString says */
        duk_uint64_t u = v < 0 ? (duk_uint64_t)-v : (duk_uint64_t)v;
        do
            *--q = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (v < 0)
            *--q = '-';
        return json_put(o, q, (size_t)(tmp + sizeof(tmp) - q)) ? JSON_WRITTEN : JSON_NOT_PLAIN;
    }
    duk_push_tval(o->thr, tv);
    s = duk_to_lstring(o->thr, -1, &len);
    ok = json_put(o, s, len);
    duk_pop(o->thr);
    return ok ? JSON_WRITTEN : JSON_NOT_PLAIN;
}

static int json_value(struct json_out *o, duk_tval *tv);

/* 1 if OBJ or an object on its prototype chain has a property toJSON,
 * looked up in each one's own table (what duk_hobject_hasprop_raw finds
 * through its generic lookup, at a third of the cost); 1 too for a chain
 * that holds an object with virtual properties other than an Array's
 * length, or is longer than plain data's: the caller leaves those to
 * JSON.stringify. */
static int json_has_to_json(duk_hthread *thr, duk_hobject *obj)
{
    duk_hstring *key = DUK_HTHREAD_STRING_TO_JSON(thr);
    duk_int_t e_idx, h_idx;
    int depth = 0;

    for (duk_hobject *p = obj; p != NULL; p = DUK_HOBJECT_GET_PROTOTYPE(thr->heap, p))
        if (++depth > JSON_PLAIN_DEPTH
            || (DUK_HOBJECT_HAS_EXOTIC_BEHAVIOR(p) && !DUK_HOBJECT_HAS_EXOTIC_ARRAY(p))
            || duk_hobject_find_entry(thr->heap, p, key, &e_idx, &h_idx))
            return 1;
    return 0;
}

/* A plain object's own enumerable string-keyed data properties, in
 * Duktape's order; JSON_NOT_PLAIN for an accessor or an array index key
 * (which Duktape sorts first), as its own fast path decides. */
static int json_members(struct json_out *o, duk_hobject *obj)
{
    duk_heap *heap = o->thr->heap;
    int any = 0;

    if (DUK_HOBJECT_HAS_ARRAY_PART(obj) || !json_put(o, "{", 1))
        return JSON_NOT_PLAIN;
    for (duk_uint_fast32_t i = 0; i < (duk_uint_fast32_t)DUK_HOBJECT_GET_ENEXT(obj); i++) {
        duk_hstring *k = DUK_HOBJECT_E_GET_KEY(heap, obj, i);
        char *mark = o->p;
        int r;

        if (k == NULL)
            continue;
        if (DUK_HSTRING_HAS_ARRIDX(k) || DUK_HOBJECT_E_SLOT_IS_ACCESSOR(heap, obj, i))
            return JSON_NOT_PLAIN;
        if (!DUK_HOBJECT_E_SLOT_IS_ENUMERABLE(heap, obj, i) || DUK_HSTRING_HAS_SYMBOL(k))
            continue;
        if ((any && !json_put(o, ",", 1)) || json_string(o, k) != JSON_WRITTEN
            || !json_put(o, ":", 1))
            return JSON_NOT_PLAIN;
        r = json_value(o, DUK_HOBJECT_E_GET_VALUE_TVAL_PTR(heap, obj, i));
        if (r == JSON_NOT_PLAIN)
            return r;
        if (r == JSON_SKIP)
            o->p = mark;   /* the member goes, with its comma */
        else
            any = 1;
    }
    return json_put(o, "}", 1) ? JSON_WRITTEN : JSON_NOT_PLAIN;
}

/* A dense array's elements (a gap could be filled from a prototype:
 * JSON_NOT_PLAIN, as any array without its array part). */
static int json_elements(struct json_out *o, duk_hobject *obj)
{
    duk_uint_fast32_t len = ((duk_harray *)obj)->length;

    if (!DUK_HOBJECT_HAS_ARRAY_PART(obj) || len > DUK_HOBJECT_GET_ASIZE(obj)
        || !json_put(o, "[", 1))
        return JSON_NOT_PLAIN;
    for (duk_uint_fast32_t i = 0; i < len; i++) {
        duk_tval *tv = DUK_HOBJECT_A_GET_VALUE_PTR(o->thr->heap, obj, i);
        int r;

        if (DUK_TVAL_IS_UNUSED(tv) || (i > 0 && !json_put(o, ",", 1)))
            return JSON_NOT_PLAIN;
        if ((r = json_value(o, tv)) == JSON_NOT_PLAIN)
            return r;
        if (r == JSON_SKIP && !json_put(o, "null", 4))
            return JSON_NOT_PLAIN;
    }
    return json_put(o, "]", 1) ? JSON_WRITTEN : JSON_NOT_PLAIN;
}

/* One value; see the enum above. Objects: only plain ones (class Object)
 * and arrays, with no toJSON anywhere on their chain and no Proxy. */
static int json_value(struct json_out *o, duk_tval *tv)
{
    duk_hobject *obj;
    int r;

    switch (DUK_TVAL_GET_TAG(tv)) {
    case DUK_TAG_UNDEFINED:
    case DUK_TAG_LIGHTFUNC:
        return JSON_SKIP;
    case DUK_TAG_NULL:
        return json_put(o, "null", 4) ? JSON_WRITTEN : JSON_NOT_PLAIN;
    case DUK_TAG_BOOLEAN:
        return (DUK_TVAL_GET_BOOLEAN(tv) ? json_put(o, "true", 4) : json_put(o, "false", 5))
               ? JSON_WRITTEN : JSON_NOT_PLAIN;
    case DUK_TAG_STRING:
        if (DUK_HSTRING_HAS_SYMBOL(DUK_TVAL_GET_STRING(tv)))
            return JSON_SKIP;
        return json_string(o, DUK_TVAL_GET_STRING(tv));
    case DUK_TAG_OBJECT:
        break;
    default:
        if (DUK_TVAL_IS_NUMBER(tv))
            return json_number(o, tv);
        return JSON_NOT_PLAIN;   /* buffers, pointers */
    }
    obj = DUK_TVAL_GET_OBJECT(tv);
    /* The order of JSON.stringify's own checks: toJSON first, even on a
     * function. */
    if (o->depth >= JSON_PLAIN_DEPTH || DUK_HOBJECT_IS_PROXY(obj)
        || json_has_to_json(o->thr, obj))
        return JSON_NOT_PLAIN;
    if (DUK_HOBJECT_IS_CALLABLE(obj))
        return JSON_SKIP;
    if (DUK_HOBJECT_GET_CLASS_NUMBER(obj) != DUK_HOBJECT_CLASS_OBJECT
        && DUK_HOBJECT_GET_CLASS_NUMBER(obj) != DUK_HOBJECT_CLASS_ARRAY)
        return JSON_NOT_PLAIN;
    o->depth++;
    r = DUK_HOBJECT_GET_CLASS_NUMBER(obj) == DUK_HOBJECT_CLASS_ARRAY ? json_elements(o, obj)
                                                                     : json_members(o, obj);
    o->depth--;
    return r;
}

/* JSON.stringify(value) of the object or array at IDX into OUT (CAP
 * bytes), byte for byte what Duktape would make, without its setup, its
 * protected call and the interning of the result: returns the length, or
 * -1 (OUT's contents then unspecified) for anything else (other classes,
 * a toJSON, an accessor, non-ASCII text, deeper than JSON_PLAIN_DEPTH,
 * longer than CAP), which the caller hands to JSON.stringify. Reads
 * only: no user code runs. */
long eider_duk_json_plain(void *ctx, duk_idx_t idx, char *out, size_t cap)
{
    duk_hthread *thr = ctx;
    duk_tval *tv = duk_get_tval(thr, idx);
    struct json_out o = { thr, out, out + cap, 0 };

    if (tv == NULL || !DUK_TVAL_IS_OBJECT(tv) || json_value(&o, tv) != JSON_WRITTEN)
        return -1;
    return (long)(o.p - out);
}

/* 1 if the object at IDX is still as eider made it, an empty object
 * with prototype PROTO (no own property ever added, not even a hidden
 * one, no array part, still extensible), and only REFS references hold
 * it: nothing a handler could have kept sees it any more, so it may
 * serve again in place of a new one. */
int eider_duk_untouched(void *ctx, duk_idx_t idx, void *proto, unsigned refs)
{
    duk_hthread *thr = ctx;
    duk_hobject *h = duk_get_hobject(thr, idx);

    return h != NULL && DUK_HEAPHDR_GET_REFCOUNT((duk_heaphdr *)h) == refs
        && DUK_HOBJECT_GET_ENEXT(h) == 0 && !DUK_HOBJECT_HAS_ARRAY_PART(h)
        && DUK_HOBJECT_HAS_EXTENSIBLE(h) && !DUK_HOBJECT_HAS_EXOTIC_BEHAVIOR(h)
        && DUK_HOBJECT_GET_CLASS_NUMBER(h) == DUK_HOBJECT_CLASS_OBJECT
        && (void *)DUK_HOBJECT_GET_PROTOTYPE(thr->heap, h) == proto;
}
