/*
 * ECMAScript pattern syntax to PCRE2's, and the compile (regexp.h).
 *
 * PCRE2's own ECMAScript options (PCRE2_ALT_BSUX, PCRE2_EXTRA_ALT_BSUX)
 * cover \u and \x only; the rest differs too (\s's set, `.` and $ versus
 * line terminators, \A or \Q meaning something, [[:alpha:]] a POSIX class,
 * a{,3} a quantifier in 10.43), so the translation writes every escape out
 * itself and leaves PCRE2 no syntax of its own to interpret. Options then:
 * DOTALL (a JavaScript `.` is written as a class; only the s flag's stays
 * `.`), DOLLAR_ENDONLY (a plain $ is the end of input), ALLOW_EMPTY_CLASS
 * ([] and [^]), MATCH_UNSET_BACKREF (a reference to a group that did not
 * take part matches empty), UTF and MATCH_INVALID_UTF for the u flag (lone
 * surrogates in the subject), CASELESS and UCP for i (case folding beyond
 * ASCII; \d \w \b are written as ASCII classes so UCP does not widen them).
 */
#include "regexp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void eider_u16_put(struct eider_u16 *b, uint16_t c)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->p = eider_realloc(b->p, b->cap * sizeof(*b->p));
    }
    b->p[b->n++] = c;
}

void eider_u16_free(struct eider_u16 *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

int eider_u16_decode(const char *s, size_t len, struct eider_u16 *out, uint32_t **boff, size_t *boffcap)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    int ascii = 1;

    out->n = 0;
    if (out->cap < len + 1) {
        out->cap = len + 1;
        out->p = eider_realloc(out->p, out->cap * sizeof(*out->p));
    }
    if (boff != NULL && *boffcap < len + 2) {
        *boffcap = len + 2;
        *boff = eider_realloc(*boff, *boffcap * sizeof(**boff));
    }
    /* The ASCII run first, 8 bytes at a time while none has its high bit
     * set: most subjects are ASCII throughout. */
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, sizeof(w));
        if (w & 0x8080808080808080ull)
            break;
        for (int k = 0; k < 8; k++) {
            if (boff != NULL)
                (*boff)[out->n] = (uint32_t)(p - (const unsigned char *)s);
            out->p[out->n++] = *p++;
        }
    }
    while (p < end) {
        uint32_t cp = *p, off = (uint32_t)(p - (const unsigned char *)s);
        int more = cp < 0x80 ? 0 : cp < 0xe0 ? 1 : cp < 0xf0 ? 2 : cp < 0xf8 ? 3 : 4;
        if (more > 0)
            ascii = 0;
        cp &= more == 0 ? 0x7f : more == 1 ? 0x1f : more == 2 ? 0x0f : more == 3 ? 0x07 : 0x03;
        p++;
        for (int k = 0; k < more && p < end; k++)
            cp = (cp << 6) | (*p++ & 0x3f);
        if (boff != NULL)
            (*boff)[out->n] = off;
        if (cp >= 0x10000) {
            if (cp > 0x10ffff)
                cp = 0xfffd;
            else {
                cp -= 0x10000;
                out->p[out->n++] = (uint16_t)(0xd800 + (cp >> 10));
                if (boff != NULL)
                    (*boff)[out->n] = off | EIDER_RE_MIDCHAR;
                cp = 0xdc00 + (cp & 0x3ff);
            }
        }
        out->p[out->n++] = (uint16_t)cp;
    }
    if (boff != NULL)
        (*boff)[out->n] = (uint32_t)len;
    return ascii;
}

void eider_u16_encode(const uint16_t *u, size_t from, size_t to, char **out, size_t *len, size_t *cap)
{
    if (*cap < *len + (to - from) * 3 + 1) {
        *cap = (*len + (to - from) * 3 + 1) * 2;
        *out = eider_realloc(*out, *cap);
    }
    unsigned char *o = (unsigned char *)*out + *len;
    for (size_t i = from; i < to; i++) {
        uint32_t c = u[i];
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < to && u[i + 1] >= 0xdc00 && u[i + 1] < 0xe000) {
            c = 0x10000 + ((c - 0xd800) << 10) + (u[++i] - 0xdc00);
            *o++ = (unsigned char)(0xf0 | (c >> 18));
            *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
            *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
            *o++ = (unsigned char)(0x80 | (c & 0x3f));
        } else if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xc0 | (c >> 6));
            *o++ = (unsigned char)(0x80 | (c & 0x3f));
        } else {
            *o++ = (unsigned char)(0xe0 | (c >> 12));
            *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
            *o++ = (unsigned char)(0x80 | (c & 0x3f));
        }
    }
    *len = (size_t)(o - (unsigned char *)*out);
}

int eider_re_flags(const char *flags, size_t n, unsigned *bits, char *err, size_t errlen)
{
    static const char letters[] = "gimsuyd";

    *bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *at = memchr(letters, flags[i], sizeof(letters) - 1);
        unsigned bit = at != NULL && flags[i] != '\0' ? 1u << (at - letters) : 0;
        if (bit == 0 || (*bits & bit)) {
            snprintf(err, errlen, "Invalid flags supplied to RegExp constructor '%.*s'%s", (int)n, flags,
                     flags[i] == 'v' ? " (the v flag is not supported)" : "");
            return -1;
        }
        *bits |= bit;
    }
    return 0;
}

/* --- the character sets ECMAScript names, as ranges --- */

struct range {
    uint32_t lo, hi;
};

static const struct range digit_set[] = { { 0x30, 0x39 } };
static const struct range word_set[] = { { 0x30, 0x39 }, { 0x41, 0x5a }, { 0x5f, 0x5f }, { 0x61, 0x7a } };
static const struct range space_set[] = {
    { 0x09, 0x0d }, { 0x20, 0x20 }, { 0xa0, 0xa0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200a },
    { 0x2028, 0x2029 }, { 0x202f, 0x202f }, { 0x205f, 0x205f }, { 0x3000, 0x3000 }, { 0xfeff, 0xfeff },
};

struct set {
    char letter;                /* the escape's lower-case letter */
    const struct range *r;
    size_t n;
};

static const struct set class_escapes[] = {
    { 'd', digit_set, sizeof(digit_set) / sizeof(digit_set[0]) },
    { 'w', word_set, sizeof(word_set) / sizeof(word_set[0]) },
    { 's', space_set, sizeof(space_set) / sizeof(space_set[0]) },
};

/* The translation's state. */
struct tr {
    const uint16_t *pat;
    size_t n, i;
    unsigned flags;
    uint32_t max;               /* largest code point: 0xffff, or 0x10ffff with u */
    unsigned ngroups;
    int named;                  /* the pattern has a named group */
    struct eider_u16 *out;
    char *err;
    size_t errlen;
};

static void put_ascii(struct tr *t, const char *s)
{
    while (*s)
        eider_u16_put(t->out, (uint16_t)*s++);
}

static void put_cp(struct tr *t, uint32_t cp)
{
    char buf[16];
    snprintf(buf, sizeof(buf), "\\x{%x}", (unsigned)cp);
    put_ascii(t, buf);
}

/* Writes the ranges of SET, or of its complement, without brackets. */
static void put_ranges(struct tr *t, const struct set *set, int negate)
{
    uint32_t next = 0;

    for (size_t k = 0; k < set->n; k++) {
        uint32_t lo = negate ? next : set->r[k].lo, hi = negate ? set->r[k].lo - 1 : set->r[k].hi;
        if (!negate || set->r[k].lo > next) {
            put_cp(t, lo);
            if (hi > lo) {
                eider_u16_put(t->out, '-');
                put_cp(t, hi);
            }
        }
        next = set->r[k].hi + 1;
    }
    if (negate && next <= t->max) {
        put_cp(t, next);
        eider_u16_put(t->out, '-');
        put_cp(t, t->max);
    }
}

static const struct set *class_escape(uint16_t c)
{
    for (size_t k = 0; k < sizeof(class_escapes) / sizeof(class_escapes[0]); k++)
        if (c == (uint16_t)class_escapes[k].letter || c == (uint16_t)(class_escapes[k].letter - 32))
            return &class_escapes[k];
    return NULL;
}

static int fail(struct tr *t, const char *msg)
{
    snprintf(t->err, t->errlen, "%s", msg);
    return -1;
}

static int hexval(uint16_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Reads N hex digits at t->i; returns the value or -1 (nothing consumed). */
static long hex_digits(struct tr *t, int n)
{
    long v = 0;
    if (t->i + (size_t)n > t->n)
        return -1;
    for (int k = 0; k < n; k++) {
        int h = hexval(t->pat[t->i + (size_t)k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    t->i += (size_t)n;
    return v;
}

/* \u after the backslash and the u: the code point, or -1 if it is no
 * escape (without the u flag then a plain 'u'). */
static long unicode_escape(struct tr *t)
{
    long v;
    if ((t->flags & EIDER_RE_U) && t->i < t->n && t->pat[t->i] == '{') {
        size_t save = t->i++;
        v = 0;
        while (t->i < t->n && hexval(t->pat[t->i]) >= 0 && v <= 0x10ffff)
            v = v * 16 + hexval(t->pat[t->i++]);
        if (t->i < t->n && t->pat[t->i] == '}' && t->i > save + 1 && v <= 0x10ffff) {
            t->i++;
            return v;
        }
        t->i = save;
        return -1;
    }
    if ((v = hex_digits(t, 4)) < 0)
        return -1;
    /* With u, \uD83D\uDE00 is one code point. */
    if ((t->flags & EIDER_RE_U) && v >= 0xd800 && v < 0xdc00 && t->i + 6 <= t->n
        && t->pat[t->i] == '\\' && t->pat[t->i + 1] == 'u') {
        size_t save = t->i;
        long lo;
        t->i += 2;
        if ((lo = hex_digits(t, 4)) >= 0xdc00 && lo < 0xe000)
            return 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
        t->i = save;
    }
    return v;
}

/* Writes one literal code point; a lone surrogate with u cannot be said
 * to PCRE2's UTF mode. */
static int put_literal(struct tr *t, uint32_t cp)
{
    if ((t->flags & EIDER_RE_U) && cp >= 0xd800 && cp < 0xe000)
        return fail(t, "a lone surrogate in a pattern with the u flag is not supported");
    put_cp(t, cp);
    return 0;
}

/* A group name at t->i (after '<'), up to '>'; PCRE2 takes ASCII names of
 * up to 32 characters. Writes it; returns 0 or -1. */
static int group_name(struct tr *t)
{
    size_t start = t->i;
    while (t->i < t->n && t->pat[t->i] != '>') {
        uint16_t c = t->pat[t->i];
        int ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && t->i > start);
        if (!ok)
            return fail(t, c == '$' || c > 0x7f
                        ? "group names other than ASCII letters, digits and _ are not supported"
                        : "Invalid capture group name");
        eider_u16_put(t->out, c);
        t->i++;
    }
    if (t->i == start || t->i >= t->n || t->i - start > 32)
        return fail(t, t->i - start > 32 ? "group names longer than 32 characters are not supported"
                    : "Invalid capture group name");
    eider_u16_put(t->out, '>');
    t->i++;
    return 0;
}

/* ECMAScript's long General_Category names, which PCRE2 10.42 knows
 * only by their short form. */
static const struct {
    const char *name, *pcre;
} categories[] = {
    { "Cased_Letter", "LC" }, { "Close_Punctuation", "Pe" }, { "Connector_Punctuation", "Pc" },
    { "Control", "Cc" }, { "Currency_Symbol", "Sc" }, { "Dash_Punctuation", "Pd" },
    { "Decimal_Number", "Nd" }, { "Enclosing_Mark", "Me" }, { "Final_Punctuation", "Pf" },
    { "Format", "Cf" }, { "Initial_Punctuation", "Pi" }, { "Letter", "L" }, { "Letter_Number", "Nl" },
    { "Line_Separator", "Zl" }, { "Lowercase_Letter", "Ll" }, { "Mark", "M" }, { "Combining_Mark", "M" },
    { "Math_Symbol", "Sm" }, { "Modifier_Letter", "Lm" }, { "Modifier_Symbol", "Sk" },
    { "Nonspacing_Mark", "Mn" }, { "Number", "N" }, { "Open_Punctuation", "Ps" }, { "Other", "C" },
    { "Other_Letter", "Lo" }, { "Other_Number", "No" }, { "Other_Punctuation", "Po" },
    { "Other_Symbol", "So" }, { "Paragraph_Separator", "Zp" }, { "Private_Use", "Co" },
    { "Punctuation", "P" }, { "Separator", "Z" }, { "Space_Separator", "Zs" }, { "Spacing_Mark", "Mc" },
    { "Surrogate", "Cs" }, { "Symbol", "S" }, { "Titlecase_Letter", "Lt" }, { "Unassigned", "Cn" },
    { "Uppercase_Letter", "Lu" }, { "digit", "Nd" }, { "punct", "P" }, { "cntrl", "Cc" },
};

/* \p{...} or \P{...} with the u flag, t->i at the '{'. PCRE2 reads
 * Script=, sc=, scx= and the binary properties itself. */
static int property(struct tr *t, uint16_t c)
{
    char name[64];
    size_t k = 0, start;
    const char *out;

    if (t->i >= t->n || t->pat[t->i] != '{')
        return fail(t, "Invalid property name");
    start = ++t->i;
    while (t->i < t->n && t->pat[t->i] != '}') {
        if (t->pat[t->i] > 0x7e || k + 1 >= sizeof(name))
            return fail(t, "Invalid property name");
        name[k++] = (char)t->pat[t->i++];
    }
    if (t->i >= t->n || t->i == start)
        return fail(t, "Invalid property name");
    t->i++;
    name[k] = '\0';
    out = name;
    if (strncmp(out, "General_Category=", 17) == 0)
        out += 17;
    else if (strncmp(out, "gc=", 3) == 0)
        out += 3;
    if (strcmp(out, "Assigned") == 0) {
        out = "Cn";
        c = c == 'p' ? 'P' : 'p';
    }
    for (size_t j = 0; j < sizeof(categories) / sizeof(categories[0]); j++)
        if (strcmp(out, categories[j].name) == 0)
            out = categories[j].pcre;
    eider_u16_put(t->out, '\\');
    eider_u16_put(t->out, c);
    eider_u16_put(t->out, '{');
    put_ascii(t, out);
    eider_u16_put(t->out, '}');
    return 0;
}

/* An escape, t->i just past the backslash. IN_CLASS: inside [...]. */
static int escape(struct tr *t, int in_class)
{
    uint16_t c;
    const struct set *set;
    long v;

    if (t->i >= t->n)
        return fail(t, "\\ at end of pattern");
    c = t->pat[t->i++];
    if ((set = class_escape(c)) != NULL) {
        int negate = c < 'a';
        /* \b \w with UCP would be Unicode: written as ASCII ranges. */
        if (in_class) {
            put_ranges(t, set, negate);
        } else {
            put_ascii(t, negate ? "[^" : "[");
            put_ranges(t, set, 0);
            eider_u16_put(t->out, ']');
        }
        return 0;
    }
    switch (c) {
    case 'b':
    case 'B':
        if (in_class) {
            put_cp(t, c == 'b' ? 8 : 'B');
            if (c == 'B' && (t->flags & EIDER_RE_U))
                return fail(t, "Invalid class escape");
        } else if (t->flags & EIDER_RE_I) {
            static const char *W = "[0-9A-Za-z_]";
            char buf[160];
            snprintf(buf, sizeof(buf), c == 'b' ? "(?:(?<=%s)(?!%s)|(?<!%s)(?=%s))" : "(?:(?<=%s)(?=%s)|(?<!%s)(?!%s))",
                     W, W, W, W);
            put_ascii(t, buf);
        } else {
            put_ascii(t, c == 'b' ? "\\b" : "\\B");
        }
        return 0;
    case 'f': put_cp(t, 0x0c); return 0;
    case 'n': put_cp(t, 0x0a); return 0;
    case 'r': put_cp(t, 0x0d); return 0;
    case 't': put_cp(t, 0x09); return 0;
    case 'v': put_cp(t, 0x0b); return 0;
    case 'c':
        if (t->i < t->n && (((t->pat[t->i] | 0x20) >= 'a' && (t->pat[t->i] | 0x20) <= 'z')
                            || (in_class && !(t->flags & EIDER_RE_U)
                                && ((t->pat[t->i] >= '0' && t->pat[t->i] <= '9') || t->pat[t->i] == '_')))) {
            put_cp(t, t->pat[t->i++] % 32);
            return 0;
        }
        if (t->flags & EIDER_RE_U)
            return fail(t, "Invalid unicode escape");
        /* Annex B: a backslash, then the c read as itself. */
        put_cp(t, '\\');
        t->i--;
        return 0;
    case 'x':
        if ((v = hex_digits(t, 2)) >= 0)
            return put_literal(t, (uint32_t)v);
        if (t->flags & EIDER_RE_U)
            return fail(t, "Invalid escape");
        put_cp(t, 'x');
        return 0;
    case 'u':
        if ((v = unicode_escape(t)) >= 0)
            return put_literal(t, (uint32_t)v);
        if (t->flags & EIDER_RE_U)
            return fail(t, "Invalid Unicode escape");
        put_cp(t, 'u');
        return 0;
    case 'k':
        if (!in_class && ((t->flags & EIDER_RE_U) || t->named)) {
            if (t->i >= t->n || t->pat[t->i] != '<')
                return fail(t, "Invalid named reference");
            t->i++;
            put_ascii(t, "\\k<");
            return group_name(t);
        }
        put_cp(t, 'k');
        return 0;
    case 'p':
    case 'P':
        if (t->flags & EIDER_RE_U)
            return property(t, c);
        put_cp(t, c);
        return 0;
    case '0':
        if (t->i >= t->n || t->pat[t->i] < '0' || t->pat[t->i] > '9') {
            put_cp(t, 0);
            return 0;
        }
        /* fall through: a legacy octal escape */
    default:
        break;
    }
    if (c >= '0' && c <= '9') {
        size_t start = t->i - 1;
        unsigned long num = c - '0';
        while (t->i < t->n && t->pat[t->i] >= '0' && t->pat[t->i] <= '9' && num < 100000)
            num = num * 10 + (t->pat[t->i++] - '0');
        if (!in_class && c != '0' && num <= t->ngroups) {
            char buf[24];
            snprintf(buf, sizeof(buf), "\\g{%lu}", num);
            put_ascii(t, buf);
            return 0;
        }
        if (t->flags & EIDER_RE_U)
            return fail(t, in_class ? "Invalid class escape" : "Invalid escape");
        /* Annex B: up to three octal digits (at most \377), else the digit. */
        t->i = start;
        if (c >= '8') {
            t->i++;
            put_cp(t, c);
            return 0;
        }
        num = 0;
        for (int k = 0; k < 3 && t->i < t->n && t->pat[t->i] >= '0' && t->pat[t->i] <= '7'
             && num * 8 + (t->pat[t->i] - '0') <= 0377; k++)
            num = num * 8 + (t->pat[t->i++] - '0');
        put_cp(t, (uint32_t)num);
        return 0;
    }
    if ((t->flags & EIDER_RE_U) && !strchr("^$\\.*+?()[]{}|/", c) && !(in_class && c == '-'))
        return fail(t, "Invalid escape");
    /* An identity escape: the character itself, whatever PCRE2 would make
     * of \A, \Q, \h, \R, \X, \K, \G, \z, \e, \a... */
    return put_literal(t, c);
}

/* Is there a quantifier {n}, {n,} or {n,m} at AT (its '{')? Returns its
 * length, or 0. */
static size_t braced_quantifier(const struct tr *t, size_t at)
{
    size_t k = at + 1, digits = 0;

    while (k < t->n && t->pat[k] >= '0' && t->pat[k] <= '9')
        k++, digits++;
    if (digits == 0)
        return 0;
    if (k < t->n && t->pat[k] == ',') {
        k++;
        while (k < t->n && t->pat[k] >= '0' && t->pat[k] <= '9')
            k++;
    }
    return k < t->n && t->pat[k] == '}' ? k + 1 - at : 0;
}

/* Counts capturing groups and notices names (for \1 and \k<...>). */
static void count_groups(struct tr *t)
{
    int in_class = 0;
    for (size_t i = 0; i < t->n; i++) {
        uint16_t c = t->pat[i];
        if (c == '\\')
            i++;
        else if (in_class)
            in_class = c != ']';
        else if (c == '[')
            in_class = 1;
        else if (c == '(' && (i + 1 >= t->n || t->pat[i + 1] != '?'))
            t->ngroups++;
        else if (c == '(' && i + 3 < t->n && t->pat[i + 2] == '<' && t->pat[i + 3] != '=' && t->pat[i + 3] != '!') {
            t->ngroups++;
            t->named = 1;
        }
    }
}

/* A class, t->i just past '['. */
static int char_class(struct tr *t)
{
    eider_u16_put(t->out, '[');
    if (t->i < t->n && t->pat[t->i] == '^') {
        eider_u16_put(t->out, '^');
        t->i++;
    }
    while (t->i < t->n && t->pat[t->i] != ']') {
        uint16_t c = t->pat[t->i++];
        if (c == '\\') {
            if (escape(t, 1) < 0)
                return -1;
        } else if (c == '-') {
            eider_u16_put(t->out, '-');
        } else if (c >= 0xd800 && c < 0xdc00 && (t->flags & EIDER_RE_U) && t->i < t->n
                   && t->pat[t->i] >= 0xdc00 && t->pat[t->i] < 0xe000) {
            put_cp(t, 0x10000 + (((uint32_t)c - 0xd800) << 10) + (t->pat[t->i++] - 0xdc00));
        } else if (put_literal(t, c) < 0) {
            return -1;
        }
    }
    if (t->i >= t->n)
        return fail(t, "Unterminated character class");
    t->i++;
    eider_u16_put(t->out, ']');
    return 0;
}

/* Translates t->pat into t->out. Returns 0 or -1 (t->err). */
static int translate(struct tr *t)
{
    static const char LT[] = "\\x{a}\\x{d}\\x{2028}\\x{2029}";
    char buf[96];
    int after_quant = 0;        /* just wrote a quantifier (and maybe its ?) */

    count_groups(t);
    while (t->i < t->n) {
        uint16_t c = t->pat[t->i++];
        int quant = 0;
        size_t q;
        switch (c) {
        case '\\':
            if (escape(t, 0) < 0)
                return -1;
            break;
        case '[':
            if (char_class(t) < 0)
                return -1;
            break;
        case '.':
            if (t->flags & EIDER_RE_S) {
                eider_u16_put(t->out, '.');
            } else {
                snprintf(buf, sizeof(buf), "[^%s]", LT);
                put_ascii(t, buf);
            }
            break;
        case '^':
        case '$':
            if (t->flags & EIDER_RE_M) {
                snprintf(buf, sizeof(buf), c == '^' ? "(?<![^%s])" : "(?![^%s])", LT);
                put_ascii(t, buf);
            } else {
                eider_u16_put(t->out, c);
            }
            break;
        case '(':
            eider_u16_put(t->out, '(');
            if (t->i < t->n && t->pat[t->i] == '?') {
                uint16_t a = t->i + 1 < t->n ? t->pat[t->i + 1] : 0, b = t->i + 2 < t->n ? t->pat[t->i + 2] : 0;
                if (a == ':' || a == '=' || a == '!') {
                    put_ascii(t, a == ':' ? "?:" : a == '=' ? "?=" : "?!");
                    t->i += 2;
                } else if (a == '<' && (b == '=' || b == '!')) {
                    put_ascii(t, b == '=' ? "?<=" : "?<!");
                    t->i += 3;
                } else if (a == '<') {
                    put_ascii(t, "?<");
                    t->i += 2;
                    if (group_name(t) < 0)
                        return -1;
                } else {
                    return fail(t, "Invalid group");
                }
            }
            break;
        case '*':
        case '+':
        case '?':
            if (after_quant)
                return fail(t, "Nothing to repeat");
            eider_u16_put(t->out, c);
            quant = 1;
            break;
        case '{':
            if ((q = braced_quantifier(t, t->i - 1)) > 0) {
                if (after_quant)
                    return fail(t, "Nothing to repeat");
                for (size_t k = 0; k < q; k++)
                    eider_u16_put(t->out, t->pat[t->i - 1 + k]);
                t->i += q - 1;
                quant = 1;
                break;
            }
            if (t->flags & EIDER_RE_U)
                return fail(t, "Lone quantifier brackets");
            put_cp(t, '{');
            break;
        case '}':
        case ']':
            if (t->flags & EIDER_RE_U)
                return fail(t, "Lone quantifier brackets");
            put_cp(t, c);
            break;
        default:
            eider_u16_put(t->out, c);
            break;
        }
        if (quant && t->i < t->n && t->pat[t->i] == '?') {
            eider_u16_put(t->out, '?');
            t->i++;
        }
        after_quant = quant;
    }
    return 0;
}

/* PCRE2's message for error CODE, as UTF-8, into BUF (CAP bytes, always
 * terminated when CAP > 0). */
void eider_re_error_text(int code, char *buf, size_t cap)
{
    PCRE2_UCHAR16 msg[256];
    char *u8 = NULL;
    size_t len = 0, u8cap = 0;
    int n = pcre2_get_error_message_16(code, msg, sizeof(msg) / sizeof(msg[0]));

    eider_u16_encode(msg, 0, n > 0 ? (size_t)n : 0, &u8, &len, &u8cap);
    snprintf(buf, cap, "%.*s", (int)len, u8 ? u8 : "");
    free(u8);
}

/* The JIT stack, the match context and the limits are the process's
 * (js_regexp.c); compiling needs only a compile context. */
pcre2_code_16 *eider_re_compile(const uint16_t *pat, size_t n, unsigned flags, char *err, size_t errlen)
{
    struct eider_u16 out = { 0 };
    struct tr t = { pat, n, 0, flags, flags & EIDER_RE_U ? 0x10ffff : 0xffff, 0, 0, &out, err, errlen };
    uint32_t opts = PCRE2_DOTALL | PCRE2_DOLLAR_ENDONLY | PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_UNSET_BACKREF
        | PCRE2_NO_UTF_CHECK;
    pcre2_code_16 *code;
    int errcode;
    PCRE2_SIZE erroff;

    if (translate(&t) < 0) {
        eider_u16_free(&out);
        return NULL;
    }
    if (flags & EIDER_RE_U)
        opts = (opts & ~PCRE2_NO_UTF_CHECK) | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (flags & EIDER_RE_I)
        opts |= PCRE2_CASELESS | PCRE2_UCP;
    if (flags & EIDER_RE_Y)
        opts |= PCRE2_ANCHORED;
    eider_u16_put(&out, 0);
    code = pcre2_compile_16(out.p, out.n - 1, opts, &errcode, &erroff, NULL);
    eider_u16_free(&out);
    if (code == NULL) {
        eider_re_error_text(errcode, err, errlen);
        return NULL;
    }
    pcre2_jit_compile_16(code, PCRE2_JIT_COMPLETE);   /* else interpreted */
    return code;
}

int eider_re_check(const char *body, size_t blen, const char *flags, char *err, size_t errlen)
{
    struct eider_u16 pat = { 0 };
    unsigned bits;
    pcre2_code_16 *code;

    if (eider_re_flags(flags, strlen(flags), &bits, err, errlen) < 0)
        return -1;
    eider_u16_decode(body, blen, &pat, NULL, NULL);
    code = eider_re_compile(pat.p, pat.n, bits, err, errlen);
    eider_u16_free(&pat);
    if (code == NULL)
        return -1;
    pcre2_code_free_16(code);
    return 0;
}
