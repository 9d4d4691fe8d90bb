/*
 * The String methods that take a regexp, on PCRE2 (js_regexp.h): match
 * with the g flag, search, replace (a replacement string with its $
 * patterns, or a function) and split. Each builds its result in C: a
 * replace of 1 KB with a hundred matches is one call into JavaScript's
 * heap, not a hundred.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "js_regexp.h"

#define S eider_re_state

/* An array gathered on the value stack: its elements pushed there from
 * index BASE and made the array at once (eider_duk_pack), where a put per
 * element grows it one at a time. Past GATHER_MAX the ones so far become
 * the array at BASE and later ones are put into it, a GATHER_MAX at a
 * time, so that no result is bounded by the value stack's limit. */
#define GATHER_MAX 1000
struct gather {
    duk_idx_t base;
    int n;                      /* on the stack, above the array if any */
    duk_uarridx_t packed;       /* already in the array */
    int has_array;
};

/* Moves the elements on the stack into the array (made by the first). */
static void gather_flush(duk_context *ctx, struct gather *g)
{
    if (!g->has_array) {
        eider_duk_pack(ctx, g->n);
        g->has_array = 1;
    } else {
        for (int i = 0; i < g->n; i++) {
            duk_dup(ctx, g->base + 1 + i);
            duk_put_prop_index(ctx, g->base, g->packed + (duk_uarridx_t)i);
        }
        duk_set_top(ctx, g->base + 1);
    }
    g->packed += (duk_uarridx_t)g->n;
    g->n = 0;
}

/* Counts the value just pushed as the next element. */
static void gather_add(duk_context *ctx, struct gather *g)
{
    if (++g->n >= GATHER_MAX)
        gather_flush(ctx, g);
}

/* The array on top, at BASE. */
static void gather_end(duk_context *ctx, struct gather *g)
{
    if (g->n > 0 || !g->has_array)
        gather_flush(ctx, g);
}

/* Pushes units [s, e) of the subject, or undefined for PCRE2_UNSET, as
 * the next element of G. */
static void gather_piece(duk_context *ctx, struct gather *g, size_t s, size_t e)
{
    duk_require_stack(ctx, 1);
    if (s == PCRE2_UNSET)
        duk_push_undefined(ctx);
    else
        eider_re_push_sub(ctx, s, e);
    gather_add(ctx, g);
}

/* match(re, code, string) with the g flag -> the matched strings or null. */
duk_ret_t eider_re_match_global(duk_context *ctx)
{
    struct re_code *rc = eider_re_code_of(ctx, 1);
    struct gather g = { 3, 0, 0, 0 };
    size_t at = 0;

    duk_set_top(ctx, 3);
    eider_re_subject(ctx, 2);
    while (eider_re_match_at(ctx, rc, at)) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer_16(rc->md);
        size_t s = ov[0], e = ov[1];
        gather_piece(ctx, &g, s, e);
        at = e == s ? eider_re_advance(rc, e) : e;
    }
    eider_re_set_last_index(ctx, 0, 0);
    if (g.n == 0 && !g.has_array)
        duk_push_null(ctx);
    else
        gather_end(ctx, &g);
    return 1;
}

/* search(code, string) -> the index of the first match, or -1. */
duk_ret_t eider_re_search(duk_context *ctx)
{
    struct re_code *rc = eider_re_code_of(ctx, 0);

    eider_re_subject(ctx, 1);
    duk_push_number(ctx, eider_re_match_at(ctx, rc, 0)
                    ? (double)pcre2_get_ovector_pointer_16(rc->md)[0] : -1);
    return 1;
}

/* Appends GetSubstitution(REPL) for the match in rc->md; REPL is a
 * UTF-16 copy of the replacement string whose bytes are RB/RBLEN. */
static void substitute(const struct re_code *rc, const uint16_t *r, size_t rn, duk_context *ctx)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer_16(rc->md);
    size_t lit = 0;

    for (size_t i = 0; i < rn; i++) {
        size_t g, used = 0;
        if (r[i] != '$' || i + 1 >= rn)
            continue;
        uint16_t c = r[i + 1];
        if (c == '$' || c == '&' || c == '`' || c == '\'') {
            eider_u16_encode(r, lit, i, &S.scratch, &S.slen, &S.scap);
            if (c == '$')
                eider_re_append_bytes("$", 1);
            else if (c == '&')
                eider_re_append_sub(ov[0], ov[1]);
            else if (c == '`')
                eider_re_append_sub(0, ov[0]);
            else
                eider_re_append_sub(ov[1], S.u.n);
            lit = i + 2;
            i++;
            continue;
        }
        if (c >= '0' && c <= '9') {
            g = c - '0';
            used = 2;
            if (i + 2 < rn && r[i + 2] >= '0' && r[i + 2] <= '9' && g * 10 + (r[i + 2] - '0') <= rc->ngroups
                && g * 10 + (r[i + 2] - '0') > 0) {
                g = g * 10 + (r[i + 2] - '0');
                used = 3;
            }
            if (g == 0 || g > rc->ngroups)
                continue;
            eider_u16_encode(r, lit, i, &S.scratch, &S.slen, &S.scap);
            if (ov[2 * g] != PCRE2_UNSET)
                eider_re_append_sub(ov[2 * g], ov[2 * g + 1]);
            lit = i + used;
            i += used - 1;
        } else if (c == '<' && rc->names != NULL) {
            size_t close = i + 2;
            while (close < rn && r[close] != '>')
                close++;
            if (close >= rn)
                continue;
            eider_u16_encode(r, lit, i, &S.scratch, &S.slen, &S.scap);
            for (g = 1; g <= rc->ngroups; g++) {
                const char *nm = rc->names[g];
                size_t k = 0;
                if (nm == NULL)
                    continue;
                while (nm[k] != '\0' && i + 2 + k < close && r[i + 2 + k] == (uint16_t)nm[k])
                    k++;
                if (nm[k] == '\0' && i + 2 + k == close)
                    break;
            }
            if (g <= rc->ngroups && ov[2 * g] != PCRE2_UNSET)
                eider_re_append_sub(ov[2 * g], ov[2 * g + 1]);
            lit = close + 1;
            i = close;
        }
    }
    (void)ctx;
    eider_u16_encode(r, lit, rn, &S.scratch, &S.slen, &S.scap);
}

/* Calls the replacer function at FN for the match in rc->md and leaves
 * what it returns, a string, on top. */
static void call_replacer(duk_context *ctx, const struct re_code *rc, duk_idx_t fn, duk_idx_t subj)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer_16(rc->md);

    duk_dup(ctx, fn);
    duk_push_undefined(ctx);
    for (uint32_t g = 0; g <= rc->ngroups; g++) {
        if (ov[2 * g] == PCRE2_UNSET)
            duk_push_undefined(ctx);
        else
            eider_re_push_sub(ctx, ov[2 * g], ov[2 * g + 1]);
    }
    duk_push_number(ctx, (double)ov[0]);
    duk_dup(ctx, subj);
    if (rc->names != NULL)
        eider_re_push_groups(ctx, rc);
    duk_call_method(ctx, (duk_idx_t)rc->ngroups + 3 + (rc->names != NULL));
    duk_to_string(ctx, -1);
    /* The callback may have matched other strings: the subject again. */
    eider_re_subject(ctx, subj);
}

/* The result of a replace as it grows: in SMALL, on the C stack, while
 * it fits (nothing to free when a replacer throws or js_time_limit ends
 * the call), then in a dynamic buffer at value stack index OUT_IDX.
 * Pieces of the subject and a replacer's strings go straight in. */
#define OUT_IDX 4
struct out {
    duk_context *ctx;
    char *p;
    size_t n, cap;
    char small[512];
};

/* Makes room for MORE bytes. */
static void out_room(struct out *o, size_t more)
{
    size_t cap;

    if (o->n + more <= o->cap)
        return;
    cap = (o->n + more) * 2 + 64;
    if (o->p == o->small) {
        char *b = duk_push_dynamic_buffer(o->ctx, cap);
        memcpy(b, o->small, o->n);
        duk_replace(o->ctx, OUT_IDX);
        o->p = b;
    } else {
        o->p = duk_resize_buffer(o->ctx, OUT_IDX, cap);
    }
    o->cap = cap;
}

/* Appends the N bytes at P. */
static void out_bytes(struct out *o, const char *p, size_t n)
{
    out_room(o, n);
    if (n > 0)
        memcpy(o->p + o->n, p, n);
    o->n += n;
}

/* Appends units [s, e) of the subject: its own bytes where the unit
 * boundaries fall on Duktape's characters, else encoded in the scratch. */
static void out_sub(struct out *o, size_t s, size_t e)
{
    if (S.ascii) {
        out_bytes(o, S.bytes + s, e - s);
    } else if (!(S.boff[s] & EIDER_RE_MIDCHAR) && !(S.boff[e] & EIDER_RE_MIDCHAR)) {
        out_bytes(o, S.bytes + S.boff[s], S.boff[e] - S.boff[s]);
    } else {
        S.slen = 0;
        eider_re_append_sub(s, e);
        out_bytes(o, S.scratch, S.slen);
    }
}

/* replace(re, code, string, replacement) -> the new string; replacement
 * a function or a string. No match gives the string itself. */
duk_ret_t eider_re_replace(duk_context *ctx)
{
    struct re_code *rc = eider_re_code_of(ctx, 1);
    int global = rc->flags & EIDER_RE_G, is_fn = duk_is_function(ctx, 3);
    /* A replacement string takes no call into JavaScript, so its UTF-16
     * copy can be the process's. */
    static struct eider_u16 repl;
    size_t at, last = 0, rl = 0;
    const char *plain = NULL;       /* a replacement without $: its bytes */
    struct out o;

    duk_set_top(ctx, 4);
    if (!is_fn) {
        const char *rs = duk_to_lstring(ctx, 3, &rl);
        if (memchr(rs, '$', rl) == NULL)
            plain = rs;
        else
            eider_u16_decode(rs, rl, &repl, NULL, NULL);
    }
    duk_push_undefined(ctx);                            /* [re code str repl out] */
    eider_re_subject(ctx, 2);
    if (global)
        eider_re_set_last_index(ctx, 0, 0);
    if (global ? !eider_re_match_at(ctx, rc, 0) : !eider_re_builtin_exec(ctx, 0, rc)) {
        duk_dup(ctx, 2);
        return 1;
    }
    o.ctx = ctx;
    o.p = o.small;
    o.n = 0;
    o.cap = sizeof(o.small);
    do {
        PCRE2_SIZE s = pcre2_get_ovector_pointer_16(rc->md)[0];
        PCRE2_SIZE e = pcre2_get_ovector_pointer_16(rc->md)[1];
        if (is_fn) {
            size_t len;
            const char *r;
            call_replacer(ctx, rc, 3, 2);
            r = duk_get_lstring(ctx, -1, &len);
            out_sub(&o, last, s);
            out_bytes(&o, r, len);
            duk_pop(ctx);
        } else if (plain != NULL) {
            out_sub(&o, last, s);
            out_bytes(&o, plain, rl);
        } else {
            out_sub(&o, last, s);
            S.slen = 0;
            substitute(rc, repl.p, repl.n, ctx);
            out_bytes(&o, S.scratch, S.slen);
        }
        last = e;
        at = e == s ? eider_re_advance(rc, e) : e;
    } while (global && eider_re_match_at(ctx, rc, at));
    out_sub(&o, last, S.u.n);
    duk_push_lstring(ctx, o.p, o.n);
    return 1;
}

/* split(code, string, limit) -> the array (String.prototype.split with a
 * regexp separator: empty matches at the split point do not split). */
duk_ret_t eider_re_split(duk_context *ctx)
{
    struct re_code *rc = eider_re_code_of(ctx, 0);
    double lim = duk_is_undefined(ctx, 2) ? 4294967295.0 : (double)duk_to_uint32(ctx, 2);
    struct gather g = { 3, 0, 0, 0 };
    size_t p = 0, q = 0;

    duk_set_top(ctx, 3);
    eider_re_subject(ctx, 1);
    if (lim == 0)
        goto done;
    if (S.u.n == 0) {
        if (!eider_re_match_at(ctx, rc, 0)) {
            duk_dup(ctx, 1);
            gather_add(ctx, &g);
        }
        goto done;
    }
    while (q < S.u.n) {
        PCRE2_SIZE *ov;
        if (!eider_re_match_at(ctx, rc, q)) {
            if (!(rc->flags & EIDER_RE_Y))
                break;
            q = eider_re_advance(rc, q);     /* sticky: tried at q only */
            continue;
        }
        ov = pcre2_get_ovector_pointer_16(rc->md);
        if (ov[0] >= S.u.n)
            break;
        if (ov[1] == p) {           /* empty, where the last piece ended */
            q = eider_re_advance(rc, q);
            continue;
        }
        gather_piece(ctx, &g, p, ov[0]);
        if (g.packed + (duk_uarridx_t)g.n >= lim)
            goto done;
        for (uint32_t k = 1; k <= rc->ngroups; k++) {
            ov = pcre2_get_ovector_pointer_16(rc->md);
            gather_piece(ctx, &g, ov[2 * k], ov[2 * k + 1]);
            if (g.packed + (duk_uarridx_t)g.n >= lim)
                goto done;
        }
        ov = pcre2_get_ovector_pointer_16(rc->md);
        p = q = ov[1];
    }
    gather_piece(ctx, &g, p, S.u.n);
done:
    gather_end(ctx, &g);
    return 1;
}

/* split by a string: [sep limit str], SEP a non-empty string and no
 * limit (the common `s.split(',')`); 1 with the array pushed, 0 (nothing
 * pushed) for any other case, left to Duktape's split. Duktape compares
 * the separator's bytes at every position of the subject's; memmem finds
 * the same leftmost, non-overlapping matches (a match of whole UTF-8
 * sequences starts and ends on character boundaries) without Duktape's
 * per-byte loop and call. */
int eider_split_by_string(duk_context *ctx)
{
    const char *s, *sep, *hit;
    size_t slen, seplen;
    duk_uarridx_t n = 0;

    if (!duk_is_string(ctx, 0) || duk_is_symbol(ctx, 0) || !duk_is_undefined(ctx, 1))
        return 0;
    sep = duk_get_lstring(ctx, 0, &seplen);
    if (seplen == 0)
        return 0;
    s = duk_get_lstring(ctx, 2, &slen);     /* kept alive at index 2 */
    duk_push_array(ctx);
    while ((hit = memmem(s, slen, sep, seplen)) != NULL) {
        duk_push_lstring(ctx, s, (size_t)(hit - s));
        duk_put_prop_index(ctx, -2, n++);
        slen -= (size_t)(hit - s) + seplen;
        s = hit + seplen;
    }
    duk_push_lstring(ctx, s, slen);
    duk_put_prop_index(ctx, -2, n);
    return 1;
}
