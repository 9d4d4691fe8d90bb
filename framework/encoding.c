/*
 * Node's Buffer encodings on plain memory (contract in encoding.h). The
 * rules are Node's, case by case (tests/compat/cases/glob_buffer_*.js
 * compare them with Node's answers): lenient decoders that skip or stop
 * rather than throw, and WHATWG UTF-8 decoding.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"
#include "encoding_simd.h"

static const struct {
    const char *name;
    enum eider_enc enc;
} names[] = {
    { "utf8", EIDER_ENC_UTF8 }, { "utf-8", EIDER_ENC_UTF8 }, { "hex", EIDER_ENC_HEX },
    { "base64", EIDER_ENC_BASE64 }, { "base64url", EIDER_ENC_BASE64URL },
    { "latin1", EIDER_ENC_LATIN1 }, { "binary", EIDER_ENC_LATIN1 }, { "ascii", EIDER_ENC_ASCII },
    { "utf16le", EIDER_ENC_UTF16LE }, { "utf-16le", EIDER_ENC_UTF16LE },
    { "ucs2", EIDER_ENC_UTF16LE }, { "ucs-2", EIDER_ENC_UTF16LE },
};

enum eider_enc eider_enc_find(const char *name)
{
    /* Names come in lower case nearly always: the exact test first. */
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i].name) == 0)
            return names[i].enc;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].enc;
    return EIDER_ENC_NONE;
}

/* Value of each byte as a digit: 0-15 for hex, 0-63 for base64 (both
 * alphabets), 0xff for none. Built on first use. */
static unsigned char hex_val[256], b64_val[256];

/* The four characters of a base64 group looked up at once: b64_quad[j][c]
 * is digit c in place j of the group, its bits already where they go in
 * the three bytes (byte 0 in bits 0-7, 1 in 8-15, 2 in 16-23), so that
 * the OR of four entries is the group's bytes with no branch per
 * character. Bit 24 marks no digit (B64_BAD), bit 25 the digits of
 * base64url only ('-' and '_', B64_URL), which atob refuses. */
#define B64_BAD 0x1000000u
#define B64_URL 0x2000000u
static uint32_t b64_quad[4][256];
static int tables_ready;

static void init_tables(void)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    memset(hex_val, 0xff, sizeof(hex_val));
    memset(b64_val, 0xff, sizeof(b64_val));
    for (int i = 0; i < 16; i++)
        hex_val[(unsigned char)"0123456789abcdef"[i]] = hex_val[(unsigned char)"0123456789ABCDEF"[i]] = (unsigned char)i;
    for (int i = 0; i < 64; i++)
        b64_val[(unsigned char)b64[i]] = (unsigned char)i;
    b64_val['-'] = 62;
    b64_val['_'] = 63;
    for (int c = 0; c < 256; c++) {
        uint32_t v = b64_val[c], flag = c == '-' || c == '_' ? B64_URL : 0;
        if (v > 63) {
            for (int j = 0; j < 4; j++)
                b64_quad[j][c] = B64_BAD;
            continue;
        }
        b64_quad[0][c] = v << 2 | flag;
        b64_quad[1][c] = v >> 4 | (v & 15) << 12 | flag;
        b64_quad[2][c] = (v >> 2) << 8 | (v & 3) << 22 | flag;
        b64_quad[3][c] = v << 16 | flag;
    }
    tables_ready = 1;
}

/* How many bytes from S (N in all) are ASCII: eight at a time, since
 * most text on the wire is. */
static size_t ascii_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    uint64_t w;

    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            break;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

/* --- text to bytes --- */

/* The UTF-16 code unit(s) of the text sequence at S[*i] (N bytes in
 * all): returns how many (1 or 2, into U) and advances *i. A byte that
 * starts no complete sequence is a unit of its own, so that any bytes
 * are read without running past N. */
static int next_units(const unsigned char *s, size_t n, size_t *i, unsigned u[2])
{
    unsigned c = s[*i];
    size_t k = *i;

    if (c >= 0xc0 && c < 0xe0 && k + 1 < n) {
        u[0] = (c & 0x1f) << 6 | (s[k + 1] & 0x3f);
        *i += 2;
        return 1;
    }
    if (c >= 0xe0 && c < 0xf0 && k + 2 < n) {
        u[0] = (c & 0x0f) << 12 | (s[k + 1] & 0x3f) << 6 | (s[k + 2] & 0x3f);
        *i += 3;
        return 1;
    }
    if (c >= 0xf0 && k + 3 < n) {
        unsigned cp = (c & 0x07) << 18 | (s[k + 1] & 0x3f) << 12 | (s[k + 2] & 0x3f) << 6
                      | (s[k + 3] & 0x3f);
        cp -= 0x10000;
        u[0] = 0xd800 | (cp >> 10 & 0x3ff);
        u[1] = 0xdc00 | (cp & 0x3ff);
        *i += 4;
        return 2;
    }
    u[0] = c;
    *i += 1;
    return 1;
}

/* 1 if S[i..] (N bytes) is a 3-byte high surrogate followed by a 3-byte
 * low one. */
static int surrogate_pair_at(const unsigned char *s, size_t n, size_t i)
{
    return i + 5 < n && (s[i + 1] & 0xf0) == 0xa0 && s[i + 3] == 0xed && (s[i + 4] & 0xf0) == 0xb0;
}

/* Text to UTF-8: surrogate pairs joined, lone ones U+FFFD. */
static size_t decode_utf8(const unsigned char *s, size_t n, unsigned char *out)
{
    const unsigned char *ed = memchr(s, 0xed, n);   /* starts every surrogate */
    size_t o, i;

    if (ed == NULL) {
        memcpy(out, s, n);
        return n;
    }
    o = i = (size_t)(ed - s);
    memcpy(out, s, i);
    while (i < n) {
        if (s[i] != 0xed || i + 2 >= n || (s[i + 1] & 0xe0) != 0xa0) {
            out[o++] = s[i++];
        } else if (surrogate_pair_at(s, n, i)) {
            unsigned hi = (s[i + 1] & 0x0f) << 6 | (s[i + 2] & 0x3f);
            unsigned lo = (s[i + 4] & 0x0f) << 6 | (s[i + 5] & 0x3f);
            unsigned cp = 0x10000 + (hi << 10) + lo;
            out[o++] = (unsigned char)(0xf0 | cp >> 18);
            out[o++] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
            out[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3f));
            i += 6;
        } else {
            out[o++] = 0xef, out[o++] = 0xbf, out[o++] = 0xbd;   /* U+FFFD */
            i += 3;
        }
    }
    return o;
}

/* Hex pairs until the first bad one; OUT NULL only counts. */
static size_t decode_hex(const unsigned char *s, size_t n, unsigned char *out)
{
    size_t k = 0;

    for (; k < n / 2; k++) {
        unsigned hi = hex_val[s[2 * k]], lo = hex_val[s[2 * k + 1]];
        if ((hi | lo) > 15)
            break;
        if (out != NULL)
            out[k] = (unsigned char)(hi << 4 | lo);
    }
    return k;
}

/* Whole groups of four digits from S (N characters) into OUT, up to the
 * first group that holds a character of REFUSE (B64_BAD, plus B64_URL to
 * refuse base64url's digits); returns the bytes written, *I the
 * characters read. */
static size_t base64_groups(const unsigned char *s, size_t n, unsigned char *out, size_t *i,
                            uint32_t refuse)
{
    size_t k = 0, j = 0;

#if EIDER_ENC_X86
    if (n >= 16 && eider_enc_x86_ok())
        k = eider_enc_x86_unbase64(s, n, out, (refuse & B64_URL) != 0, &j);
#endif
    for (; j + 4 <= n; j += 4, k += 3) {
        uint32_t v = b64_quad[0][s[j]] | b64_quad[1][s[j + 1]] | b64_quad[2][s[j + 2]]
                     | b64_quad[3][s[j + 3]];
        if (v & refuse)
            break;
        out[k] = (unsigned char)v;
        out[k + 1] = (unsigned char)(v >> 8);
        out[k + 2] = (unsigned char)(v >> 16);
    }
    *i = j;
    return k;
}

size_t eider_enc_base64_groups(const unsigned char *s, size_t n, unsigned char *out, size_t *used)
{
    if (!tables_ready)
        init_tables();
    return base64_groups(s, n, out, used, B64_BAD | B64_URL);
}

/* Base64 of either alphabet, skipping other characters, up to the first
 * '='; OUT NULL only counts. */
static size_t decode_base64(const unsigned char *s, size_t n, unsigned char *out)
{
    unsigned acc = 0, bits = 0;
    size_t k = 0, i = 0;

    /* Four characters at a time while all are digits: the common case. */
    if (out != NULL)
        k = base64_groups(s, n, out, &i, B64_BAD);
    for (; i < n && s[i] != '='; i++) {
        unsigned v = b64_val[s[i]];
        if (v > 63)
            continue;
        acc = (acc << 6 | v) & 0xffffff;
        if ((bits += 6) >= 8) {
            bits -= 8;
            if (out != NULL)
                out[k] = (unsigned char)(acc >> bits);
            k++;
        }
    }
    return k;
}

size_t eider_enc_latin1_run(const unsigned char *s, size_t n, unsigned char *out, size_t *used)
{
    size_t k = 0, j = 0;

#if EIDER_ENC_X86
    if (n >= 32 && eider_enc_x86_ok())
        k = eider_enc_x86_latin1_bytes(s, n, out, &j);
#endif
    while (j < n) {
        unsigned c = s[j];
        if (c < 0x80) {
            out[k++] = (unsigned char)c;
            j++;
        } else if ((c & 0xfc) == 0xc0 && j + 1 < n) {   /* units 0x80-0xff */
            out[k++] = (unsigned char)((c & 3) << 6 | (s[j + 1] & 0x3f));
            j += 2;
        } else {
            break;
        }
    }
    *used = j;
    return k;
}

/* Latin1 (or ascii): the low byte of each code unit; OUT NULL counts. */
static size_t decode_latin1(const unsigned char *s, size_t n, unsigned char *out)
{
    size_t k, i;
    unsigned u[2];

    if (out == NULL) {
        k = i = ascii_prefix(s, n);
        while (i < n)
            k += (size_t)next_units(s, n, &i, u);
        return k;
    }
    k = eider_enc_latin1_run(s, n, out, &i);
    while (i < n)
        for (int j = 0, m = next_units(s, n, &i, u); j < m; j++)
            out[k++] = (unsigned char)u[j];
    return k;
}

/* UTF-16LE: two bytes per code unit; OUT NULL counts. */
static size_t decode_utf16le(const unsigned char *s, size_t n, unsigned char *out)
{
    size_t k = 0;
    unsigned u[2];

    for (size_t i = 0; i < n;)
        for (int j = 0, m = next_units(s, n, &i, u); j < m; j++, k += 2)
            if (out != NULL)
                out[k] = (unsigned char)u[j], out[k + 1] = (unsigned char)(u[j] >> 8);
    return k;
}

size_t eider_enc_decode(enum eider_enc enc, const unsigned char *s, size_t n, unsigned char *out)
{
    if (!tables_ready)
        init_tables();
    switch (enc) {
    case EIDER_ENC_HEX:       return decode_hex(s, n, out);
    case EIDER_ENC_BASE64:
    case EIDER_ENC_BASE64URL: return decode_base64(s, n, out);
    case EIDER_ENC_LATIN1:
    case EIDER_ENC_ASCII:     return decode_latin1(s, n, out);
    case EIDER_ENC_UTF16LE:   return decode_utf16le(s, n, out);
    default:                  return decode_utf8(s, n, out);
    }
}

size_t eider_enc_decoded_length(enum eider_enc enc, const unsigned char *s, size_t n)
{
    size_t k = n;

    if (!tables_ready)
        init_tables();
    switch (enc) {
    case EIDER_ENC_HEX:       return decode_hex(s, n, NULL);
    case EIDER_ENC_BASE64:
    case EIDER_ENC_BASE64URL: return decode_base64(s, n, NULL);
    case EIDER_ENC_LATIN1:
    case EIDER_ENC_ASCII:     return decode_latin1(s, n, NULL);
    case EIDER_ENC_UTF16LE:   return decode_utf16le(s, n, NULL);
    default:   /* each joined pair is 4 bytes instead of 6 */
        for (const unsigned char *p = s; (p = memchr(p, 0xed, n - (size_t)(p - s))) != NULL;) {
            size_t i = (size_t)(p - s);
            if (i + 2 < n && (s[i + 1] & 0xe0) == 0xa0) {
                /* a surrogate: as decode_utf8() steps, past all of it */
                int pair = surrogate_pair_at(s, n, i);
                k -= pair ? 2 : 0;
                p += pair ? 6 : 3;
            } else {
                p += 1;
            }
        }
        return k;
    }
}

size_t eider_enc_decode_bound(enum eider_enc enc, size_t n)
{
    switch (enc) {
    case EIDER_ENC_HEX:       return n / 2;
    case EIDER_ENC_BASE64:
    case EIDER_ENC_BASE64URL: return n / 4 * 3 + 3;
    case EIDER_ENC_UTF16LE:   return 2 * n;
    default:                  return n;
    }
}

/* --- bytes to text --- */

/* Code point CP (< 0x10000) as 1-3 bytes of text at OUT; returns how
 * many. */
static size_t put_bmp(unsigned char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xc0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    out[0] = (unsigned char)(0xe0 | cp >> 12);
    out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
    out[2] = (unsigned char)(0x80 | (cp & 0x3f));
    return 3;
}

/* Valid continuation bytes after lead byte C: the second byte's range
 * (WHATWG's lower and upper boundary) and how many follow; 0 if C
 * starts nothing. */
static int utf8_lead(unsigned c, unsigned *lo, unsigned *hi)
{
    *lo = 0x80, *hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) return 1;
    if (c == 0xe0) { *lo = 0xa0; return 2; }
    if (c == 0xed) { *hi = 0x9f; return 2; }
    if (c >= 0xe1 && c <= 0xef) return 2;
    if (c == 0xf0) { *lo = 0x90; return 3; }
    if (c == 0xf4) { *hi = 0x8f; return 3; }
    if (c >= 0xf1 && c <= 0xf3) return 3;
    return 0;
}

static size_t encode_utf8(const unsigned char *b, size_t n, unsigned char *out)
{
    size_t o = ascii_prefix(b, n), i = o;

    memcpy(out, b, o);
    while (i < n) {
        unsigned c = b[i], lo, hi, cp;
        if (c < 0x80) {
            out[o++] = (unsigned char)c;
            i++;
            continue;
        }
        int need = utf8_lead(c, &lo, &hi), j = 1;
        cp = c & (0x3f >> need);
        for (; j <= need && i + (size_t)j < n; j++) {
            unsigned d = b[i + (size_t)j];
            if (d < lo || d > hi)
                break;
            cp = cp << 6 | (d & 0x3f);
            lo = 0x80, hi = 0xbf;
        }
        if (need == 0 || j <= need) {   /* the maximal subpart is one U+FFFD */
            o += put_bmp(out + o, 0xfffd);
            i += need == 0 ? 1 : (size_t)j;
            continue;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            o += put_bmp(out + o, 0xd800 | cp >> 10);
            o += put_bmp(out + o, 0xdc00 | (cp & 0x3ff));
        } else {
            o += put_bmp(out + o, cp);
        }
        i += (size_t)need + 1;
    }
    return o;
}

/* Base64 digit pairs: entry v (12 bits) is the two characters of v, in
 * memory order, for each alphabet; latin1_text[c]: the one or two bytes
 * of text of code unit c (0-255), in memory order. Built on first use. */
static uint16_t b64_pairs[2][4096], latin1_text[256];
static int pairs_ready;

static void init_pairs(void)
{
    static const char *abc[2] = {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    };

    for (int a = 0; a < 2; a++)
        for (unsigned v = 0; v < 4096; v++) {
            unsigned char two[2] = { (unsigned char)abc[a][v >> 6], (unsigned char)abc[a][v & 63] };
            memcpy(&b64_pairs[a][v], two, 2);
        }
    for (unsigned c = 0; c < 256; c++) {
        unsigned char two[2] = { (unsigned char)c, 0 };
        if (c >= 0x80)
            two[0] = (unsigned char)(0xc0 | c >> 6), two[1] = (unsigned char)(0x80 | (c & 0x3f));
        memcpy(&latin1_text[c], two, 2);
    }
    pairs_ready = 1;
}

/* The 8 bytes at P as a big-endian number. */
static uint64_t load_be64(const unsigned char *p)
{
    uint64_t w;

    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    w = __builtin_bswap64(w);
#elif !defined(__BYTE_ORDER__)
    w = 0;
    for (int i = 0; i < 8; i++)
        w = w << 8 | p[i];
#endif
    return w;
}

static size_t encode_base64(const unsigned char *b, size_t n, unsigned char *out, int url)
{
    const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint16_t *pairs;
    size_t o = 0, i = 0;

    if (!pairs_ready)
        init_pairs();
    pairs = b64_pairs[url != 0];
#if EIDER_ENC_X86
    if (n >= 16 && eider_enc_x86_ok())
        o = eider_enc_x86_base64(b, n, out, url, &i);
#endif
    /* Six bytes (eight characters) per step, from one 8-byte load. */
    for (; i + 8 <= n; i += 6, o += 8) {
        uint64_t w = load_be64(b + i);
        memcpy(out + o, &pairs[w >> 52], 2);
        memcpy(out + o + 2, &pairs[w >> 40 & 0xfff], 2);
        memcpy(out + o + 4, &pairs[w >> 28 & 0xfff], 2);
        memcpy(out + o + 6, &pairs[w >> 16 & 0xfff], 2);
    }
    for (; i + 3 <= n; i += 3, o += 4) {
        unsigned v = (unsigned)b[i] << 16 | (unsigned)b[i + 1] << 8 | b[i + 2];
        memcpy(out + o, &pairs[v >> 12], 2);
        memcpy(out + o + 2, &pairs[v & 0xfff], 2);
    }
    if (i < n) {
        unsigned v = (unsigned)b[i] << 16 | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0);
        out[o++] = (unsigned char)abc[v >> 18];
        out[o++] = (unsigned char)abc[v >> 12 & 63];
        if (i + 1 < n)
            out[o++] = (unsigned char)abc[v >> 6 & 63];
        if (!url) {
            if (i + 1 >= n)
                out[o++] = '=';
            out[o++] = '=';
        }
    }
    return o;
}

/* Bytes to latin1 text: sixteen at a time where the CPU can
 * (encoding_x86.c); then ASCII eight at a time, otherwise each byte's one
 * or two bytes of text from latin1_text, written as two (OUT has room for
 * 2n) with no branch on which. */
static size_t encode_latin1(const unsigned char *b, size_t n, unsigned char *out)
{
    size_t o = 0, i = 0;
    uint64_t w;

    if (!pairs_ready)
        init_pairs();
#if EIDER_ENC_X86
    if (n >= 16 && eider_enc_x86_ok())
        o = eider_enc_x86_latin1_text(b, n, out, &i);
#endif
    while (i < n) {
        if (i + 8 <= n) {
            memcpy(&w, b + i, 8);
            if (!(w & 0x8080808080808080ull)) {
                memcpy(out + o, &w, 8);
                i += 8, o += 8;
                continue;
            }
        }
        for (size_t end = i + 8 < n ? i + 8 : n; i < end; i++) {
            memcpy(out + o, &latin1_text[b[i]], 2);
            o += 1 + (b[i] >> 7);
        }
    }
    return o;
}

size_t eider_enc_encode(enum eider_enc enc, const unsigned char *b, size_t n, unsigned char *out)
{
    size_t o = 0;

    switch (enc) {
    case EIDER_ENC_HEX:
        for (size_t i = 0; i < n; i++) {
            out[o++] = (unsigned char)"0123456789abcdef"[b[i] >> 4];
            out[o++] = (unsigned char)"0123456789abcdef"[b[i] & 15];
        }
        return o;
    case EIDER_ENC_BASE64:    return encode_base64(b, n, out, 0);
    case EIDER_ENC_BASE64URL: return encode_base64(b, n, out, 1);
    case EIDER_ENC_LATIN1:    return encode_latin1(b, n, out);
    case EIDER_ENC_ASCII:
        for (size_t i = 0; i < n; i++)
            out[i] = b[i] & 0x7f;
        return n;
    case EIDER_ENC_UTF16LE:
        for (size_t i = 0; i + 1 < n; i += 2)
            o += put_bmp(out + o, (unsigned)b[i] | (unsigned)b[i + 1] << 8);
        return o;
    default:
        return encode_utf8(b, n, out);
    }
}

size_t eider_enc_encode_bound(enum eider_enc enc, size_t n)
{
    switch (enc) {
    case EIDER_ENC_HEX:       return 2 * n;
    case EIDER_ENC_BASE64:
    case EIDER_ENC_BASE64URL: return (n + 2) / 3 * 4;
    case EIDER_ENC_LATIN1:    return 2 * n;
    case EIDER_ENC_ASCII:     return n;
    case EIDER_ENC_UTF16LE:   return n / 2 * 3;
    default:                  return 3 * n;
    }
}

int eider_enc_utf8_is_text(const unsigned char *b, size_t n)
{
    size_t i = ascii_prefix(b, n);

    while (i < n) {
        unsigned c = b[i], lo, hi;
        if (c < 0x80) {
            i++;
            continue;
        }
        int need = utf8_lead(c, &lo, &hi);
        if (need == 0 || need == 3 || i + (size_t)need >= n)
            return 0;   /* invalid, or past U+FFFF: text holds those as pairs */
        if (b[i + 1] < lo || b[i + 1] > hi || (need == 2 && (b[i + 2] & 0xc0) != 0x80))
            return 0;
        i += (size_t)need + 1;
    }
    return 1;
}
