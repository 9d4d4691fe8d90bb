/*
 * The RegExp engine of every heap: PCRE2 (regexp.h) behind the hidden
 * global that framework/js/prelude_regexp.js turns into RegExp,
 * RegExp.prototype.exec/test and the String methods taking a regexp.
 * This file: compiling, the methods installed on RegExp.prototype and
 * String.prototype, and finding the compiled code of a RegExp object;
 * the subject and the matching itself are js_regexp_match.c's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "js_internal.h"
#include "js_regexp.h"

#define H eider_re_heap
#define S eider_re_state

struct eider_re_heap eider_re_heap;

/* --- the bindings --- */

static duk_ret_t code_finalizer(duk_context *ctx)
{
    struct re_code *rc;

    duk_get_prop_literal(ctx, 0, HIDDEN_CODE);
    rc = duk_get_pointer(ctx, -1);
    if (rc != NULL) {
        duk_push_pointer(ctx, NULL);
        duk_put_prop_literal(ctx, 0, HIDDEN_CODE);
        if (rc->names != NULL)
            for (uint32_t g = 0; g <= rc->ngroups; g++)
                free(rc->names[g]);
        free(rc->names);
        pcre2_match_data_free_16(rc->md);
        pcre2_code_free_16(rc->code);
        free(rc);
    }
    return 0;
}

/* Reads the names of the groups from PCRE2's name table (sorted by name)
 * into a table by group number. */
static void read_names(struct re_code *rc)
{
    uint32_t count, size;
    PCRE2_SPTR16 table;

    pcre2_pattern_info_16(rc->code, PCRE2_INFO_NAMECOUNT, &count);
    if (count == 0)
        return;
    pcre2_pattern_info_16(rc->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info_16(rc->code, PCRE2_INFO_NAMETABLE, &table);
    rc->names = eider_calloc(rc->ngroups + 1, sizeof(char *));
    for (uint32_t k = 0; k < count; k++, table += size) {
        uint32_t g = table[0];
        char *name = eider_malloc(size);
        size_t j = 0;
        for (; j + 1 < size && table[1 + j] != 0; j++)
            name[j] = (char)table[1 + j];   /* ASCII: regexp.c allows no other */
        name[j] = '\0';
        if (g <= rc->ngroups && rc->names[g] == NULL)
            rc->names[g] = name;
        else
            free(name);
    }
}

/* compile(source, flags) -> a code object; throws the SyntaxError. */
static duk_ret_t re_compile(duk_context *ctx)
{
    struct eider_u16 pat = { 0 };
    size_t slen, flen;
    const char *src = duk_require_lstring(ctx, 0, &slen), *flags = duk_require_lstring(ctx, 1, &flen);
    char err[256];
    unsigned bits;
    pcre2_code_16 *code;
    struct re_code *rc;

    if (eider_re_flags(flags, flen, &bits, err, sizeof(err)) < 0)
        return duk_syntax_error(ctx, "%s", err);
    eider_u16_decode(src, slen, &pat, NULL, NULL);
    code = eider_re_compile(pat.p, pat.n, bits, err, sizeof(err));
    eider_u16_free(&pat);
    if (code == NULL)
        return duk_syntax_error(ctx, "Invalid regular expression: /%s/%s: %s", src, flags, err);
    rc = eider_calloc(1, sizeof(*rc));
    rc->code = code;
    rc->flags = bits;
    pcre2_pattern_info_16(code, PCRE2_INFO_CAPTURECOUNT, &rc->ngroups);
    {
        size_t jitsize = 0;
        rc->jit = pcre2_pattern_info_16(code, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0;
    }
    rc->md = pcre2_match_data_create_from_pattern_16(code, NULL);
    if (rc->md == NULL)
        eider_oom(sizeof(void *));
    read_names(rc);
    duk_push_bare_object(ctx);
    duk_push_pointer(ctx, rc);
    duk_put_prop_literal(ctx, -2, HIDDEN_CODE);
    duk_push_c_function(ctx, code_finalizer, 1);
    duk_set_finalizer(ctx, -2);
    return 1;
}

/* exec(re, code, string) -> the match array or null. */
static duk_ret_t re_exec(duk_context *ctx)
{
    struct re_code *rc = eider_re_code_of(ctx, 1);

    eider_re_subject(ctx, 2);
    if (!eider_re_builtin_exec(ctx, 0, rc))
        duk_push_null(ctx);
    else
        eider_re_push_match(ctx, rc, 2);
    return 1;
}

/* test(re, code, string) -> boolean. */
static duk_ret_t re_test(duk_context *ctx)
{
    struct re_code *rc = eider_re_code_of(ctx, 1);

    eider_re_subject(ctx, 2);
    duk_push_boolean(ctx, eider_re_builtin_exec(ctx, 0, rc));
    return 1;
}

/* --- the methods, called by user code directly --- */

#define STASH_HOOKS DUK_HIDDEN_SYMBOL("reHooks")
#define STASH_NATIVE DUK_HIDDEN_SYMBOL("reNative")
#define STASH_MADE DUK_HIDDEN_SYMBOL("reMade")
#define HIDDEN_RE_CODE DUK_HIDDEN_SYMBOL("reCode")


/* What push_stashed() pushes. */
enum { ST_HOOKS, ST_TABLES, ST_MADE, ST_PROTO };

/* Pushes the hooks, the tables of Duktape's RegExps, make()'s table or
 * RegExp.prototype: by heap pointer for the heap that set up last, from
 * the stash for another (a check or eider test may hold two heaps). */
static void push_stashed(duk_context *ctx, int which)
{
    if (H.ctx == ctx) {
        duk_push_heapptr(ctx, which == ST_HOOKS ? H.hooks : which == ST_TABLES ? H.tables
                         : which == ST_MADE ? H.made : H.proto);
        return;
    }
    duk_push_heap_stash(ctx);
    if (which == ST_TABLES)
        duk_get_prop_literal(ctx, -1, STASH_NATIVE);
    else if (which == ST_MADE)
        duk_get_prop_literal(ctx, -1, STASH_MADE);
    else
        duk_get_prop_literal(ctx, -1, STASH_HOOKS);
    if (which == ST_PROTO) {
        duk_get_prop_literal(ctx, -1, "proto");
        duk_remove(ctx, -2);
    }
    duk_remove(ctx, -2);
}

/* Pushes hook NAME of prelude_regexp.js (setup()). */
static void push_hook(duk_context *ctx, const char *name)
{
    push_stashed(ctx, ST_HOOKS);
    duk_get_prop_string(ctx, -1, name);
    duk_remove(ctx, -2);
}

/* Duktape's own RegExp objects (ES5 literals: a new one each time a
 * literal is evaluated) are looked up by their internal source, in one
 * table per combination of Duktape's flags g, i and m (its bytecode's
 * first byte), without a call into JavaScript. */
#define DUK_INT_BYTECODE "\x82" "Bytecode"
#define DUK_INT_SOURCE "\x82" "Source"

/* The code of Duktape's RegExp at IDX from the table: 1 with the code
 * object pushed, 0 for a pattern left to Duktape (nothing pushed), -1 for
 * no entry (nothing pushed; the table and the source are left below for
 * remember()). */
static int native_lookup(duk_context *ctx, duk_idx_t idx)
{
    size_t bl;
    const unsigned char *bc;

    if (!duk_get_prop_literal(ctx, idx, DUK_INT_BYTECODE) || !duk_is_string(ctx, -1)) {
        duk_pop(ctx);
        return -2;
    }
    bc = (const unsigned char *)duk_get_lstring(ctx, -1, &bl);
    push_stashed(ctx, ST_TABLES);
    duk_get_prop_index(ctx, -1, bl > 0 ? bc[0] & 7 : 0);     /* [bc tables table] */
    duk_replace(ctx, -3);
    duk_pop(ctx);                                             /* [table] */
    duk_get_prop_literal(ctx, idx, DUK_INT_SOURCE);            /* [table src] */
    duk_dup_top(ctx);
    duk_get_prop(ctx, -3);                                    /* [table src code] */
    if (duk_is_object(ctx, -1) || duk_is_null(ctx, -1)) {
        int r = duk_is_object(ctx, -1);
        duk_replace(ctx, -3);
        duk_pop(ctx);
        if (!r)
            duk_pop(ctx);
        return r;
    }
    duk_pop(ctx);
    return -1;
}

/* The tables only grow when a pattern is compiled; past TABLE_MAX
 * patterns (new RegExp of ever new text) they start over, as the
 * prelude's own cache does: a RegExp still held keeps its code alive. */
#define TABLE_MAX 1000

/* The last code objects resolve_own() found for Duktape's RegExps, by
 * source pointer and flags: a literal evaluated in a loop (a new RegExp
 * object each time) then costs two pointer compares, not a table lookup
 * by string (~1,000 instructions a call). Valid while the tables that
 * hold each code as a value live: emptied with them (new_tables), which
 * is also where a new heap starts. Each source is also kept in
 * H.lit_keep at its slot's index (a source that is an array index, /1/,
 * is no key string in a table): no other string can take its address. */
#define LIT_CACHE 64
static struct lit_entry {
    void *src, *code;
    int flags;
} lit_cache[LIT_CACHE];

static struct lit_entry *lit_slot(void *src, int flags)
{
    return &lit_cache[(((uintptr_t)src >> 4) ^ (unsigned)flags) % LIT_CACHE];
}

static void new_tables(duk_context *ctx)
{
    memset(lit_cache, 0, sizeof(lit_cache));
    duk_push_heap_stash(ctx);
    duk_push_array(ctx);
    if (H.ctx == ctx)
        H.lit_keep = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("reLitKeep"));
    duk_push_array(ctx);
    for (duk_uarridx_t i = 0; i < 8; i++) {
        duk_push_bare_object(ctx);
        duk_put_prop_index(ctx, -2, i);
    }
    if (H.ctx == ctx)
        H.tables = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, STASH_NATIVE);
    duk_push_bare_object(ctx);
    if (H.ctx == ctx)
        H.made = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, STASH_MADE);
    duk_push_int(ctx, 0);
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("reCount"));
    duk_pop(ctx);
}

/* Counts one more compiled pattern in the tables; starts them over when
 * full. Call with nothing of the tables on the stack above what is kept. */
static void count_compiled(duk_context *ctx)
{
    int n;

    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, DUK_HIDDEN_SYMBOL("reCount"));
    n = duk_get_int(ctx, -1) + 1;
    duk_pop(ctx);
    duk_push_int(ctx, n);
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("reCount"));
    duk_pop(ctx);
    if (n > TABLE_MAX)
        new_tables(ctx);
}

/* resolve()'s common cases by own properties only, which cost a table
 * scan where a generic lookup walks the prototype chain on a miss: an
 * eider RegExp's own code, or the code in the tables for a RegExp Duktape
 * made whose pattern is there. 1 with the code object pushed, 0 (nothing
 * pushed) for a Duktape RegExp that PCRE2 refused; -1 (nothing pushed):
 * not one of these, ask resolve()'s general path. Only for H's heap. */
static int resolve_own(duk_context *ctx, duk_idx_t idx)
{
    size_t bl;
    const unsigned char *bc;
    struct lit_entry *slot;
    void *src;
    int flags;

    idx = duk_normalize_index(ctx, idx);
    if (eider_duk_get_own(ctx, idx, H.code_key)) {
        if (duk_is_object(ctx, -1))
            return 1;
        duk_pop(ctx);
        return -1;
    }
    if (!eider_duk_native_regexp_key(ctx, idx, &src, &flags))
        return -1;
    slot = lit_slot(src, flags);
    if (slot->src == src && slot->flags == flags) {
        duk_push_heapptr(ctx, slot->code);
        return 1;
    }
    if (!eider_duk_native_regexp(ctx, idx))             /* [bc src] */
        return -1;
    bc = (const unsigned char *)duk_get_lstring(ctx, -2, &bl);
    duk_push_heapptr(ctx, H.tables);
    duk_get_prop_index(ctx, -1, bl > 0 ? bc[0] & 7 : 0);  /* [bc src tables table] */
    duk_swap(ctx, -3, -1);                                /* [bc table tables src] */
    duk_get_prop(ctx, -3);                                /* [bc table tables code] */
    duk_replace(ctx, -4);
    duk_pop_2(ctx);                                       /* [code] */
    if (duk_is_object(ctx, -1)) {
        slot->src = src;
        slot->flags = flags;
        slot->code = duk_get_heapptr(ctx, -1);
        duk_push_heapptr(ctx, H.lit_keep);
        duk_push_heapptr(ctx, src);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)(slot - lit_cache));
        duk_pop(ctx);
        return 1;
    }
    {
        int r = duk_is_null(ctx, -1) ? 0 : -1;
        duk_pop(ctx);
        return r;
    }
}

/* The code of the value at IDX as a regexp: 1 with the code object
 * pushed; 0 (nothing pushed) for one of Duktape's RegExp objects whose
 * pattern PCRE2 refused, which Duktape's engine then runs; -1 (nothing
 * pushed) if the value is no RegExp. A RegExp made by Duktape gets its
 * code from the hook codeFor the first time its pattern is seen. */
static int resolve(duk_context *ctx, duk_idx_t idx)
{
    int r, known;

    if (!duk_is_object(ctx, idx))
        return -1;
    if (H.ctx == ctx && (r = resolve_own(ctx, idx)) >= 0)
        return r;
    if (duk_get_prop_literal(ctx, idx, HIDDEN_RE_CODE) && duk_is_object(ctx, -1))
        return 1;
    duk_pop(ctx);
    if ((known = native_lookup(ctx, idx)) >= 0)
        return known;
    push_hook(ctx, "codeFor");
    duk_dup(ctx, idx);
    duk_call(ctx, 1);
    r = duk_is_object(ctx, -1) ? 1 : duk_is_null(ctx, -1) ? 0 : -1;
    if (known == -1) {                    /* [table src code]: remember it */
        duk_dup(ctx, -2);
        duk_dup(ctx, -2);
        duk_put_prop(ctx, -5);
        duk_replace(ctx, -3);
        duk_pop(ctx);
        count_compiled(ctx);
    }
    if (r != 1)
        duk_pop(ctx);
    return r;
}

/* Calls Duktape's own method NAME (a hook) on THIS with N arguments from
 * index 0, and returns its result. */
static duk_ret_t fallback(duk_context *ctx, const char *name, duk_idx_t self, duk_idx_t n)
{
    push_hook(ctx, name);
    duk_dup(ctx, self);
    for (duk_idx_t i = 0; i < n; i++)
        duk_dup(ctx, i);
    duk_call_method(ctx, n);
    return 1;
}

/* RegExp.prototype.exec / test (magic 1): [s] */
static duk_ret_t proto_exec(duk_context *ctx)
{
    int r;

    duk_set_top(ctx, 1);
    duk_push_this(ctx);                                 /* [s this] */
    if ((r = resolve(ctx, 1)) < 0)
        return duk_type_error(ctx, "RegExp method called on an incompatible receiver");
    if (r == 0)
        return fallback(ctx, duk_get_current_magic(ctx) ? "test" : "exec", 1, 1);
    duk_to_string(ctx, 0);
    duk_dup(ctx, 0);
    duk_remove(ctx, 0);                                 /* [this code s] */
    return duk_get_current_magic(ctx) ? re_test(ctx) : re_exec(ctx);
}

/* this as a string for String.prototype.NAME, put at index AT. */
static void this_string(duk_context *ctx, duk_idx_t at, const char *name)
{
    duk_push_this(ctx);
    if (duk_is_null_or_undefined(ctx, -1))
        (void)duk_type_error(ctx, "String.prototype.%s called on null or undefined", name);
    duk_to_string(ctx, -1);
    duk_insert(ctx, at);
}

/* String.prototype.replace: [search replacement] */
static duk_ret_t str_replace(duk_context *ctx)
{
    duk_set_top(ctx, 2);
    this_string(ctx, 2, "replace");                     /* [search repl str] */
    if (resolve(ctx, 0) != 1)
        return fallback(ctx, "replace", 2, 2);
    duk_swap(ctx, 1, 3);                                /* [re code str repl] */
    if (!duk_is_function(ctx, 3))
        duk_to_string(ctx, 3);
    return eider_re_replace(ctx);
}

/* String.prototype.split: [separator limit] */
static duk_ret_t str_split(duk_context *ctx)
{
    duk_set_top(ctx, 2);
    this_string(ctx, 2, "split");                       /* [sep limit str] */
    if (eider_split_by_string(ctx))
        return 1;
    if (resolve(ctx, 0) != 1)
        return fallback(ctx, "split", 2, 2);
    duk_remove(ctx, 0);                                 /* [limit str code] */
    duk_insert(ctx, 0);                                 /* [code limit str] */
    duk_swap(ctx, 1, 2);                                /* [code str limit] */
    return eider_re_split(ctx);
}

/* String.prototype.match and search (magic 1): [regexp]; a value that is
 * no RegExp is made one (new RegExp(value)). */
static duk_ret_t str_match(duk_context *ctx)
{
    int search = duk_get_current_magic(ctx), r;

    duk_set_top(ctx, 1);
    this_string(ctx, 1, search ? "search" : "match");   /* [re str] */
    if ((r = resolve(ctx, 0)) < 0) {
        push_hook(ctx, "RegExp");
        if (duk_is_undefined(ctx, 0)) {
            duk_new(ctx, 0);
        } else {
            duk_dup(ctx, 0);
            duk_new(ctx, 1);
        }
        duk_replace(ctx, 0);
        r = resolve(ctx, 0);
    }
    if (r != 1)
        return fallback(ctx, search ? "search" : "match", 1, 1);
    duk_insert(ctx, 1);                                 /* [re code str] */
    if (search) {
        duk_remove(ctx, 0);
        return eider_re_search(ctx);
    }
    return eider_re_code_of(ctx, 1)->flags & EIDER_RE_G ? eider_re_match_global(ctx) : re_exec(ctx);
}

/* make(source, flags) -> a new RegExp (what `new RegExp(source, flags)`
 * gives, and what the lowering writes for a literal): its code from a
 * table by flags and source, compiled through the hook compile on a
 * miss; the object made here, prototype RegExp.prototype, lastIndex 0. */
static duk_ret_t re_make(duk_context *ctx)
{
    duk_set_top(ctx, 2);
    duk_to_string(ctx, 0);
    duk_to_string(ctx, 1);
    push_stashed(ctx, ST_MADE);                           /* [src flags made] */
    duk_dup(ctx, 1);
    if (!duk_get_prop(ctx, 2)) {                          /* [src flags made byflags] */
        duk_pop(ctx);
        duk_push_bare_object(ctx);
        duk_dup(ctx, 1);
        duk_dup(ctx, -2);
        duk_put_prop(ctx, 2);
    }
    duk_dup(ctx, 0);
    if (!duk_get_prop(ctx, 3)) {                          /* [src flags made byflags code] */
        duk_pop(ctx);
        push_hook(ctx, "compile");
        duk_dup(ctx, 0);
        duk_dup(ctx, 1);
        duk_call(ctx, 2);
        duk_dup(ctx, 0);
        duk_dup(ctx, -2);
        duk_put_prop(ctx, 3);
        count_compiled(ctx);
    }
    duk_push_object(ctx);
    push_stashed(ctx, ST_PROTO);
    duk_set_prototype(ctx, -2);
    duk_push_literal(ctx, HIDDEN_RE_CODE);               /* [... code re key] */
    duk_dup(ctx, -3);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE);   /* own: no walk */
    duk_remove(ctx, -2);                                  /* [... re] */
    duk_push_literal(ctx, "lastIndex");
    duk_push_int(ctx, 0);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE | DUK_DEFPROP_CLEAR_ENUMERABLE
                 | DUK_DEFPROP_CLEAR_CONFIGURABLE);
    return 1;
}

/* setup(hooks): codeFor, compile, RegExp, proto (RegExp.prototype) and
 * Duktape's own exec, test, replace, split, match and search, for the
 * functions above. */
static duk_ret_t re_setup(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_dup(ctx, 0);
    H.hooks = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, STASH_HOOKS);
    duk_pop(ctx);
    H.ctx = ctx;
    new_tables(ctx);
    duk_get_prop_literal(ctx, 0, "proto");
    H.proto = duk_get_heapptr(ctx, -1);   /* RegExp.prototype: global, kept */
    duk_pop(ctx);
    duk_push_heap_stash(ctx);
    duk_push_literal(ctx, HIDDEN_RE_CODE);
    H.code_key = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("reCodeKey"));
    duk_push_literal(ctx, HIDDEN_CODE);
    H.ptr_key = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("rePtrKey"));
    duk_push_array(ctx);
    H.holder = duk_get_heapptr(ctx, -1);
    duk_put_prop_literal(ctx, -2, DUK_HIDDEN_SYMBOL("reHolder"));
    duk_pop(ctx);
    return 0;
}

static const duk_function_list_entry re_funcs[] = {
    { "compile", re_compile, 2 },
    { "exec", re_exec, 3 },
    { "test", re_test, 3 },
    { "matchGlobal", eider_re_match_global, 3 },
    { "search", eider_re_search, 2 },
    { "replace", eider_re_replace, 4 },
    { "split", eider_re_split, 3 },
    { "setup", re_setup, 1 },
    { "make", re_make, 2 },
    { NULL, NULL, 0 }
};

/* The methods, with their magic. */
static const struct {
    const char *name;
    duk_c_function fn;
    duk_idx_t nargs;
    int magic;
} methods[] = {
    { "protoExec", proto_exec, 1, 0 },
    { "protoTest", proto_exec, 1, 1 },
    { "strReplace", str_replace, 2, 0 },
    { "strSplit", str_split, 2, 0 },
    { "strMatch", str_match, 1, 0 },
    { "strSearch", str_match, 1, 1 },
};

void eider_js_regexp_init(duk_context *ctx)
{
    /* A new heap may sit where an old one was: forget its subject. */
    S.ctx = NULL;
    S.ptr = NULL;
    H.ctx = NULL;
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, re_funcs);
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
        duk_push_c_function(ctx, methods[i].fn, methods[i].nargs);
        duk_set_magic(ctx, -1, methods[i].magic);
        duk_put_prop_string(ctx, -2, methods[i].name);
    }
    duk_put_prop_string(ctx, 0, DUK_HIDDEN_SYMBOL("regexp"));
}
