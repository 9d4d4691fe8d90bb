/*
 * encoding_x86.c: SSSE3 versions of encoding.c's latin1 and base64 loops, for
 * encoding.c only. Each does the leading part of its input that it can
 * and says how much in *USED; encoding.c's scalar loop does the rest.
 */
#ifndef EIDER_ENCODING_SIMD_H
#define EIDER_ENCODING_SIMD_H

#include <stddef.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EIDER_ENC_X86 1

/* 1 if this CPU has SSSE3 (asked once; builds the tables then). */
int eider_enc_x86_ok(void);

/* Bytes (N at B) to latin1 text at OUT (room for 2n): whole blocks of 16
 * bytes; returns the text's length, *USED the bytes read. */
size_t eider_enc_x86_latin1_text(const unsigned char *b, size_t n, unsigned char *out, size_t *used);

/* Latin1 text (N bytes at S) to bytes at OUT (room for n), in blocks
 * while the text holds only code units 0-255, stopping short of the last
 * 16 bytes; returns the bytes written, *USED the text read (always at a
 * character's start). */
size_t eider_enc_x86_latin1_bytes(const unsigned char *s, size_t n, unsigned char *out, size_t *used);

/* Bytes (N at B) to base64 (base64url if URL, no padding either way) at
 * OUT, in whole steps of 12 bytes; returns the characters written,
 * *USED the bytes read. */
size_t eider_enc_x86_base64(const unsigned char *b, size_t n, unsigned char *out, int url, size_t *used);

/* Base64 text (N bytes at S) to bytes at OUT, in steps of 16 digits of
 * either alphabet (the standard one only if STD_ONLY) up to the first
 * step holding anything else; returns the bytes written, *USED the
 * characters read. */
size_t eider_enc_x86_unbase64(const unsigned char *s, size_t n, unsigned char *out, int std_only, size_t *used);

#else
#define EIDER_ENC_X86 0
#endif

#endif
