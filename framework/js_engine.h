/*
 * The one way eider code includes Duktape: with eider's configuration
 * (see framework/duktape/eider_duk_config.h).
 */
#ifndef EIDER_JS_ENGINE_H
#define EIDER_JS_ENGINE_H

#include "duktape/eider_duk_config.h"
#include <duktape.h>

/* Looks inside Duktape's objects for hot paths, in
 * framework/duktape/duktape_build.c (which compiles Duktape and sees its
 * internals): an own data property by the heap pointer of its key, with
 * no interning and no prototype walk (1 and pushed, or 0); the bytecode
 * and source of a RegExp object Duktape made (1 and both pushed, or 0),
 * or its source's pointer and flags (1, nothing pushed, or 0); lastIndex
 * written in place where it is a plain own number (1, or 0 to do it the
 * generic way); an Array's element 0 replaced in its slot (1, or 0);
 * Object.keys of a plain object from its property table (1 and the array
 * pushed, or 0 for any object Duktape must enumerate itself); the
 * elements of a dense Array of primitives (pushed, their count, or -1);
 * a dense Array of strings sorted in place, and indexOf in a dense Array
 * (1, or 0 where Duktape's own must run); a new empty array with room
 * for ITEMS elements and PROPS named properties; a new empty object
 * (Object.prototype's) with room for PROPS named properties; [key value]
 * on top added to the plain object at OBJ_IDX, which lacks that key; the
 * top COUNT values made an array sized at once. */
int eider_duk_get_own(void *ctx, duk_idx_t idx, void *key);
int eider_duk_native_regexp(void *ctx, duk_idx_t idx);
int eider_duk_native_regexp_key(void *ctx, duk_idx_t idx, void **src, int *flags);
int eider_duk_set_last_index(void *ctx, duk_idx_t idx, double v);
int eider_duk_array_set0(void *ctx, void *array, duk_idx_t idx);
int eider_duk_plain_keys(void *ctx, duk_idx_t idx);
duk_int_t eider_duk_push_primitive_items(void *ctx, duk_idx_t idx, duk_uint32_t max);
int eider_duk_sort_strings(void *ctx, duk_idx_t idx);
int eider_duk_index_of(void *ctx, duk_idx_t idx, duk_idx_t val, double *at);
void eider_duk_push_array_sized(void *ctx, duk_uint32_t items, duk_uint32_t props);
void eider_duk_push_object_sized(void *ctx, duk_uint32_t props);
void eider_duk_put_new_prop(void *ctx, duk_idx_t obj_idx);
/* JSON.stringify of the plain object or array at IDX written into OUT
 * (CAP bytes) as Duktape would write it: its length, or -1 for a value
 * only JSON.stringify itself may do (see duktape_build.c). */
long eider_duk_json_plain(void *ctx, duk_idx_t idx, char *out, size_t cap);
/* 1 if the object at IDX is an empty object with prototype PROTO that no
 * property was ever put on, and REFS references are all that hold it. */
int eider_duk_untouched(void *ctx, duk_idx_t idx, void *proto, unsigned refs);
void eider_duk_pack(void *ctx, int count);

#endif
