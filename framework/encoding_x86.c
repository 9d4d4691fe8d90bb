/*
 * The latin1 loops of encoding.c with SSSE3 (contract in
 * encoding_simd.h). Latin1 is the one encoding whose text and bytes differ
 * in length per character (code units 0x80-0xff are two bytes of engine
 * text, one byte of Buffer), so a scalar loop pays a mispredicted branch
 * or a load-to-address dependency per character on binary data; here
 * sixteen bytes go at once, and pshufb with a table indexed by the mask of
 * two-byte characters does the widening or narrowing. Built on every
 * x86-64 compiler (the target attribute), used where the CPU has SSSE3
 * (nearly all since 2006); elsewhere encoding.c's scalar loops do it all.
 */
#include "encoding_simd.h"

#if EIDER_ENC_X86

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

/* widen[m]: pshufb indices that spread eight 16-bit lanes (lane i: byte
 * 2i, then 2i+1 if bit i of m says it is a two-byte character) into
 * their text, 8 + ones[m] bytes; narrow[m]: the indices of the bytes of
 * eight whose bit in m is set, in order, ones[m] of them. */
static unsigned char widen[256][16], narrow[256][8], ones[256];
static int ready;

static void init(void)
{
    for (unsigned m = 0; m < 256; m++) {
        unsigned w = 0, k = 0;
        memset(widen[m], 0x80, 16);
        memset(narrow[m], 0x80, 8);
        for (unsigned i = 0; i < 8; i++) {
            widen[m][w++] = (unsigned char)(2 * i);
            if (m >> i & 1) {
                widen[m][w++] = (unsigned char)(2 * i + 1);
                narrow[m][k++] = (unsigned char)i;
                ones[m]++;
            }
        }
    }
    ready = 1;
}

int eider_enc_x86_ok(void)
{
    static int ok = -1;

    if (ok < 0) {
        __builtin_cpu_init();
        ok = __builtin_cpu_supports("ssse3") ? 1 : 0;
        if (ok && !ready)
            init();
    }
    return ok;
}

/* Eight bytes (the 16-bit lanes of W, each 0-255) as text at OUT, 16
 * bytes written; returns the text's length. */
__attribute__((target("ssse3")))
static size_t widen8(__m128i w, unsigned char *out)
{
    __m128i two = _mm_cmpgt_epi16(w, _mm_set1_epi16(0x7f));
    __m128i lead = _mm_or_si128(_mm_srli_epi16(w, 6), _mm_set1_epi16(0xc0));
    __m128i cont = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(w, _mm_set1_epi16(0x3f)), 8),
                                _mm_set1_epi16((short)0x8000));
    __m128i v = _mm_or_si128(_mm_and_si128(two, _mm_or_si128(lead, cont)), _mm_andnot_si128(two, w));
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_packs_epi16(two, two)) & 0xff;

    _mm_storeu_si128((__m128i *)out, _mm_shuffle_epi8(v, _mm_loadu_si128((const __m128i *)widen[m])));
    return 8 + ones[m];
}

__attribute__((target("ssse3")))
size_t eider_enc_x86_latin1_text(const unsigned char *b, size_t n, unsigned char *out, size_t *used)
{
    size_t i = 0, o = 0;
    const __m128i zero = _mm_setzero_si128();

    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + i));
        if (_mm_movemask_epi8(x) == 0) {
            _mm_storeu_si128((__m128i *)(out + o), x);
            o += 16;
            continue;
        }
        o += widen8(_mm_unpacklo_epi8(x, zero), out + o);
        o += widen8(_mm_unpackhi_epi8(x, zero), out + o);
    }
    *used = i;
    return o;
}

__attribute__((target("ssse3")))
size_t eider_enc_x86_latin1_bytes(const unsigned char *s, size_t n, unsigned char *out, size_t *used)
{
    size_t i = 0, k = 0;

    /* Each step reads 17 bytes: a lead byte's value needs the next one. */
    while (i + 17 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        if (_mm_movemask_epi8(x) == 0) {   /* ASCII: most text */
            _mm_storeu_si128((__m128i *)(out + k), x);
            k += 16, i += 16;
            continue;
        }
        __m128i y = _mm_loadu_si128((const __m128i *)(s + i + 1));
        __m128i cont = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8((char)0xc0)), _mm_set1_epi8((char)0x80));
        __m128i lead = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8((char)0xfc)), _mm_set1_epi8((char)0xc0));
        __m128i ascii = _mm_cmpgt_epi8(x, _mm_set1_epi8(-1));
        unsigned mc = (unsigned)_mm_movemask_epi8(cont), ml = (unsigned)_mm_movemask_epi8(lead);
        unsigned all = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(cont, lead), ascii));
        /* Only ASCII, 0xc0-0xc3 (units up to 0xff) and one continuation
         * byte after each of those; a lead in the last place is left for
         * the next step, with its continuation. */
        size_t step = ml & 0x8000 ? 15 : 16;
        unsigned keep = ~mc & (step == 16 ? 0xffffu : 0x7fffu);
        if (all != 0xffff || mc != ((ml << 1) & 0xffff))
            break;
        __m128i v = _mm_or_si128(_mm_and_si128(_mm_slli_epi16(x, 6), _mm_set1_epi8((char)0xc0)),
                                 _mm_and_si128(y, _mm_set1_epi8(0x3f)));
        v = _mm_or_si128(_mm_and_si128(lead, v), _mm_andnot_si128(lead, x));
        __m128i lo = _mm_shuffle_epi8(v, _mm_loadl_epi64((const __m128i *)narrow[keep & 0xff]));
        __m128i hi = _mm_shuffle_epi8(_mm_srli_si128(v, 8), _mm_loadl_epi64((const __m128i *)narrow[keep >> 8]));
        _mm_storel_epi64((__m128i *)(out + k), lo);
        k += ones[keep & 0xff];
        _mm_storel_epi64((__m128i *)(out + k), hi);
        k += ones[keep >> 8];
        i += step;
    }
    *used = i;
    return k;
}

/* Base64 of the bytes at B (N of them), twelve at a time (each step
 * reads sixteen) into sixteen characters at OUT: pshufb and two
 * multiplications put each 6-bit digit in a byte, one more pshufb adds
 * the offset of its alphabet range (Mula and Lemire, "Faster Base64
 * Encoding and Decoding using AVX2 Instructions", 2018, in SSSE3).
 * URL selects base64url's two last digits. Returns the characters
 * written, *USED the bytes read (a multiple of 3). */
__attribute__((target("ssse3")))
size_t eider_enc_x86_base64(const unsigned char *b, size_t n, unsigned char *out, int url, size_t *used)
{
    const __m128i spread = _mm_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    /* Offset to add to digit v, by class: 0 'a'-26 (v 26-51), 1-10 '0'-52,
     * 11 the digit 62, 12 the digit 63, 13 'A' (v 0-25). */
    const __m128i offsets = url ? _mm_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -17, 32, 65, 0, 0)
                                : _mm_setr_epi8(71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 65, 0, 0);
    size_t i = 0, o = 0;

    for (; i + 16 <= n; i += 12, o += 16) {
        __m128i in = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(b + i)), spread);
        __m128i ac = _mm_mulhi_epu16(_mm_and_si128(in, _mm_set1_epi32(0x0fc0fc00)), _mm_set1_epi32(0x04000040));
        __m128i bd = _mm_mullo_epi16(_mm_and_si128(in, _mm_set1_epi32(0x003f03f0)), _mm_set1_epi32(0x01000010));
        __m128i v = _mm_or_si128(ac, bd);
        __m128i cls = _mm_subs_epu8(v, _mm_set1_epi8(51));
        cls = _mm_or_si128(cls, _mm_and_si128(_mm_cmpgt_epi8(_mm_set1_epi8(26), v), _mm_set1_epi8(13)));
        _mm_storeu_si128((__m128i *)(out + o), _mm_add_epi8(v, _mm_shuffle_epi8(offsets, cls)));
    }
    *used = i;
    return o;
}

/* Mask of the bytes of X that lie in [LO, HI] (all below 0x80). */
__attribute__((target("ssse3")))
static __m128i in_range(__m128i x, char lo, char hi)
{
    return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8((char)(lo - 1))), _mm_cmpgt_epi8(_mm_set1_epi8((char)(hi + 1)), x));
}

/* Base64 characters at S (N of them) to bytes at OUT, sixteen characters
 * (twelve bytes) a step while all sixteen are digits: of either alphabet,
 * or of the standard one only if STD_ONLY (atob). Range compares give
 * each digit's value; two multiply-adds and a pshufb pack them (Mula and
 * Lemire). Returns the bytes written, *USED the characters read (a
 * multiple of 4). */
__attribute__((target("ssse3")))
size_t eider_enc_x86_unbase64(const unsigned char *s, size_t n, unsigned char *out, int std_only, size_t *used)
{
    const __m128i pack = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    size_t i = 0, k = 0;

    for (; i + 16 <= n; i += 16, k += 12) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i upper = in_range(x, 'A', 'Z'), lower = in_range(x, 'a', 'z'), digit = in_range(x, '0', '9');
        __m128i d62 = _mm_cmpeq_epi8(x, _mm_set1_epi8('+')), d63 = _mm_cmpeq_epi8(x, _mm_set1_epi8('/'));
        if (!std_only) {
            d62 = _mm_or_si128(d62, _mm_cmpeq_epi8(x, _mm_set1_epi8('-')));
            d63 = _mm_or_si128(d63, _mm_cmpeq_epi8(x, _mm_set1_epi8('_')));
        }
        __m128i ok = _mm_or_si128(_mm_or_si128(upper, lower), _mm_or_si128(digit, _mm_or_si128(d62, d63)));
        if (_mm_movemask_epi8(ok) != 0xffff)
            break;
        __m128i v = _mm_and_si128(upper, _mm_sub_epi8(x, _mm_set1_epi8('A')));
        v = _mm_or_si128(v, _mm_and_si128(lower, _mm_sub_epi8(x, _mm_set1_epi8('a' - 26))));
        v = _mm_or_si128(v, _mm_and_si128(digit, _mm_add_epi8(x, _mm_set1_epi8(52 - '0'))));
        v = _mm_or_si128(v, _mm_or_si128(_mm_and_si128(d62, _mm_set1_epi8(62)), _mm_and_si128(d63, _mm_set1_epi8(63))));
        __m128i ab = _mm_maddubs_epi16(v, _mm_set1_epi32(0x01400140));
        __m128i abcd = _mm_shuffle_epi8(_mm_madd_epi16(ab, _mm_set1_epi32(0x00011000)), pack);
        _mm_storel_epi64((__m128i *)(out + k), abcd);
        uint32_t last = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(abcd, 8));
        memcpy(out + k + 8, &last, 4);
    }
    *used = i;
    return k;
}

#endif
