/*
 * Unit tests for framework/url.c: eider_url_decode and eider_query_foreach.
 * Buffers are malloc'd at exactly the documented size (LEN + 1 for decode,
 * LEN + 2 for the query scratch) so valgrind sees any overrun.
 */
#include <stdlib.h>

#include "unit.h"
#include "url.h"

/* Decodes the first LEN bytes of IN into an exactly-sized buffer and
 * compares with the expected bytes EXP of EXPLEN. */
static int decode_is(const char *in, size_t len, int plus, const char *exp, size_t explen)
{
    char *out = malloc(len + 1);
    size_t n = eider_url_decode(in, len, out, plus);
    int ok = n == explen && memcmp(out, exp, explen) == 0 && out[n] == '\0';

    if (!ok)
        printf("  decode(\"%.*s\") gave %zu bytes \"%.*s\", expected %zu \"%.*s\"\n",
               (int)len, in, n, (int)n, out, explen, (int)explen, exp);
    free(out);
    return ok;
}

#define DECODES(in, plus, exp) CHECK(decode_is((in), strlen(in), (plus), (exp), strlen(exp)))

TEST(decode_percent)
{
    char out[64];
    CHECK(eider_url_decode("a%20b%2Fc", 9, out, 0) == 5);
    CHECK_STR(out, "a b/c");
}

TEST(decode_plus)
{
    char out[64];
    eider_url_decode("a+b", 3, out, 1);
    CHECK_STR(out, "a b");
    eider_url_decode("a+b", 3, out, 0);
    CHECK_STR(out, "a+b");
    DECODES("+++", 1, "   ");
    DECODES("%2B+", 1, "+ ");      /* an encoded + stays a + */
    DECODES("%2B+", 0, "++");
}

TEST(decode_malformed_kept)
{
    char out[64];
    eider_url_decode("%zz%4", 5, out, 0);
    CHECK_STR(out, "%zz%4");
}

TEST(decode_plain_and_empty)
{
    DECODES("", 0, "");
    DECODES("", 1, "");
    DECODES("hello", 0, "hello");
    DECODES("/a/b", 0, "/a/b");
}

TEST(decode_lone_percent)
{
    DECODES("%", 0, "%");
    DECODES("%%", 0, "%%");
    DECODES("a%", 0, "a%");
    DECODES("%4", 0, "%4");
    DECODES("a%4", 0, "a%4");
    DECODES("%%41", 0, "%A");       /* the first % is literal, then %41 */
    DECODES("%4%41", 0, "%4A");
}

TEST(decode_bad_hex_kept)
{
    DECODES("%zz", 0, "%zz");
    DECODES("%4g", 0, "%4g");
    DECODES("%g4", 0, "%g4");
    DECODES("% 1", 0, "% 1");
    DECODES("%-1", 0, "%-1");
    DECODES("%+1", 1, "% 1");       /* + after a bad % still becomes space */
}

TEST(decode_hex_cases)
{
    DECODES("%41%42%43", 0, "ABC");
    DECODES("%2f%2F", 0, "//");
    DECODES("%aA%Ff", 0, "\xaa\xff");
    DECODES("%7e", 0, "~");
    DECODES("%C3%A9", 0, "\xc3\xa9");   /* UTF-8 bytes pass through */
    DECODES("%25", 0, "%");
    DECODES("%2541", 0, "%41");          /* decoded once, not twice */
}

TEST(decode_nul_byte)
{
    char out[8];
    size_t n = eider_url_decode("a%00b", 5, out, 0);
    CHECK_INT(n, 3);
    CHECK(out[0] == 'a' && out[1] == '\0' && out[2] == 'b' && out[3] == '\0');
    CHECK_INT(eider_url_decode("%00", 3, out, 0), 1);
    CHECK(out[0] == '\0');
}

TEST(decode_respects_len)
{
    /* LEN bounds the input: an escape cut by LEN is kept literally and
     * nothing past LEN is read or written. */
    CHECK(decode_is("%41BC", 3, 0, "A", 1));
    CHECK(decode_is("%41", 2, 0, "%4", 2));
    CHECK(decode_is("%41", 1, 0, "%", 1));
    CHECK(decode_is("ab+cd", 3, 1, "ab ", 3));
    CHECK(decode_is("xyz", 0, 0, "", 0));
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

TEST(query_simple_pairs)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a=1&b=2", &p), 0);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.key[0], "a");
    CHECK_STR(p.val[0], "1");
    CHECK_STR(p.key[1], "b");
    CHECK_STR(p.val[1], "2");
    CHECK_INT(p.klen[0], 1);
    CHECK_INT(p.vlen[1], 1);
}

TEST(query_empty_string)
{
    struct pairs p = { 0 };
    CHECK_INT(query("", &p), 0);
    CHECK_INT(p.n, 0);
}

TEST(query_empty_pairs_skipped)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a=1&&b=2", &p), 0);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.key[0], "a");
    CHECK_STR(p.key[1], "b");

    memset(&p, 0, sizeof(p));
    CHECK_INT(query("&&&a=1&&&", &p), 0);
    CHECK_INT(p.n, 1);
    CHECK_STR(p.key[0], "a");
    CHECK_STR(p.val[0], "1");

    memset(&p, 0, sizeof(p));
    CHECK_INT(query("&", &p), 0);
    CHECK_INT(p.n, 0);
}

TEST(query_no_equals)
{
    struct pairs p = { 0 };
    CHECK_INT(query("flag&x=1&other", &p), 0);
    CHECK_INT(p.n, 3);
    CHECK_STR(p.key[0], "flag");
    CHECK_STR(p.val[0], "");
    CHECK_INT(p.vlen[0], 0);
    CHECK_STR(p.key[1], "x");
    CHECK_STR(p.val[1], "1");
    CHECK_STR(p.key[2], "other");
    CHECK_STR(p.val[2], "");
    CHECK_INT(p.vlen[2], 0);
}

TEST(query_empty_value_and_key)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a=&=b", &p), 0);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.key[0], "a");
    CHECK_STR(p.val[0], "");
    CHECK_INT(p.vlen[0], 0);
    CHECK_STR(p.key[1], "");
    CHECK_INT(p.klen[1], 0);
    CHECK_STR(p.val[1], "b");
}

TEST(query_value_keeps_later_equals)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a=b=c&d==", &p), 0);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.key[0], "a");
    CHECK_STR(p.val[0], "b=c");
    CHECK_STR(p.key[1], "d");
    CHECK_STR(p.val[1], "=");
}

TEST(query_repeated_keys_in_order)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a=1&b=x&a=2&a=3", &p), 0);
    CHECK_INT(p.n, 4);
    CHECK_STR(p.key[0], "a");
    CHECK_STR(p.val[0], "1");
    CHECK_STR(p.key[1], "b");
    CHECK_STR(p.key[2], "a");
    CHECK_STR(p.val[2], "2");
    CHECK_STR(p.key[3], "a");
    CHECK_STR(p.val[3], "3");
}

TEST(query_decodes_keys_and_values)
{
    struct pairs p = { 0 };
    CHECK_INT(query("k%20ey=v%26al&%3D=%3D&x%5B%5D=%C3%A9", &p), 0);
    CHECK_INT(p.n, 3);
    CHECK_STR(p.key[0], "k ey");
    CHECK_STR(p.val[0], "v&al");      /* an encoded & does not split */
    CHECK_STR(p.key[1], "=");         /* an encoded = does not split */
    CHECK_STR(p.val[1], "=");
    CHECK_STR(p.key[2], "x[]");
    CHECK_STR(p.val[2], "\xc3\xa9");
}

TEST(query_plus_is_space)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a+b=c+d&q=1%2B1+%3D+2", &p), 0);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.key[0], "a b");
    CHECK_STR(p.val[0], "c d");
    CHECK_STR(p.val[1], "1+1 = 2");
}

TEST(query_malformed_escapes_kept)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a=%&b=%4&c%zz=%zz%", &p), 0);
    CHECK_INT(p.n, 3);
    CHECK_STR(p.val[0], "%");
    CHECK_STR(p.val[1], "%4");
    CHECK_STR(p.key[2], "c%zz");
    CHECK_STR(p.val[2], "%zz%");
}

TEST(query_nul_escape_lengths)
{
    struct pairs p = { 0 };
    CHECK_INT(query("a%00b=x%00", &p), 0);
    CHECK_INT(p.n, 1);
    CHECK_INT(p.klen[0], 3);
    CHECK_INT(p.vlen[0], 2);
}

TEST(query_results_nul_terminated)
{
    /* collect() marks klen -1 when a key or value lacks its NUL. */
    struct pairs p = { 0 };
    CHECK_INT(query("ab=cd&e&f=", &p), 0);
    CHECK_INT(p.n, 3);
    for (int i = 0; i < p.n && i < 16; i++)
        CHECK(p.klen[i] != (size_t)-1);
}

TEST(query_respects_len)
{
    struct pairs p = { 0 };
    const char *q = "a=1&b=2&c=3";
    char *scratch = malloc(7 + 2);
    CHECK_INT(eider_query_foreach(q, 7, scratch, collect, &p), 0);   /* "a=1&b=2" */
    free(scratch);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.val[1], "2");
}

TEST(query_callback_stops)
{
    struct pairs p = { 0 };
    p.stop_after = 2;
    CHECK_INT(query("a=1&b=2&c=3&d=4", &p), -1);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.key[1], "b");
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

UNIT_MAIN(decode_percent, decode_plus, decode_malformed_kept, decode_plain_and_empty,
          decode_lone_percent, decode_bad_hex_kept, decode_hex_cases, decode_nul_byte,
          decode_respects_len, decode_in_place,
          query_simple_pairs, query_empty_string, query_empty_pairs_skipped,
          query_no_equals, query_empty_value_and_key, query_value_keeps_later_equals,
          query_repeated_keys_in_order, query_decodes_keys_and_values, query_plus_is_space,
          query_malformed_escapes_kept, query_nul_escape_lengths,
          query_results_nul_terminated, query_respects_len, query_callback_stops,
          query_long_pair_scratch_bound)
