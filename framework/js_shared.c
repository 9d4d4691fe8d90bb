/*
 * require('eider').shared.NAME: the shared_dict zones (shdict.h) seen from
 * JavaScript, one object per zone the worker's configuration declares.
 *
 * The module is named 'eider' because these are eider's own services, not
 * a Node module's; NAME is the directive's, an identifier, so handlers
 * write shared.counters.incr(...). Every method is one call into the store
 * under the zone's lock, so each one is atomic across workers; nothing is
 * cached in the heap. Methods are bound to their zone (a hidden property
 * of each function), so `const { incr } = shared.counters` works too.
 *
 * What is a failure and what is an answer: a key that is not there is an
 * answer (undefined, false); a zone too full for add() or safeSet() (which
 * never evict), a key or value past the bounds, or incr() of a string are
 * errors thrown with a code and a message that says what to do.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "js_internal.h"
#include "shdict.h"

#define ZONE_KEY DUK_HIDDEN_SYMBOL("shdict")
#define NAME_KEY DUK_HIDDEN_SYMBOL("shdictName")
#define DEFAULT_KEYS 1024

/* The zone the running method is bound to; *NAME gets its name. */
static struct eider_shdict *zone_of(duk_context *ctx, const char **name)
{
    struct eider_shdict *z;

    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, ZONE_KEY);
    z = duk_get_pointer(ctx, -1);
    duk_get_prop_string(ctx, -2, NAME_KEY);
    *name = duk_get_string(ctx, -1);   /* kept alive by the function */
    duk_pop_3(ctx);
    return z;
}

/* Throws an Error (or TypeError/RangeError by TYPE) with CODE. */
static duk_ret_t fail(duk_context *ctx, duk_errcode_t type, const char *code, const char *fmt,
                      const char *name, const char *detail)
{
    duk_push_error_object(ctx, type, fmt, name, detail);
    duk_push_string(ctx, code);
    duk_put_prop_string(ctx, -2, "code");
    return duk_throw(ctx);
}

/* Argument 0 as a key (a string; a number is turned into one): its bytes,
 * or a RangeError naming the bounds. */
static const char *key_arg(duk_context *ctx, const char *name, size_t *klen)
{
    const char *key;
    char n[32];

    if (!duk_is_string(ctx, 0) && !duk_is_number(ctx, 0))
        fail(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
             "shared dict %s: a key is a string%s", name, "");
    key = duk_to_lstring(ctx, 0, klen);
    if (*klen == 0 || *klen > EIDER_SHDICT_MAX_KEY) {
        snprintf(n, sizeof(n), ", got %zu", *klen);
        fail(ctx, DUK_ERR_RANGE_ERROR, "ERR_SHDICT_KEY",
             "shared dict %s: keys are 1 to 250 bytes%s", name, n);
    }
    return key;
}

/* The value at IDX: a string, number or boolean, or a TypeError/RangeError. */
static void value_arg(duk_context *ctx, duk_idx_t idx, const char *name, struct eider_shdict_value *v)
{
    char n[32];

    if (duk_is_string(ctx, idx)) {
        v->type = EIDER_SHD_STRING;
        v->str = duk_get_lstring(ctx, idx, &v->len);
        if (v->len > EIDER_SHDICT_MAX_VALUE) {
            snprintf(n, sizeof(n), ", got %zu", v->len);
            fail(ctx, DUK_ERR_RANGE_ERROR, "ERR_SHDICT_VALUE",
                 "shared dict %s: string values are up to 16000 bytes%s", name, n);
        }
    } else if (duk_is_number(ctx, idx)) {
        v->type = EIDER_SHD_NUMBER;
        v->num = duk_get_number(ctx, idx);
    } else if (duk_is_boolean(ctx, idx)) {
        v->type = EIDER_SHD_BOOLEAN;
        v->num = duk_get_boolean(ctx, idx);
    } else {
        fail(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
             "shared dict %s: values are strings, numbers or booleans%s", name, "");
    }
}

/* Milliseconds at IDX: undefined or 0 is none; else a positive number. */
static long long ttl_arg(duk_context *ctx, duk_idx_t idx, const char *name)
{
    double t;

    if (duk_is_undefined(ctx, idx) || duk_is_null(ctx, idx))
        return 0;
    t = duk_is_number(ctx, idx) ? duk_get_number(ctx, idx) : -1;
    if (!(t >= 0) || !isfinite(t))
        fail(ctx, DUK_ERR_RANGE_ERROR, "ERR_INVALID_ARG_VALUE",
             "shared dict %s: ttlMs is a number of milliseconds (0 or none: never expires)%s", name, "");
    if (t > 1e15)   /* 31,000 years: the cast below must not overflow */
        t = 1e15;
    return t > 0 && t < 1 ? 1 : (long long)t;
}

/* A store that found no room: what to do depends on whether it may evict. */
static duk_ret_t fail_full(duk_context *ctx, const char *name, const char *method)
{
    if (strcmp(method, "set") == 0 || strcmp(method, "replace") == 0 || strcmp(method, "incr") == 0)
        return fail(ctx, DUK_ERR_ERROR, "ERR_SHDICT_FULL",
                    "shared dict %s: no room even after evicting least recently used entries (%s); "
                    "raise the size in shared_dict", name, "values of other sizes hold the memory");
    return fail(ctx, DUK_ERR_ERROR, "ERR_SHDICT_FULL",
                "shared dict %s is full: %s() never evicts; delete entries, use set() to evict "
                "the least recently used, or raise the size in shared_dict", name, method);
}

/* set/safeSet/add/replace(key, value, ttlMs?): true, or false when add
 * finds the key or replace does not. */
static duk_ret_t store(duk_context *ctx, const char *method, int flags)
{
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    struct eider_shdict_value v;
    size_t klen;
    const char *key = key_arg(ctx, name, &klen);
    long long ttl;

    value_arg(ctx, 1, name, &v);
    ttl = ttl_arg(ctx, 2, name);
    switch (eider_shdict_store(z, key, klen, &v, ttl, flags)) {
    case EIDER_SHD_OK:        duk_push_true(ctx); return 1;
    case EIDER_SHD_EXISTS:
    case EIDER_SHD_NOT_FOUND: duk_push_false(ctx); return 1;
    default:                  return fail_full(ctx, name, method);
    }
}

/* The store methods: which may evict, which need the key absent or present. */
static duk_ret_t js_set(duk_context *ctx)      { return store(ctx, "set", EIDER_SHD_EVICT); }
static duk_ret_t js_safe_set(duk_context *ctx) { return store(ctx, "safeSet", 0); }
static duk_ret_t js_add(duk_context *ctx)      { return store(ctx, "add", EIDER_SHD_IF_ABSENT); }
static duk_ret_t js_replace(duk_context *ctx)
{
    return store(ctx, "replace", EIDER_SHD_IF_PRESENT | EIDER_SHD_EVICT);
}

/* get(key): the value, or undefined. */
static duk_ret_t js_get(duk_context *ctx)
{
    static char buf[EIDER_SHDICT_MAX_VALUE];
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    struct eider_shdict_value v;
    size_t klen;
    const char *key = key_arg(ctx, name, &klen);

    if (eider_shdict_get(z, key, klen, &v, buf, sizeof(buf)) != EIDER_SHD_OK)
        return 0;
    if (v.type == EIDER_SHD_STRING)
        duk_push_lstring(ctx, v.str, v.len);
    else if (v.type == EIDER_SHD_BOOLEAN)
        duk_push_boolean(ctx, v.num != 0);
    else
        duk_push_number(ctx, v.num);
    return 1;
}

/* has(key): whether it is there (and not expired). */
static duk_ret_t js_has(duk_context *ctx)
{
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    size_t klen;
    const char *key = key_arg(ctx, name, &klen);

    duk_push_boolean(ctx, eider_shdict_get(z, key, klen, NULL, NULL, 0) == EIDER_SHD_OK);
    return 1;
}

/* incr(key, delta, init?, ttlMs?): the new number; undefined when the key
 * is missing and no init is given. ttlMs applies to a key it creates. */
static duk_ret_t js_incr(duk_context *ctx)
{
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    size_t klen;
    const char *key = key_arg(ctx, name, &klen);
    double delta = duk_is_undefined(ctx, 1) ? 1 : duk_get_number_default(ctx, 1, NAN);
    int has_init = !duk_is_undefined(ctx, 2) && !duk_is_null(ctx, 2);
    double init = has_init ? duk_get_number_default(ctx, 2, NAN) : 0, out;
    long long ttl;

    if (!isfinite(delta) || !isfinite(init))
        return fail(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
                    "shared dict %s: incr's delta and init are finite numbers%s", name, "");
    ttl = ttl_arg(ctx, 3, name);
    switch (eider_shdict_incr(z, key, klen, delta, has_init, init, ttl, &out)) {
    case EIDER_SHD_OK:         duk_push_number(ctx, out); return 1;
    case EIDER_SHD_NOT_FOUND:  return 0;
    case EIDER_SHD_NOT_NUMBER:
        return fail(ctx, DUK_ERR_TYPE_ERROR, "ERR_SHDICT_NOT_NUMBER",
                    "shared dict %s: incr of \"%.100s\", which is not a number", name, key);
    default:                   return fail_full(ctx, name, "incr");
    }
}

/* delete(key): whether there was one. */
static duk_ret_t js_delete(duk_context *ctx)
{
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    size_t klen;
    const char *key = key_arg(ctx, name, &klen);

    duk_push_boolean(ctx, eider_shdict_delete(z, key, klen) == EIDER_SHD_OK);
    return 1;
}

/* ttl(key): milliseconds left, -1 if it never expires, undefined if
 * missing (Redis's PTTL, with undefined for its -2). */
static duk_ret_t js_ttl(duk_context *ctx)
{
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    size_t klen;
    const char *key = key_arg(ctx, name, &klen);
    long long ms;

    if (eider_shdict_ttl(z, key, klen, &ms) != EIDER_SHD_OK)
        return 0;
    duk_push_number(ctx, (double)ms);
    return 1;
}

struct keys_out {
    duk_context *ctx;
    duk_uarridx_t n;
};

/* eider_shdict_keys callback: appends KEY to the array on top. */
static void push_key(const char *key, size_t klen, void *arg)
{
    struct keys_out *o = arg;
    duk_push_lstring(o->ctx, key, klen);
    duk_put_prop_index(o->ctx, -2, o->n++);
}

/* keys(max = 1024): up to max live keys, in no order; 0: all of them
 * (the zone is locked meanwhile, so mind a large one). */
static duk_ret_t js_keys(duk_context *ctx)
{
    const char *name;
    struct eider_shdict *z = zone_of(ctx, &name);
    double max = duk_is_undefined(ctx, 0) ? DEFAULT_KEYS : duk_get_number_default(ctx, 0, -1);
    struct keys_out o = { ctx, 0 };

    if (!(max >= 0) || !isfinite(max))
        return fail(ctx, DUK_ERR_RANGE_ERROR, "ERR_INVALID_ARG_VALUE",
                    "shared dict %s: keys(max) takes a count (0: all)%s", name, "");
    duk_push_array(ctx);
    eider_shdict_keys(z, max > 1e9 ? 0 : (size_t)max, push_key, &o);   /* more than can fit: all */
    return 1;
}

/* size(): live entries. */
static duk_ret_t js_size(duk_context *ctx)
{
    const char *name;
    duk_push_number(ctx, (double)eider_shdict_count(zone_of(ctx, &name)));
    return 1;
}

/* freeSpace(): bytes not holding entries. */
static duk_ret_t js_free_space(duk_context *ctx)
{
    const char *name;
    duk_push_number(ctx, (double)eider_shdict_free_space(zone_of(ctx, &name)));
    return 1;
}

/* The methods of every dictionary object. */
static const struct {
    const char *name;
    duk_c_function fn;
    duk_idx_t nargs;
} methods[] = {
    { "get",       js_get,        1 },
    { "set",       js_set,        3 },
    { "safeSet",   js_safe_set,   3 },
    { "add",       js_add,        3 },
    { "replace",   js_replace,    3 },
    { "incr",      js_incr,       4 },
    { "delete",    js_delete,     1 },
    { "has",       js_has,        1 },
    { "ttl",       js_ttl,        1 },
    { "keys",      js_keys,       1 },
    { "size",      js_size,       0 },
    { "freeSpace", js_free_space, 0 },
};

/* Pushes the object for zone Z called NAME: its methods and capacity. */
static void push_dict(duk_context *ctx, struct eider_shdict *z, const char *name)
{
    duk_push_object(ctx);
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        duk_push_c_function(ctx, methods[i].fn, methods[i].nargs);
        duk_push_pointer(ctx, z);
        duk_put_prop_string(ctx, -2, ZONE_KEY);
        duk_push_string(ctx, name);
        duk_put_prop_string(ctx, -2, NAME_KEY);
        duk_put_prop_string(ctx, -2, methods[i].name);
    }
    duk_push_number(ctx, (double)eider_shdict_capacity(z));
    duk_put_prop_string(ctx, -2, "capacity");
    duk_push_string(ctx, name);
    duk_put_prop_string(ctx, -2, "name");
    duk_freeze(ctx, -1);
}

/* require('eider'): { shared: { NAME: dict, ... } } for the zones of this
 * runtime's configuration (made by the master before the fork). */
void eider_js_eider_push(duk_context *ctx)
{
    const struct eider_config *cfg = eider_js_of(ctx)->cfg;

    duk_push_object(ctx);
    duk_push_object(ctx);
    for (size_t i = 0; cfg != NULL && i < cfg->nshdicts; i++) {
        struct eider_shdict *z = eider_shdict_zones_find(cfg->shdicts[i].name, cfg->shdicts[i].size);
        if (z == NULL)   /* not mapped in this process (a tool, not the server) */
            continue;
        push_dict(ctx, z, cfg->shdicts[i].name);
        duk_put_prop_string(ctx, -2, cfg->shdicts[i].name);
    }
    duk_freeze(ctx, -1);
    duk_put_prop_string(ctx, -2, "shared");
}
