/*
 * fuzz_proxy_protocol: eider_proxy_protocol_parse() on fuzzed bytes, as a
 * connection delivers them: the verdict on every prefix must agree with
 * the verdict on the whole (a parser that said "need more" and then
 * "invalid", or "n bytes" and then something else, would make the gate's
 * answer depend on how TCP cut the stream).
 *
 * Properties, for prefixes p of the input (each parsed from a heap copy
 * of exactly p bytes, so ASan catches a read past LEN):
 *   - the result is -1, 0 or 1..p, and never 0 past EIDER_PROXY_PROTOCOL_MAX;
 *   - once a prefix is decided, every longer prefix gets the same verdict
 *     (same length and header, or -1 again), and a header is decided by
 *     the prefix that ends with its last byte;
 *   - *why is set (non-empty) exactly on -1, *out written only on > 0;
 *   - eider_proxy_protocol_addr() NUL-terminates in any room given and
 *     writes "" for a local header;
 *   - a parsed TCP header, written back as a v2 header, parses to the
 *     same addresses.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "fuzz.h"
#include "proxy_protocol.h"

/* Prefixes longer than this are decided: only this many are checked one
 * by one (the longest header plus some of what follows it). */
#define CHECKED (EIDER_PROXY_PROTOCOL_MAX + 64)

static const char *const unset_why = "(why untouched)";

static long parse_copy(const uint8_t *data, size_t len, struct eider_proxy_header *h,
                       const char **why)
{
    uint8_t *copy = malloc(len ? len : 1);
    long r;

    memcpy(copy, data, len);
    memset(h, 0xa5, sizeof(*h));
    *why = unset_why;
    r = eider_proxy_protocol_parse(copy, len, h, why);
    free(copy);
    return r;
}

static int same_header(const struct eider_proxy_header *a, const struct eider_proxy_header *b)
{
    return a->local == b->local && a->srclen == b->srclen && a->dstlen == b->dstlen
        && (a->local || (memcmp(&a->src, &b->src, a->srclen) == 0
                         && memcmp(&a->dst, &b->dst, a->dstlen) == 0));
}

/* The header H describes, as a v2 PROXY TCP header, into out (room for
 * 16 + 36). Returns its length, or 0 if H is not one v2 can say. */
static size_t to_v2(const struct eider_proxy_header *h, uint8_t *out)
{
    static const uint8_t sig[12] = "\r\n\r\n\0\r\nQUIT\n";
    size_t n = 16;

    if (h->local || h->src.ss_family != h->dst.ss_family)
        return 0;
    memcpy(out, sig, 12);
    out[12] = 0x21;
    if (h->src.ss_family == AF_INET) {
        const struct sockaddr_in *s = (const void *)&h->src, *d = (const void *)&h->dst;
        out[13] = 0x11;
        memcpy(out + n, &s->sin_addr, 4), n += 4;
        memcpy(out + n, &d->sin_addr, 4), n += 4;
        memcpy(out + n, &s->sin_port, 2), n += 2;
        memcpy(out + n, &d->sin_port, 2), n += 2;
    } else if (h->src.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const void *)&h->src, *d = (const void *)&h->dst;
        out[13] = 0x21;
        memcpy(out + n, &s->sin6_addr, 16), n += 16;
        memcpy(out + n, &d->sin6_addr, 16), n += 16;
        memcpy(out + n, &s->sin6_port, 2), n += 2;
        memcpy(out + n, &d->sin6_port, 2), n += 2;
    } else {
        return 0;
    }
    out[14] = (uint8_t)((n - 16) >> 8);
    out[15] = (uint8_t)(n - 16);
    return n;
}

static void check_header(const struct eider_proxy_header *h)
{
    char text[INET6_ADDRSTRLEN];
    uint8_t v2[16 + 36];
    size_t n2;

    FUZZ_ASSERT(h->local == 0 || h->local == 1, "local is %d", h->local);
    if (h->local) {
        FUZZ_ASSERT(h->srclen == 0 && h->dstlen == 0, "a local header with addresses");
    } else {
        int fam = h->src.ss_family;
        FUZZ_ASSERT((fam == AF_INET && h->srclen == sizeof(struct sockaddr_in))
                    || (fam == AF_INET6 && h->srclen == sizeof(struct sockaddr_in6)),
                    "source family %d, length %u", fam, (unsigned)h->srclen);
        fam = h->dst.ss_family;
        FUZZ_ASSERT((fam == AF_INET && h->dstlen == sizeof(struct sockaddr_in))
                    || (fam == AF_INET6 && h->dstlen == sizeof(struct sockaddr_in6)),
                    "destination family %d, length %u", fam, (unsigned)h->dstlen);
    }

    /* Every room from 1 byte up, in a heap block of exactly that size. */
    for (size_t room = 1; room <= sizeof(text); room++) {
        char *out = malloc(room);
        memset(out, 'x', room);
        eider_proxy_protocol_addr(h, out, room);
        FUZZ_ASSERT(memchr(out, '\0', room) != NULL, "addr() left %zu bytes unterminated", room);
        if (room == sizeof(text))
            memcpy(text, out, room);
        free(out);
    }
    FUZZ_ASSERT(!h->local || text[0] == '\0', "a local header's address is \"%s\"", text);
    FUZZ_ASSERT(h->local || text[0] != '\0', "an empty source address");

    n2 = to_v2(h, v2);
    if (n2 > 0) {
        struct eider_proxy_header again;
        const char *why;
        long r = parse_copy(v2, n2, &again, &why);
        FUZZ_ASSERT(r == (long)n2, "the same header as v2 parses to %ld (%s)", r,
                    r < 0 ? why : "-");
        FUZZ_ASSERT(same_header(h, &again), "the same header as v2 gives other addresses");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eider_proxy_header first, h;
    const char *why;
    long decided = 0;
    size_t upto = size < CHECKED ? size : CHECKED;

    for (size_t p = 0; p <= upto; p++) {
        long r = parse_copy(data, p, &h, &why);

        FUZZ_ASSERT(r >= -1 && r <= (long)p, "prefix %zu: result %ld", p, r);
        FUZZ_ASSERT(r != 0 || p <= EIDER_PROXY_PROTOCOL_MAX, "prefix %zu still undecided", p);
        FUZZ_ASSERT(r <= EIDER_PROXY_PROTOCOL_MAX, "a header of %ld bytes", r);
        if (r == -1)
            FUZZ_ASSERT(why != unset_why && why != NULL && why[0] != '\0',
                        "prefix %zu: -1 without a reason", p);
        else
            FUZZ_ASSERT(why == unset_why, "prefix %zu: *why written on %ld", p, r);
        if (r <= 0) {
            struct eider_proxy_header pristine;
            memset(&pristine, 0xa5, sizeof(pristine));
            FUZZ_ASSERT(memcmp(&h, &pristine, sizeof(h)) == 0, "prefix %zu: *out written on %ld",
                        p, r);
        }
        if (decided != 0) {
            FUZZ_ASSERT(r == decided, "prefix %zu: %ld after %ld on a shorter prefix", p, r,
                        decided);
            if (r > 0)
                FUZZ_ASSERT(same_header(&h, &first), "prefix %zu: another header", p);
            continue;
        }
        decided = r;
        /* The first decision on a header comes with its last byte. */
        FUZZ_ASSERT(r <= 0 || r == (long)p, "prefix %zu: a %ld-byte header decided late", p, r);
        if (r > 0) {
            first = h;
            check_header(&h);
        }
    }
    /* The whole input, when longer than what was checked byte by byte. */
    if (size > upto) {
        long r = parse_copy(data, size, &h, &why);
        FUZZ_ASSERT(r == decided, "whole input: %ld, prefixes said %ld", r, decided);
        if (r > 0)
            FUZZ_ASSERT(same_header(&h, &first), "whole input: another header");
    }
    return 0;
}
