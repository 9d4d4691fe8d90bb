/*
 * ECMAScript regular expressions on PCRE2 (the 16-bit library: JavaScript
 * strings are UTF-16, so indices, lastIndex and the matching of a pattern
 * without the u flag are in code units exactly as in V8).
 *
 * The pattern is translated from ECMAScript syntax to PCRE2's (regexp.c):
 * every escape is made explicit (\d, \w, \s as ECMAScript's ASCII and
 * Unicode sets, \uXXXX as \x{...}), `.` and the m flag's ^ and $ as
 * ECMAScript's line terminators, identity escapes of letters PCRE2 gives a
 * meaning (\A, \Q, \h, ...) as the letter, and constructs ECMAScript
 * refuses (possessive quantifiers, (?i), (?>...)) refused here too.
 * Used by the worker heaps (js_regexp.c) and by the lowering helper, which
 * checks each literal when it lowers a file so that eider -t names its
 * file:line.
 */
#ifndef EIDER_REGEXP_H
#define EIDER_REGEXP_H

#define PCRE2_CODE_UNIT_WIDTH 16
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

/* The flags of a RegExp, as bits. */
enum {
    EIDER_RE_G = 1, EIDER_RE_I = 2, EIDER_RE_M = 4, EIDER_RE_S = 8,
    EIDER_RE_U = 16, EIDER_RE_Y = 32, EIDER_RE_D = 64
};

/* A growable buffer of UTF-16 code units (plain malloc: variable size). */
struct eider_u16 {
    uint16_t *p;
    size_t n, cap;
};

void eider_u16_put(struct eider_u16 *b, uint16_t c);
void eider_u16_free(struct eider_u16 *b);

/* Decodes Duktape's internal string (CESU-8 / extended UTF-8: a 4-byte
 * sequence becomes a surrogate pair) of LEN bytes into OUT (emptied
 * first). If BOFF is not NULL it gets, per code unit and one past the
 * end, the byte offset where the unit starts (the second unit of a pair
 * made from a 4-byte sequence: EIDER_RE_MIDCHAR). Returns 1 if every byte
 * was ASCII. */
#define EIDER_RE_MIDCHAR 0x80000000u
int eider_u16_decode(const char *s, size_t len, struct eider_u16 *out, uint32_t **boff, size_t *boffcap);

/* Encodes units [from, to) of U as UTF-8 (a surrogate pair as one 4-byte
 * sequence, a lone surrogate as 3 bytes, as Duktape does) appended to
 * *out (plain realloc'd; *len and *cap its length and size). */
void eider_u16_encode(const uint16_t *u, size_t from, size_t to, char **out, size_t *len, size_t *cap);

/* Parses FLAGS (e.g. "gi") into bits. Returns 0, or -1 with the
 * ECMAScript SyntaxError's message in err. */
int eider_re_flags(const char *flags, size_t n, unsigned *bits, char *err, size_t errlen);

/* PCRE2's message for error CODE, as UTF-8, into BUF (CAP bytes). */
void eider_re_error_text(int code, char *buf, size_t cap);

/* Compiles ECMAScript pattern PAT (N code units) with flag bits FLAGS,
 * JIT-compiled where the platform has it. Returns the code (the caller
 * frees it with pcre2_code_free_16), or NULL with the message of the
 * SyntaxError (without the "/pattern/: " prefix) in err. */
pcre2_code_16 *eider_re_compile(const uint16_t *pat, size_t n, unsigned flags, char *err, size_t errlen);

/* Checks one literal's body and flags (UTF-8) as the lowering sees them.
 * Returns 0, or -1 with the reason in err. */
int eider_re_check(const char *body, size_t blen, const char *flags, char *err, size_t errlen);

#endif
