/*
 * Unit tests for framework/url.c: eider_url_decode and eider_query_foreach.
 * Buffers are malloc'd at exactly the documented size (LEN + 1 for decode,
 * LEN + 2 for the query scratch) so valgrind sees any overrun.
 */
#include <stdlib.h>

#include "unit.h"
#include "url.h"

/* --- the decode table --- */

struct decode_case {
    const char *name;            /* the row's group; a row reports as NAME/N */
    const char *in;
    size_t len;                  /* bytes of IN to decode */
    int plus;                    /* + is a space */
    const char *out;
    size_t outlen;
};

/* IN decodes to OUT (string literals: their sizes are the lengths, so an
 * embedded NUL counts); DL decodes only the first LEN bytes of IN. */
#define D(name, in, plus, out) { (name), (in), sizeof(in) - 1, (plus), (out), sizeof(out) - 1 }
#define DL(name, in, len, plus, out) { (name), (in), (len), (plus), (out), sizeof(out) - 1 }

static const struct decode_case decodes[] = {
    D("decode_percent", "a%20b%2Fc", 0, "a b/c"),
    D("decode_plus", "a+b", 1, "a b"),
    D("decode_plus", "a+b", 0, "a+b"),
    D("decode_plus", "+++", 1, "   "),
    D("decode_plus", "%2B+", 1, "+ "),          /* an encoded + stays a + */
    D("decode_plus", "%2B+", 0, "++"),
    D("decode_malformed_kept", "%zz%4", 0, "%zz%4"),
    D("decode_plain_and_empty", "", 0, ""),
    D("decode_plain_and_empty", "", 1, ""),
    D("decode_plain_and_empty", "hello", 0, "hello"),
    D("decode_plain_and_empty", "/a/b", 0, "/a/b"),
    D("decode_lone_percent", "%", 0, "%"),
    D("decode_lone_percent", "%%", 0, "%%"),
    D("decode_lone_percent", "a%", 0, "a%"),
    D("decode_lone_percent", "%4", 0, "%4"),
    D("decode_lone_percent", "a%4", 0, "a%4"),
    D("decode_lone_percent", "%%41", 0, "%A"),  /* the first % is literal, then %41 */
    D("decode_lone_percent", "%4%41", 0, "%4A"),
    D("decode_bad_hex_kept", "%zz", 0, "%zz"),
    D("decode_bad_hex_kept", "%4g", 0, "%4g"),
    D("decode_bad_hex_kept", "%g4", 0, "%g4"),
    D("decode_bad_hex_kept", "% 1", 0, "% 1"),
    D("decode_bad_hex_kept", "%-1", 0, "%-1"),
    D("decode_bad_hex_kept", "%+1", 1, "% 1"),  /* + after a bad % still becomes space */
    D("decode_hex_cases", "%41%42%43", 0, "ABC"),
    D("decode_hex_cases", "%2f%2F", 0, "//"),
    D("decode_hex_cases", "%aA%Ff", 0, "\xaa\xff"),
    D("decode_hex_cases", "%7e", 0, "~"),
    D("decode_hex_cases", "%C3%A9", 0, "\xc3\xa9"),   /* UTF-8 bytes pass through */
    D("decode_hex_cases", "%25", 0, "%"),
    D("decode_hex_cases", "%2541", 0, "%41"),        /* decoded once, not twice */
    D("decode_nul_byte", "a%00b", 0, "a\0b"),
    D("decode_nul_byte", "%00", 0, "\0"),
    /* LEN bounds the input: an escape cut by LEN is kept literally and
     * nothing past LEN is read or written. */
    DL("decode_respects_len", "%41BC", 3, 0, "A"),
    DL("decode_respects_len", "%41", 2, 0, "%4"),
    DL("decode_respects_len", "%41", 1, 0, "%"),
    DL("decode_respects_len", "ab+cd", 3, 1, "ab "),
    DL("decode_respects_len", "xyz", 0, 0, ""),
};

/* Each row of decodes[] is a case NAME/N (N counts from 1 within NAME):
 * decodes into an exactly-sized buffer (LEN + 1: valgrind sees any
 * overrun) and compares the bytes, the length and the NUL after them. */
TEST(decode_table)
{
    char row[128];
    int n = 0;

    for (size_t t = 0; t < sizeof(decodes) / sizeof(decodes[0]); t++) {
        const struct decode_case *c = &decodes[t];
        char *out = malloc(c->len + 1);
        size_t got = eider_url_decode(c->in, c->len, out, c->plus);

        n = t > 0 && strcmp(c->name, decodes[t - 1].name) == 0 ? n + 1 : 1;
        CHECKF(got == c->outlen && memcmp(out, c->out, got) == 0 && out[got] == '\0',
               "decode(\"%.*s\", plus %d) gave %zu bytes \"%.*s\", expected %zu \"%.*s\"",
               (int)c->len, c->in, c->plus, got, (int)got, out, c->outlen, (int)c->outlen, c->out);
        free(out);
        snprintf(row, sizeof(row), "%s/%d", c->name, n);
        unit_report(row);
    }
}

TEST(decode_in_place)
{
    /* The output is never longer than the input, so decoding in place
     * (out == in) works. */
    char buf[] = "a%20b%2Bc+d";
    size_t n = eider_url_decode(buf, strlen(buf), buf, 1);
    CHECK_INT(n, 7);
    CHECK_STR(buf, "a b+c d");
}

/* --- query strings --- */

struct pairs {
    int n;
    char key[16][32];
    char val[16][32];
    size_t klen[16], vlen[16];
    int stop_after;             /* return -1 after this many; 0 = never */
};

static int collect(const char *k, size_t kl, const char *v, size_t vl, void *ud)
{
    struct pairs *p = ud;

    if (p->n < 16) {
        memcpy(p->key[p->n], k, kl < 31 ? kl : 31);
        p->key[p->n][kl < 31 ? kl : 31] = '\0';
        memcpy(p->val[p->n], v, vl < 31 ? vl : 31);
        p->val[p->n][vl < 31 ? vl : 31] = '\0';
        p->klen[p->n] = kl;
        p->vlen[p->n] = vl;
        /* Both are NUL-terminated at their length. */
        if (k[kl] != '\0' || v[vl] != '\0')
            p->klen[p->n] = (size_t)-1;
    }
    p->n++;
    if (p->stop_after && p->n >= p->stop_after)
        return -1;
    return 0;
}

/* Runs the query Q with an exactly-sized scratch buffer. */
static int query(const char *q, struct pairs *p)
{
    size_t len = strlen(q);
    char *scratch = malloc(len + 2);
    int rc;

    rc = eider_query_foreach(q, len, scratch, collect, p);
    free(scratch);
    return rc;
}

/* --- the query table --- */

struct pair_want {
    const char *key;
    size_t klen;
    const char *val;
    size_t vlen;
};

struct query_case {
    const char *name;
    const char *q;
    size_t len;                  /* bytes of Q to read; 0: strlen(Q) */
    int stop_after;              /* the callback stops after this many; 0: never */
    int rc;                      /* what eider_query_foreach returns */
    int n;                       /* callbacks made */
    struct pair_want pairs[4];   /* the first N, in order */
};

/* A key and value as string literals: their sizes are the lengths, so an
 * embedded NUL counts. */
#define P(k, v) { (k), sizeof(k) - 1, (v), sizeof(v) - 1 }

static const struct query_case queries[] = {
    { "query_simple_pairs", "a=1&b=2", 0, 0, 0, 2, { P("a", "1"), P("b", "2") } },
    { "query_empty_string", "", 0, 0, 0, 0, { P("", "") } },
    { "query_empty_pairs_skipped", "a=1&&b=2", 0, 0, 0, 2, { P("a", "1"), P("b", "2") } },
    { "query_empty_pairs_at_the_ends", "&&&a=1&&&", 0, 0, 0, 1, { P("a", "1") } },
    { "query_lone_ampersand", "&", 0, 0, 0, 0, { P("", "") } },
    { "query_no_equals", "flag&x=1&other", 0, 0, 0, 3,
      { P("flag", ""), P("x", "1"), P("other", "") } },
    { "query_empty_value_and_key", "a=&=b", 0, 0, 0, 2, { P("a", ""), P("", "b") } },
    { "query_value_keeps_later_equals", "a=b=c&d==", 0, 0, 0, 2, { P("a", "b=c"), P("d", "=") } },
    { "query_repeated_keys_in_order", "a=1&b=x&a=2&a=3", 0, 0, 0, 4,
      { P("a", "1"), P("b", "x"), P("a", "2"), P("a", "3") } },
    /* An encoded & or = does not split. */
    { "query_decodes_keys_and_values", "k%20ey=v%26al&%3D=%3D&x%5B%5D=%C3%A9", 0, 0, 0, 3,
      { P("k ey", "v&al"), P("=", "="), P("x[]", "\xc3\xa9") } },
    { "query_plus_is_space", "a+b=c+d&q=1%2B1+%3D+2", 0, 0, 0, 2,
      { P("a b", "c d"), P("q", "1+1 = 2") } },
    { "query_malformed_escapes_kept", "a=%&b=%4&c%zz=%zz%", 0, 0, 0, 3,
      { P("a", "%"), P("b", "%4"), P("c%zz", "%zz%") } },
    { "query_nul_escape_lengths", "a%00b=x%00", 0, 0, 0, 1, { P("a\0b", "x\0") } },
    { "query_results_nul_terminated", "ab=cd&e&f=", 0, 0, 0, 3,
      { P("ab", "cd"), P("e", ""), P("f", "") } },
    { "query_respects_len", "a=1&b=2&c=3", 7, 0, 0, 2, { P("a", "1"), P("b", "2") } },
    { "query_callback_stops", "a=1&b=2&c=3&d=4", 0, 2, -1, 2, { P("a", "1"), P("b", "2") } },
};

/* Each row of queries[] is a case: runs it with an exactly-sized scratch
 * buffer (LEN + 2) and checks the return, the count and every pair's
 * bytes and lengths (each NUL-terminated: collect() marks klen -1). */
TEST(query_table)
{
    for (size_t t = 0; t < sizeof(queries) / sizeof(queries[0]); t++) {
        const struct query_case *c = &queries[t];
        struct pairs p = { 0 };
        size_t len = c->len ? c->len : strlen(c->q);
        char *scratch = malloc(len + 2);
        int rc;

        p.stop_after = c->stop_after;
        rc = eider_query_foreach(c->q, len, scratch, collect, &p);
        free(scratch);
        CHECKF(rc == c->rc, "\"%.*s\": returned %d, expected %d", (int)len, c->q, rc, c->rc);
        CHECKF(p.n == c->n, "\"%.*s\": %d pairs, expected %d", (int)len, c->q, p.n, c->n);
        for (int i = 0; i < c->n && i < p.n && i < 4; i++) {
            const struct pair_want *w = &c->pairs[i];

            CHECKF(p.klen[i] == w->klen && memcmp(p.key[i], w->key, w->klen) == 0,
                   "\"%.*s\": key %d is \"%s\" (%zu bytes), expected \"%s\" (%zu)", (int)len,
                   c->q, i, p.key[i], p.klen[i], w->key, w->klen);
            CHECKF(p.vlen[i] == w->vlen && memcmp(p.val[i], w->val, w->vlen) == 0,
                   "\"%.*s\": value %d is \"%s\" (%zu bytes), expected \"%s\" (%zu)", (int)len,
                   c->q, i, p.val[i], p.vlen[i], w->val, w->vlen);
        }
        unit_report(c->name);
    }
}

TEST(query_long_pair_scratch_bound)
{
    /* One long pair without "=" and one with, each filling the scratch. */
    char q[301];
    struct pairs p = { 0 };
    memset(q, 'k', 300);
    q[300] = '\0';
    CHECK_INT(query(q, &p), 0);
    CHECK_INT(p.n, 1);
    CHECK_INT(p.klen[0], 300);
    CHECK_INT(p.vlen[0], 0);

    memset(&p, 0, sizeof(p));
    q[0] = '=';
    CHECK_INT(query(q, &p), 0);
    CHECK_INT(p.n, 1);
    CHECK_INT(p.klen[0], 0);
    CHECK_INT(p.vlen[0], 299);
}

UNIT_MAIN(decode_table, decode_in_place, query_table, query_long_pair_scratch_bound)
