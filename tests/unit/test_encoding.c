/*
 * Unit tests for framework/encoding.c's fast paths (eight-byte words,
 * branch-free tables, SSSE3 blocks in encoding_x86.c): each against a
 * plain one-character-at-a-time reference written here, on pseudo-random
 * inputs of every length from 0 to 300 and at every offset, so that
 * blocks, tails and the hand-over between them all meet odd positions.
 * Node's own answers for the same encodings are compared case by case in
 * tests/compat (glob_buffer_*.js, glob_atob_btoa.js).
 */
#include <stdint.h>

#include "encoding.h"
#include "unit.h"

#define MAXN 300

static uint32_t seed = 12345;

/* A pseudo-random byte (xorshift: the same inputs on every run). */
static unsigned char rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return (unsigned char)seed;
}

/* N bytes at B of kind KIND: 0 random, 1 ASCII, 2 mostly ASCII with
 * some high bytes. */
static void fill(unsigned char *b, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = rnd();
        b[i] = kind == 0 ? c : kind == 1 ? (unsigned char)(c & 0x7f)
                                         : (unsigned char)(rnd() % 8 ? c & 0x7f : c | 0x80);
    }
}

/* Reference: bytes to latin1 text. */
static size_t ref_latin1_text(const unsigned char *b, size_t n, unsigned char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (b[i] < 0x80) {
            out[o++] = b[i];
        } else {
            out[o++] = (unsigned char)(0xc0 | b[i] >> 6);
            out[o++] = (unsigned char)(0x80 | (b[i] & 0x3f));
        }
    }
    return o;
}

/* Reference: base64 of either alphabet. */
static size_t ref_base64(const unsigned char *b, size_t n, unsigned char *out, int url)
{
    const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;

    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)b[i] << 16 | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0)
                     | (i + 2 < n ? b[i + 2] : 0);
        size_t chars = n - i >= 3 ? 4 : n - i + 1;
        for (size_t j = 0; j < 4; j++) {
            if (j < chars)
                out[o++] = (unsigned char)abc[v >> (18 - 6 * j) & 63];
            else if (!url)
                out[o++] = '=';
        }
    }
    return o;
}

/* Every length and offset: latin1 text matches the reference, and
 * decoding it gives the bytes back (the SSSE3 narrowing, its 15-byte
 * steps when a block ends in a lead byte, and the scalar tail). */
TEST(latin1_both_ways)
{
    static unsigned char buf[MAXN + 16], text[2 * MAXN + 32], want[2 * MAXN + 32], back[2 * MAXN + 32];
    int bad = 0;

    for (int kind = 0; kind < 3; kind++)
        for (size_t n = 0; n <= MAXN; n++) {
            size_t off = n % 7, used;
            fill(buf + off, n, kind);
            size_t t = eider_enc_encode(EIDER_ENC_LATIN1, buf + off, n, text);
            size_t w = ref_latin1_text(buf + off, n, want);
            bad += t != w || memcmp(text, want, w) != 0;
            size_t k = eider_enc_decode(EIDER_ENC_LATIN1, text, t, back);
            bad += k != n || memcmp(back, buf + off, n) != 0;
            k = eider_enc_latin1_run(text, t, back, &used);
            bad += k != n || used != t || memcmp(back, buf + off, n) != 0;
        }
    CHECK_INT(bad, 0);
}

/* Text with a unit above 0xff (U+20AC, three bytes) at every place: the
 * run stops at its first byte, having decoded everything before it, and
 * the whole decode takes its low byte (0xac), as Node. */
TEST(latin1_stops_above_ff)
{
    static unsigned char buf[MAXN], text[2 * MAXN + 8], back[2 * MAXN + 8];
    int bad = 0;

    for (size_t n = 1; n <= 120; n++)
        for (size_t at = 0; at < n; at += 5) {
            size_t used, k, t;
            fill(buf, n, 0);
            t = eider_enc_encode(EIDER_ENC_LATIN1, buf, at, text);
            size_t stop = t;
            memcpy(text + t, "\xe2\x82\xac", 3);
            t += 3;
            t += eider_enc_encode(EIDER_ENC_LATIN1, buf + at, n - at, text + t);
            k = eider_enc_latin1_run(text, t, back, &used);
            bad += used != stop || k != at || memcmp(back, buf, at) != 0;
            k = eider_enc_decode(EIDER_ENC_LATIN1, text, t, back);
            bad += k != n + 1 || back[at] != 0xac || memcmp(back, buf, at) != 0
                   || memcmp(back + at + 1, buf + at, n - at) != 0;
        }
    CHECK_INT(bad, 0);
}

/* Base64 and base64url: the six-byte steps and the tail against the
 * reference, and the four-character decode tables back to the bytes. */
TEST(base64_both_ways)
{
    static unsigned char buf[MAXN + 8], text[2 * MAXN], want[2 * MAXN], back[MAXN + 8];
    int bad = 0;

    for (int url = 0; url < 2; url++)
        for (size_t n = 0; n <= MAXN; n++) {
            enum eider_enc enc = url ? EIDER_ENC_BASE64URL : EIDER_ENC_BASE64;
            size_t off = n % 5;
            fill(buf + off, n, 0);
            size_t t = eider_enc_encode(enc, buf + off, n, text);
            size_t w = ref_base64(buf + off, n, want, url);
            bad += t != w || memcmp(text, want, w) != 0;
            size_t k = eider_enc_decode(enc, text, t, back);
            bad += k != n || memcmp(back, buf + off, n) != 0;
            bad += eider_enc_decoded_length(enc, text, t) != n;
        }
    CHECK_INT(bad, 0);
}

/* Node's lenient base64: characters outside both alphabets skipped
 * wherever they fall (the table path gives way to the slow one), either
 * alphabet in one input, and the first '=' ends it. */
TEST(base64_lenient)
{
    static const struct { const char *in; const char *want; } cases[] = {
        { "aGVsbG8gd29ybGQ=", "hello world" },
        { "aGVs bG8g\nd29y bGQ", "hello world" },
        { "aGVsbG8gd29ybGQ=aGVsbG8=", "hello world" },
        { "aGVs!!bG8gd29ybGQ", "hello world" },
        { "-_-_", "\xfb\xff\xbf" },
        { "+/+/", "\xfb\xff\xbf" },
        { "+_-/", "\xfb\xff\xbf" },
        { "YQ", "a" },
        { "Y", "" },
        { "", "" },
    };
    unsigned char out[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(cases[i].in);
        size_t k = eider_enc_decode(EIDER_ENC_BASE64, (const unsigned char *)cases[i].in, n, out);
        CHECK(k == strlen(cases[i].want) && memcmp(out, cases[i].want, k) == 0);
        CHECK_INT(eider_enc_decoded_length(EIDER_ENC_BASE64, (const unsigned char *)cases[i].in, n), k);
    }
}

/* Reference: Node's lenient base64 decoder (either alphabet, anything
 * else skipped, the first '=' ends it). */
static size_t ref_unbase64(const unsigned char *s, size_t n, unsigned char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned acc = 0, bits = 0;
    size_t k = 0;

    for (size_t i = 0; i < n && s[i] != '='; i++) {
        const char *p = s[i] == '-' ? abc + 62 : s[i] == '_' ? abc + 63 : s[i] ? strchr(abc, s[i]) : NULL;
        if (p == NULL)
            continue;
        acc = acc << 6 | (unsigned)(p - abc);
        if ((bits += 6) >= 8) {
            bits -= 8;
            out[k++] = (unsigned char)(acc >> bits);
        }
    }
    return k;
}

/* Every byte value at every place of the first 16-digit block: the
 * block decoders take a block only if all sixteen are digits (of
 * base64url too for Buffer, the standard alphabet only for atob's
 * groups), and the result is the lenient reference's. */
TEST(base64_every_byte_everywhere)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char s[40], out[40], want[40];
    int bad = 0;

    for (unsigned c = 0; c < 256; c++)
        for (size_t at = 0; at < 16; at++) {
            for (size_t i = 0; i < sizeof(s); i++)
                s[i] = (unsigned char)abc[rnd() & 63];
            s[at] = (unsigned char)c;
            size_t k = eider_enc_decode(EIDER_ENC_BASE64, s, sizeof(s), out);
            size_t w = ref_unbase64(s, sizeof(s), want);
            bad += k != w || memcmp(out, want, w) != 0;
            size_t used;
            int std_digit = c < 128 && c != 0 && strchr(abc, (int)c) != NULL;
            k = eider_enc_base64_groups(s, sizeof(s), out, &used);
            bad += std_digit ? used != sizeof(s) : used != at / 4 * 4;
            bad += k != used / 4 * 3 || memcmp(out, want, k) != 0;
        }
    CHECK_INT(bad, 0);
}

/* Text with surrogates that are not well-formed CESU-8 (what a string
 * pushed from C may hold): the length byteLength gives is what decoding
 * writes. The fuzzer's find (fuzz_encoding): a lone surrogate's second
 * and third bytes were searched for another surrogate that decoding had
 * stepped over. */
TEST(utf8_length_matches_decode)
{
    static const unsigned char cases[][17] = {
        { 0x93, 0xed, 0xb3, 0xed, 0xaf, 0x93, 0xed, 0xb3, 0xed, 0x43, 0x43, 0xed, 0x00, 0xac, 0x20, 0x00, 0x00 },
        { 0xed, 0xa0, 0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80, 0x41, 0, 0, 0, 0, 0, 0, 0, 0 },
        { 0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80, 0xed, 0xa0, 0x80, 0x41, 0xed, 0xb0, 0, 0, 0, 0, 0 },
    };
    unsigned char out[64];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (size_t n = 0; n <= sizeof(cases[i]); n++)
            CHECK_INT(eider_enc_decoded_length(EIDER_ENC_UTF8, cases[i], n),
                      eider_enc_decode(EIDER_ENC_UTF8, cases[i], n, out));
    for (int k = 0; k < 2000; k++) {   /* random mixes of 0xed, surrogate bytes and ASCII */
        unsigned char s[24];
        static const unsigned char pick[] = { 0xed, 0xa0, 0xaf, 0xb0, 0xbf, 0x80, 0x93, 0x41 };
        for (size_t i = 0; i < sizeof(s); i++)
            s[i] = pick[rnd() & 7];
        CHECK_INT(eider_enc_decoded_length(EIDER_ENC_UTF8, s, sizeof(s)),
                  eider_enc_decode(EIDER_ENC_UTF8, s, sizeof(s), out));
    }
}

UNIT_MAIN(utf8_length_matches_decode, latin1_both_ways, latin1_stops_above_ff, base64_both_ways, base64_lenient, base64_every_byte_everywhere)
