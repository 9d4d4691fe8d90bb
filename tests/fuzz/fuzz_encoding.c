/*
 * fuzz_encoding: framework/encoding.c (and its SSSE3 blocks in
 * encoding_x86.c) on fuzzed bytes, read as bytes and as engine text.
 * Every output goes into a heap block of exactly the bound the header
 * promises, so ASan catches a block store past it.
 *
 * Properties, for every encoding:
 *   - encode writes at most eider_enc_encode_bound(), decode at most
 *     eider_enc_decode_bound(), and eider_enc_decoded_length() is what
 *     decode wrote;
 *   - hex, base64, base64url and latin1 give the bytes back when their
 *     own text is decoded;
 *   - eider_enc_latin1_run() stops only where a code unit above 0xff
 *     starts, having written what eider_enc_decode() writes up to there;
 *   - eider_enc_base64_groups() reads whole groups and writes 3 bytes per
 *     group, the same bytes eider_enc_decode() gives for them.
 */
#include "encoding.h"
#include "fuzz.h"

static const enum eider_enc all[] = {
    EIDER_ENC_UTF8, EIDER_ENC_HEX, EIDER_ENC_BASE64, EIDER_ENC_BASE64URL,
    EIDER_ENC_LATIN1, EIDER_ENC_ASCII, EIDER_ENC_UTF16LE,
};

/* A heap block of exactly N bytes (at least 1), for ASan. */
static unsigned char *exact(size_t n)
{
    unsigned char *p = malloc(n ? n : 1);

    FUZZ_ASSERT(p != NULL, "out of memory");
    return p;
}

/* Bytes to text and back in ENC. */
static void bytes_way(enum eider_enc enc, const uint8_t *b, size_t n)
{
    size_t bound = eider_enc_encode_bound(enc, n);
    unsigned char *text = exact(bound);
    size_t t = eider_enc_encode(enc, b, n, text);

    FUZZ_ASSERT(t <= bound, "enc %d: %zu > bound %zu", enc, t, bound);
    size_t dbound = eider_enc_decode_bound(enc, t);
    unsigned char *back = exact(dbound);
    size_t k = eider_enc_decode(enc, text, t, back);
    FUZZ_ASSERT(k <= dbound, "enc %d: decode %zu > bound %zu", enc, k, dbound);
    FUZZ_ASSERT(eider_enc_decoded_length(enc, text, t) == k, "enc %d: decoded_length", enc);
    if (enc == EIDER_ENC_HEX || enc == EIDER_ENC_BASE64 || enc == EIDER_ENC_BASE64URL || enc == EIDER_ENC_LATIN1)
        FUZZ_ASSERT(k == n && memcmp(back, b, n) == 0, "enc %d: round trip", enc);
    free(back);
    free(text);
}

/* The fuzzed bytes as text, decoded in ENC. */
static void text_way(enum eider_enc enc, const uint8_t *s, size_t n)
{
    size_t bound = eider_enc_decode_bound(enc, n);
    unsigned char *out = exact(bound);
    size_t k = eider_enc_decode(enc, s, n, out);

    FUZZ_ASSERT(k <= bound, "enc %d: decode %zu > bound %zu", enc, k, bound);
    FUZZ_ASSERT(eider_enc_decoded_length(enc, s, n) == k, "enc %d: decoded_length", enc);
    if (enc == EIDER_ENC_LATIN1) {
        size_t used, r;
        unsigned char *run = exact(n);
        r = eider_enc_latin1_run(s, n, run, &used);
        FUZZ_ASSERT(used <= n && r <= used, "latin1 run: %zu of %zu", used, n);
        FUZZ_ASSERT(used == n || s[used] >= 0xc4 || (s[used] >= 0x80 && s[used] < 0xc0)
                    || used + 1 == n, "latin1 run stopped at 0x%02x", s[used]);
        FUZZ_ASSERT(r <= k && memcmp(run, out, r) == 0, "latin1 run differs from decode");
        free(run);
    }
    if (enc == EIDER_ENC_BASE64) {
        size_t used, g;
        unsigned char *groups = exact(n / 4 * 3 + 1);
        g = eider_enc_base64_groups(s, n, groups, &used);
        FUZZ_ASSERT(used % 4 == 0 && used <= n && g == used / 4 * 3, "groups: %zu, %zu", used, g);
        FUZZ_ASSERT(g <= k && memcmp(groups, out, g) == 0, "groups differ from decode");
        free(groups);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        bytes_way(all[i], data, size);
        text_way(all[i], data, size);
    }
    (void)eider_enc_utf8_is_text(data, size);
    return 0;
}
