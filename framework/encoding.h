/*
 * Byte <-> text encodings as Node's Buffer has them (hex, base64,
 * base64url, latin1, ascii, utf16le, utf8), on plain memory: no engine,
 * no allocation. js_buffer.c binds them for Buffer, TextDecoder and
 * atob/btoa, js_crypto.c for digest() and update().
 *
 * "Text" here is the engine's internal string form: UTF-8 where every
 * UTF-16 code unit outside the BMP range is its own 3-byte sequence
 * (CESU-8, what Duktape makes of "\ud83d\ude00"); a 4-byte sequence, which
 * strings pushed from C may hold, is read as its two code units.
 *
 * Every function writes at most the bound its comment gives; the caller
 * sizes OUT with it.
 */
#ifndef EIDER_ENCODING_H
#define EIDER_ENCODING_H

#include <stddef.h>

enum eider_enc {
    EIDER_ENC_UTF8, EIDER_ENC_HEX, EIDER_ENC_BASE64, EIDER_ENC_BASE64URL,
    EIDER_ENC_LATIN1, EIDER_ENC_ASCII, EIDER_ENC_UTF16LE,
    EIDER_ENC_NONE = -1
};

/* The encoding Node calls NAME (any case: "utf-8", "binary", "ucs2", ...),
 * or EIDER_ENC_NONE. */
enum eider_enc eider_enc_find(const char *name);

/* Text (N bytes) to bytes, Node's lenient decoders. Hex: pairs until the
 * first that is not hex, out <= n / 2. Base64 and base64url: either
 * alphabet, other characters skipped, stops at the first '=', out <=
 * n * 3 / 4 + 1. Latin1 and ascii: the low byte of each UTF-16 code unit,
 * out <= n. UTF-16LE: two bytes per code unit, out <= 2 * n. UTF-8:
 * surrogate pairs joined into 4-byte sequences, lone surrogates U+FFFD,
 * out <= n. Returns the bytes written. */
size_t eider_enc_decode(enum eider_enc enc, const unsigned char *s, size_t n, unsigned char *out);

/* Latin1 decoding of the text at S (N bytes) while its code units are
 * 0-255: writes their bytes to OUT (<= n), returns how many, and sets
 * *USED to the text bytes read (< N if a unit above 0xff stops it: btoa
 * refuses those). */
size_t eider_enc_latin1_run(const unsigned char *s, size_t n, unsigned char *out, size_t *used);

/* Base64 (the standard alphabet only, as atob) of the text at S (N
 * bytes), in whole groups of four digits up to the first group holding
 * anything else (padding, whitespace, '-'): writes their bytes to OUT
 * (<= n / 4 * 3 + 1), returns how many, *USED the characters read. */
size_t eider_enc_base64_groups(const unsigned char *s, size_t n, unsigned char *out, size_t *used);

/* The length eider_enc_decode() would give, without writing. */
size_t eider_enc_decoded_length(enum eider_enc enc, const unsigned char *s, size_t n);

/* Upper bound of eider_enc_decode()'s output for N bytes of text. */
size_t eider_enc_decode_bound(enum eider_enc enc, size_t n);

/* Bytes (N) to text. Hex 2n; base64 with padding, base64url without;
 * latin1 <= 2n; ascii (each byte & 0x7f) n; utf16le <= 3 * (n / 2);
 * utf8 <= 3n: invalid sequences become U+FFFD (WHATWG's "maximal
 * subpart" rule, as Node and TextDecoder), characters past U+FFFF
 * surrogate pairs. Returns the bytes written. */
size_t eider_enc_encode(enum eider_enc enc, const unsigned char *b, size_t n, unsigned char *out);

/* Upper bound of eider_enc_encode()'s output for N bytes. */
size_t eider_enc_encode_bound(enum eider_enc enc, size_t n);

/* 1 if the N bytes at B are already text (eider_enc_encode(UTF8) would
 * give them unchanged): UTF-8 within the BMP, no surrogates. */
int eider_enc_utf8_is_text(const unsigned char *b, size_t n);

#endif
