/*
 * The subject and the matching of the RegExp engine (js_regexp.h).
 *
 * Strings: the subject is decoded to UTF-16 once and kept (with the
 * string itself, in the stash) while the next call has the same one, so a
 * loop of exec() over one string is linear. Indices and lastIndex are
 * UTF-16 code units, as in V8. Substrings handed back are the subject's
 * own bytes wherever the unit boundaries fall on Duktape's characters, so
 * they compare === with strings made from the same text.
 *
 * Time: pcre2_match runs under a match limit that starts small and
 * doubles; each time it is hit the js_time_limit flag is tested (as the
 * engine does, js_deadline.c), so a catastrophic pattern ends in the
 * same RangeError (and 503) as a runaway loop, a few match-limit steps
 * after the deadline.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "js_internal.h"
#include "js_regexp.h"

#define S eider_re_state
#define H eider_re_heap

#define STASH_SUBJECT DUK_HIDDEN_SYMBOL("reSubject")
#define FIRST_LIMIT 1000000u
#define LAST_LIMIT 4000000000u

struct eider_re_state eider_re_state;

/* --- the subject --- */

/* Makes the string at IDX the current subject. */
void eider_re_subject(duk_context *ctx, duk_idx_t idx)
{
    void *ptr = duk_get_heapptr(ctx, idx);

    if (S.ctx == ctx && S.ptr == ptr)
        return;
    S.bytes = duk_get_lstring(ctx, idx, &S.blen);
    S.ascii = eider_u16_decode(S.bytes, S.blen, &S.u, &S.boff, &S.boffcap);
    S.ctx = ctx;
    S.ptr = ptr;
    /* Kept alive while it is the subject, so that no other string can
     * take its address: in the holder array where setup() made one (an
     * index write costs a fraction of a stash lookup and a named put). */
    if (H.ctx == ctx) {
        if (eider_duk_array_set0(ctx, H.holder, idx))
            return;
        duk_push_heapptr(ctx, H.holder);
        duk_dup(ctx, idx < 0 ? idx - 1 : idx);
        duk_put_prop_index(ctx, -2, 0);
        duk_pop(ctx);
        return;
    }
    duk_push_heap_stash(ctx);
    duk_dup(ctx, idx < 0 ? idx - 1 : idx);
    duk_put_prop_literal(ctx, -2, STASH_SUBJECT);
    duk_pop(ctx);
}

/* Appends units [s, e) of the subject to the scratch, as its own bytes
 * where possible. */
void eider_re_append_sub(size_t s, size_t e)
{
    if (S.ascii || (!(S.boff[s] & EIDER_RE_MIDCHAR) && !(S.boff[e] & EIDER_RE_MIDCHAR))) {
        size_t bs = S.ascii ? s : S.boff[s], be = S.ascii ? e : S.boff[e];
        if (S.scap < S.slen + (be - bs) + 1) {
            S.scap = (S.slen + (be - bs) + 1) * 2;
            S.scratch = eider_realloc(S.scratch, S.scap);
        }
        memcpy(S.scratch + S.slen, S.bytes + bs, be - bs);
        S.slen += be - bs;
    } else {
        eider_u16_encode(S.u.p, s, e, &S.scratch, &S.slen, &S.scap);
    }
}

void eider_re_append_bytes(const char *p, size_t n)
{
    if (S.scap < S.slen + n + 1) {
        S.scap = (S.slen + n + 1) * 2;
        S.scratch = eider_realloc(S.scratch, S.scap);
    }
    memcpy(S.scratch + S.slen, p, n);
    S.slen += n;
}

void eider_re_push_sub(duk_context *ctx, size_t s, size_t e)
{
    if (S.ascii) {
        duk_push_lstring(ctx, S.bytes + s, e - s);
        return;
    }
    S.slen = 0;
    eider_re_append_sub(s, e);
    duk_push_lstring(ctx, S.scratch, S.slen);
}

/* --- matching --- */

struct re_code *eider_re_code_of(duk_context *ctx, duk_idx_t idx)
{
    struct re_code *rc;

    if (H.ctx != ctx || !eider_duk_get_own(ctx, idx, H.ptr_key))
        duk_get_prop_literal(ctx, idx, HIDDEN_CODE);
    rc = duk_get_pointer(ctx, -1);
    duk_pop(ctx);
    if (rc == NULL || rc->code == NULL)
        (void)duk_type_error(ctx, "not a compiled RegExp");
    return rc;
}

/* One match of RC on the subject from unit START (anchored there with
 * the y flag: compiled PCRE2_ANCHORED, which the JIT keeps). Returns 1 with the ovector in rc->md, 0 for none; throws
 * at js_time_limit and on PCRE2's other errors. */
int eider_re_match_at(duk_context *ctx, struct re_code *rc, size_t start)
{
    uint32_t limit = FIRST_LIMIT;
    int r;

    if (S.mctx == NULL) {
        S.mctx = pcre2_match_context_create_16(NULL);
        S.jit = pcre2_jit_stack_create_16(32 * 1024, 8 * 1024 * 1024, NULL);
        if (S.mctx == NULL)
            eider_oom(sizeof(void *));
        if (S.jit != NULL)
            pcre2_jit_stack_assign_16(S.mctx, NULL, S.jit);
        pcre2_set_depth_limit_16(S.mctx, 100000);
    }
    if (start > S.u.n)
        return 0;
    for (;;) {
        pcre2_set_match_limit_16(S.mctx, limit);
        r = rc->jit ? pcre2_jit_match_16(rc->code, S.u.p, S.u.n, start, 0, rc->md, S.mctx)
            : pcre2_match_16(rc->code, S.u.p, S.u.n, start, 0, rc->md, S.mctx);
        if (r >= 0)
            return 1;
        if (r == PCRE2_ERROR_NOMATCH)
            return 0;
        if (r != PCRE2_ERROR_MATCHLIMIT || limit >= LAST_LIMIT)
            break;
        if (eider_js_alarm && eider_js_exec_timeout(eider_js_of(ctx)))
            (void)duk_range_error(ctx, "execution timeout");
        limit = limit > LAST_LIMIT / 2 ? LAST_LIMIT : limit * 2;
    }
    {
        char why[256];
        eider_re_error_text(r, why, sizeof(why));
        (void)duk_range_error(ctx, "regular expression: %s", why);
    }
    return 0;
}

/* The unit after I: past a surrogate pair with u. */
size_t eider_re_advance(const struct re_code *rc, size_t i)
{
    if ((rc->flags & EIDER_RE_U) && i + 1 < S.u.n && S.u.p[i] >= 0xd800 && S.u.p[i] < 0xdc00
        && S.u.p[i + 1] >= 0xdc00 && S.u.p[i + 1] < 0xe000)
        return i + 2;
    return i + 1;
}

static double last_index(duk_context *ctx, duk_idx_t re)
{
    double v;
    duk_get_prop_literal(ctx, re, "lastIndex");
    v = duk_to_number(ctx, -1);
    duk_pop(ctx);
    return isnan(v) || v < 0 ? 0 : v;
}

void eider_re_set_last_index(duk_context *ctx, duk_idx_t re, double v)
{
    if (eider_duk_set_last_index(ctx, re, v))
        return;
    duk_push_number(ctx, v);
    duk_put_prop_literal(ctx, re, "lastIndex");
}

/* RegExpBuiltinExec's lastIndex steps around one match of the regexp at
 * RE. Returns 1 with the match in rc->md, or 0. */
int eider_re_builtin_exec(duk_context *ctx, duk_idx_t re, struct re_code *rc)
{
    int keep = rc->flags & (EIDER_RE_G | EIDER_RE_Y);
    double li = keep ? last_index(ctx, re) : 0;

    if (li > (double)S.u.n || !eider_re_match_at(ctx, rc, (size_t)li)) {
        if (keep)
            eider_re_set_last_index(ctx, re, 0);
        return 0;
    }
    if (keep)
        eider_re_set_last_index(ctx, re, (double)pcre2_get_ovector_pointer_16(rc->md)[1]);
    return 1;
}

/* Pushes the groups object of the match in rc->md, or undefined. */
void eider_re_push_groups(duk_context *ctx, const struct re_code *rc)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer_16(rc->md);

    if (rc->names == NULL) {
        duk_push_undefined(ctx);
        return;
    }
    duk_push_object(ctx);
    for (uint32_t g = 1; g <= rc->ngroups; g++) {
        if (rc->names[g] == NULL)
            continue;
        if (ov[2 * g] == PCRE2_UNSET)
            duk_push_undefined(ctx);
        else
            eider_re_push_sub(ctx, ov[2 * g], ov[2 * g + 1]);
        duk_put_prop_string(ctx, -2, rc->names[g]);
    }
}

/* Pushes the match array of the match in rc->md (ES shape: the groups,
 * index, input, groups, and indices with the d flag). SUBJ: the string. */
void eider_re_push_match(duk_context *ctx, const struct re_code *rc, duk_idx_t subj)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer_16(rc->md);

    /* Sized at once: grown an element and a name at a time, the tables
     * were most of the cost of a match array (route: ~6k instructions). */
    eider_duk_push_array_sized(ctx, rc->ngroups + 1, rc->flags & EIDER_RE_D ? 4 : 3);
    for (uint32_t g = 0; g <= rc->ngroups; g++) {
        if (ov[2 * g] == PCRE2_UNSET)
            duk_push_undefined(ctx);
        else
            eider_re_push_sub(ctx, ov[2 * g], ov[2 * g + 1]);
        duk_put_prop_index(ctx, -2, g);
    }
    duk_push_number(ctx, (double)ov[0]);
    duk_put_prop_literal(ctx, -2, "index");
    duk_dup(ctx, subj);
    duk_put_prop_literal(ctx, -2, "input");
    eider_re_push_groups(ctx, rc);
    duk_put_prop_literal(ctx, -2, "groups");
    if (rc->flags & EIDER_RE_D) {
        duk_push_array(ctx);
        for (uint32_t g = 0; g <= rc->ngroups; g++) {
            if (ov[2 * g] == PCRE2_UNSET) {
                duk_push_undefined(ctx);
            } else {
                duk_push_array(ctx);
                duk_push_number(ctx, (double)ov[2 * g]);
                duk_put_prop_index(ctx, -2, 0);
                duk_push_number(ctx, (double)ov[2 * g + 1]);
                duk_put_prop_index(ctx, -2, 1);
            }
            duk_put_prop_index(ctx, -2, g);
        }
        duk_put_prop_literal(ctx, -2, "indices");
    }
}

