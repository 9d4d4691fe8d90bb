/*
 * Percent-decoding. Kept apart from the router and the JS bindings so the
 * unit tests can reach it directly.
 */
#include "url.h"

#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t eider_url_decode(const char *in, size_t len, char *out, int plus_as_space)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        int hi, lo;
        if (c == '%' && i + 2 < len
            && (hi = hexval(in[i + 1])) >= 0 && (lo = hexval(in[i + 2])) >= 0) {
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out[o++] = ' ';
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    return o;
}

int eider_query_foreach(const char *q, size_t len, char *scratch,
                        int (*cb)(const char *, size_t, const char *, size_t, void *),
                        void *ud)
{
    const char *end = q + len;

    while (q < end) {
        const char *amp = memchr(q, '&', (size_t)(end - q));
        const char *pair_end = amp ? amp : end;
        const char *eq = memchr(q, '=', (size_t)(pair_end - q));
        const char *kend = eq ? eq : pair_end;

        if (pair_end > q) {
            size_t klen = eider_url_decode(q, (size_t)(kend - q), scratch, 1);
            char *val = scratch + klen + 1;
            size_t vlen = eq ? eider_url_decode(eq + 1, (size_t)(pair_end - eq - 1), val, 1) : 0;
            if (!eq)
                val[0] = '\0';
            if (cb(scratch, klen, val, vlen, ud) < 0)
                return -1;
        }
        q = pair_end + (amp ? 1 : 0);
    }
    return 0;
}
