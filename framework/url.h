/*
 * Percent-decoding of path segments and query strings.
 */
#ifndef EIDER_URL_H
#define EIDER_URL_H

#include <stddef.h>

/* Decodes LEN bytes of IN into OUT (room for LEN + 1 bytes), NUL-terminates
 * it and returns the decoded length. "%XX" becomes a byte; a malformed
 * escape is kept as it is written (like Node's querystring). With
 * PLUS_AS_SPACE, "+" becomes " " (query strings, not paths). */
size_t eider_url_decode(const char *in, size_t len, char *out, int plus_as_space);

/* Calls CB(key, keylen, value, valuelen, ud) for each "k=v" pair of the
 * query string Q (without the "?"), decoded, in order. A pair without "="
 * has an empty value; empty pairs ("a=1&&b=2") are skipped. SCRATCH must
 * have room for LEN + 2 bytes. Stops early and returns -1 if CB does. */
int eider_query_foreach(const char *q, size_t len, char *scratch,
                        int (*cb)(const char *, size_t, const char *, size_t, void *),
                        void *ud);

#endif
