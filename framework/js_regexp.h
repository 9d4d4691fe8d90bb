/*
 * Shared by js_regexp.c (compiling, exec and test, the methods installed
 * on RegExp.prototype and String.prototype) and js_regexp_string.c (the
 * String methods' work: replace, split, match with g, search).
 */
#ifndef EIDER_JS_REGEXP_H
#define EIDER_JS_REGEXP_H

#include "js_engine.h"
#include "regexp.h"

/* One compiled pattern (owned by its JS code object, freed by its
 * finalizer). */
struct re_code {
    pcre2_code_16 *code;
    pcre2_match_data_16 *md;
    unsigned flags;
    int jit;                    /* JIT-compiled: pcre2_jit_match */
    uint32_t ngroups;
    char **names;               /* per group number, NULL if unnamed */
};

/* The process's matching state: one heap at a time runs. */
struct eider_re_state {
    pcre2_match_context_16 *mctx;
    pcre2_jit_stack_16 *jit;
    duk_context *ctx;           /* the subject below: its heap */
    void *ptr;                  /* and its heap pointer */
    struct eider_u16 u;         /* the subject as UTF-16 */
    uint32_t *boff;             /* byte offset of each unit (regexp.h) */
    size_t boffcap;
    const char *bytes;          /* the subject's own bytes */
    size_t blen;
    int ascii;
    char *scratch;              /* encoded substrings, a replacement */
    size_t slen, scap;
};
extern struct eider_re_state eider_re_state;

/* The hidden property of a code object holding its struct re_code. */
#define HIDDEN_CODE DUK_HIDDEN_SYMBOL("p")

/* The hooks object and the tables of Duktape's RegExps (js_regexp.c) of
 * the heap that called setup(), which its stash keeps alive: pushed by
 * heap pointer, a hot path's stash lookups cost more than the match. */
struct eider_re_heap {
    duk_context *ctx;
    void *hooks, *tables, *proto, *made;
    void *code_key;             /* the string HIDDEN_RE_CODE, kept in the stash */
    void *ptr_key;              /* the string HIDDEN_CODE, kept in the stash */
    void *holder;               /* an array in the stash: [0] is the subject */
    void *lit_keep;             /* an array in the stash: js_regexp.c's literal cache */
};
extern struct eider_re_heap eider_re_heap;

/* Makes the string at IDX (>= 0) the current subject. */
void eider_re_subject(duk_context *ctx, duk_idx_t idx);
/* Appends units [s, e) of the subject to the scratch (its own bytes where
 * the boundaries allow), or bytes P. */
void eider_re_append_sub(size_t s, size_t e);
void eider_re_append_bytes(const char *p, size_t n);
/* Pushes units [s, e) of the subject as a string. */
void eider_re_push_sub(duk_context *ctx, size_t s, size_t e);
/* The compiled pattern of the code object at IDX; throws a TypeError. */
struct re_code *eider_re_code_of(duk_context *ctx, duk_idx_t idx);
/* One match from unit START: 1 with the ovector in rc->md, or 0; throws
 * at js_time_limit. */
int eider_re_match_at(duk_context *ctx, struct re_code *rc, size_t start);
/* The unit after I (past a surrogate pair with the u flag). */
size_t eider_re_advance(const struct re_code *rc, size_t i);
void eider_re_set_last_index(duk_context *ctx, duk_idx_t re, double v);
/* exec's lastIndex rules around one match of the regexp at RE. */
int eider_re_builtin_exec(duk_context *ctx, duk_idx_t re, struct re_code *rc);
/* Pushes the groups object of the match in rc->md, or undefined. */
void eider_re_push_groups(duk_context *ctx, const struct re_code *rc);
/* Pushes the match array of the match in rc->md; SUBJ the string. */
void eider_re_push_match(duk_context *ctx, const struct re_code *rc, duk_idx_t subj);

/* js_regexp_string.c, each on the stack its doc comment names. */
duk_ret_t eider_re_match_global(duk_context *ctx);
duk_ret_t eider_re_search(duk_context *ctx);
duk_ret_t eider_re_replace(duk_context *ctx);
duk_ret_t eider_re_split(duk_context *ctx);
/* String#split by a non-empty string with no limit: [sep limit str];
 * 1 with the array pushed, 0 (nothing pushed) to leave it to Duktape. */
int eider_split_by_string(duk_context *ctx);

#endif
