/*
 * Unit tests for framework/proxy_protocol.c. Every input is copied into a
 * buffer malloc'd at exactly its length, so valgrind reports any read past
 * LEN; every valid header is also fed as each of its prefixes, which must
 * all answer "need more" (0), and every invalid one is checked to fail at
 * the first byte that rules it out, and from then on.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "proxy_protocol.h"
#include "unit.h"

/* Parses the first LEN bytes of DATA from an exactly-sized copy. */
static long parse_n(const void *data, size_t len, struct eider_proxy_header *h, const char **why)
{
    unsigned char *copy = malloc(len ? len : 1);
    long r;

    memcpy(copy, data, len);
    *why = NULL;
    r = eider_proxy_protocol_parse(copy, len, h, why);
    free(copy);
    return r;
}

/* 1 if DATA (LEN bytes) is one whole valid header: every shorter prefix
 * gives 0, the whole gives LEN, and so does the whole followed by a
 * request (the parser must stop at the header's end). Fills *H. */
static int valid_header(const void *data, size_t len, struct eider_proxy_header *h)
{
    static const char tail[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    unsigned char *more = malloc(len + sizeof(tail) - 1);
    const char *why;
    long r;

    for (size_t n = 0; n < len; n++) {
        if ((r = parse_n(data, n, h, &why)) != 0) {
            printf("  prefix of %zu/%zu bytes gave %ld (%s)\n", n, len, r, why ? why : "-");
            free(more);
            return 0;
        }
    }
    memcpy(more, data, len);
    memcpy(more + len, tail, sizeof(tail) - 1);
    r = parse_n(more, len + sizeof(tail) - 1, h, &why);
    free(more);
    if (r != (long)len) {
        printf("  header + request gave %ld, expected %zu (%s)\n", r, len, why ? why : "-");
        return 0;
    }
    memset(h, 0xa5, sizeof(*h));   /* the final parse must fill it all */
    r = parse_n(data, len, h, &why);
    if (r != (long)len) {
        printf("  %zu-byte header gave %ld (%s)\n", len, r, why ? why : "-");
        return 0;
    }
    return 1;
}

/* The shortest prefix of DATA (LEN bytes) that gives -1, or 0 if none
 * does. Checks on the way that shorter prefixes give 0, longer ones -1,
 * and that every -1 names its reason. */
static size_t fails_at(const void *data, size_t len)
{
    struct eider_proxy_header h;
    const char *why;
    size_t first = 0;

    for (size_t n = 1; n <= len; n++) {
        long r = parse_n(data, n, &h, &why);
        if (first == 0 && r == -1) {
            first = n;
            if (why == NULL || why[0] == '\0') {
                printf("  -1 without a reason at %zu bytes\n", n);
                return (size_t)-1;
            }
        } else if (first == 0 && r != 0) {
            printf("  prefix of %zu bytes gave %ld, expected 0 or -1\n", n, r);
            return (size_t)-1;
        } else if (first != 0 && r != -1) {
            printf("  %zu bytes gave %ld after %zu bytes gave -1\n", n, r, first);
            return (size_t)-1;
        }
    }
    return first;
}

#define V1_VALID(s, h) CHECK(valid_header((s), strlen(s), (h)))
/* S is refused once its first AT bytes have arrived. */
#define V1_FAILS_AT(s, at) CHECK_INT(fails_at((s), strlen(s)), (at))

/* The text of the source address, and the ports, of a parsed header. */
static const char *src_text(const struct eider_proxy_header *h)
{
    static char buf[INET6_ADDRSTRLEN];
    eider_proxy_protocol_addr(h, buf, sizeof(buf));
    return buf;
}

static const char *dst_text(const struct eider_proxy_header *h)
{
    static char buf[INET6_ADDRSTRLEN];
    const void *a = h->dst.ss_family == AF_INET
        ? (const void *)&((const struct sockaddr_in *)&h->dst)->sin_addr
        : (const void *)&((const struct sockaddr_in6 *)&h->dst)->sin6_addr;
    if (inet_ntop(h->dst.ss_family, a, buf, sizeof(buf)) == NULL)
        return "(bad family)";
    return buf;
}

static unsigned port_of(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)ss)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* ------------------------------------------------------------------ v2 headers */

static const unsigned char SIG[12] = {
    0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

/* Writes a v2 header into OUT: signature, VER_CMD, FAM, the 16-bit length
 * of BODY (or LENGTH when >= 0, to lie about it), then BODY. Returns the
 * bytes written. */
static size_t v2(unsigned char *out, unsigned ver_cmd, unsigned fam, const void *body,
                 size_t bodylen, long length)
{
    size_t n = length >= 0 ? (size_t)length : bodylen;
    memcpy(out, SIG, 12);
    out[12] = (unsigned char)ver_cmd;
    out[13] = (unsigned char)fam;
    out[14] = (unsigned char)(n >> 8);
    out[15] = (unsigned char)n;
    if (bodylen)
        memcpy(out + 16, body, bodylen);
    return 16 + bodylen;
}

/* 192.0.2.1:56324 -> 198.51.100.2:443 */
static const unsigned char INET_BLOCK[12] = {
    192, 0, 2, 1, 198, 51, 100, 2, 0xdc, 0x04, 0x01, 0xbb
};

/* 2001:db8::1:51234 -> 2001:db8::2:8443 */
static const unsigned char INET6_BLOCK[36] = {
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
    0xc8, 0x22, 0x20, 0xfb
};

/* 2001:db8::1:51234 -> 2001:db8::2:8443 as ::ffff:203.0.113.9 -> ::1 */
static const unsigned char MAPPED_BLOCK[36] = {
    [10] = 0xff, 0xff, 203, 0, 113, 9, [31] = 1
};

/* AF_UNIX stream: 216 address bytes, then an ALPN TLV "h2" */
static const unsigned char UNIX_BLOCK[216 + 5] = {
    '/', 'r', 'u', 'n', '/', 'h', 'a', 'p', 'r', 'o', 'x', 'y', '.', 's', 'o', 'c', 'k',
    [216] = 0x01, 0, 2, 'h', '2'
};

static const unsigned char ZERO_BLOCK[216];

/* ------------------------------------------------------------------ valid headers */

/* One valid header and what it must say. */
struct header_want {
    const char *line;            /* a v1 line, or NULL: the v2 header below */
    unsigned ver_cmd, fam;       /* v2: as for v2() */
    const void *block;
    size_t blocklen;
    size_t size;                 /* v2: the header's bytes, 0: not checked */
    int local;                   /* -1: not checked; 1 also means no addresses */
    int family;                  /* of both addresses (and their lengths), 0: not checked */
    const char *src, *dst;       /* as text, NULL: not checked */
    int sport, dport;            /* -1: not checked */
};

/* Headers that test one thing; each row reports as NAME/N. */
struct header_group {
    const char *name;
    const struct header_want *rows;   /* ends at a row with neither line nor ver_cmd */
};

#define V1(line) (line), 0, 0, NULL, 0, 0
#define V2(ver_cmd, fam, block, blocklen) NULL, (ver_cmd), (fam), (block), (blocklen), 0
#define V2_SIZED(ver_cmd, fam, block, blocklen, size) NULL, (ver_cmd), (fam), (block), (blocklen), (size)
/* A LOCAL (or equivalent) header: no addresses. */
#define LOCAL(header) { header, 1, 0, "", NULL, -1, -1 }
#define ANY -1, 0, NULL, NULL, -1, -1
#define END_HEADERS { NULL, 0, 0, NULL, 0, 0, ANY }

static const struct header_group headers[] = {
    { "v1_tcp4", (const struct header_want[]){
        { V1("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"),
          0, AF_INET, "192.0.2.1", "198.51.100.2", 56324, 443 },
        END_HEADERS } },
    { "v1_tcp4_edges", (const struct header_want[]){
        { V1("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n"),
          -1, 0, "0.0.0.0", "255.255.255.255", 0, 65535 },
        { V1("PROXY TCP4 1.2.3.4 5.6.7.8 10 9\r\n"), -1, 0, NULL, NULL, 10, 9 },
        /* the longest TCP4 line */
        { V1("PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n"),
          -1, 0, "255.255.255.255", NULL, -1, -1 },
        END_HEADERS } },
    { "v1_tcp6", (const struct header_want[]){
        { V1("PROXY TCP6 2001:db8::1 2001:db8::2 51234 8443\r\n"),
          0, AF_INET6, "2001:db8::1", "2001:db8::2", 51234, 8443 },
        { V1("PROXY TCP6 :: ::1 0 1\r\n"), -1, 0, "::", "::1", -1, -1 },
        /* upper case, full length, embedded IPv4 tail */
        { V1("PROXY TCP6 2001:0DB8:00AB:00CD:00EF:0123:4567:89AB ::ffff:1.2.3.4 1 2\r\n"),
          -1, 0, "2001:db8:ab:cd:ef:123:4567:89ab", NULL, -1, -1 },
        END_HEADERS } },
    /* the sockaddr stays as sent; its text is the IPv4 address */
    { "v1_tcp6_mapped_shown_as_ipv4", (const struct header_want[]){
        { V1("PROXY TCP6 ::ffff:203.0.113.9 ::1 1000 80\r\n"),
          -1, AF_INET6, "203.0.113.9", NULL, -1, -1 },
        END_HEADERS } },
    { "v1_unknown", (const struct header_want[]){
        LOCAL(V1("PROXY UNKNOWN\r\n")),
        LOCAL(V1("PROXY UNKNOWN 192.0.2.1 198.51.100.2 56324 443\r\n")),
        LOCAL(V1("PROXY UNKNOWN \r\n")),
        END_HEADERS } },
    { "v2_tcp4", (const struct header_want[]){
        { V2_SIZED(0x21, 0x11, INET_BLOCK, 12, 28),
          0, AF_INET, "192.0.2.1", "198.51.100.2", 56324, 443 },
        END_HEADERS } },
    { "v2_tcp6", (const struct header_want[]){
        { V2_SIZED(0x21, 0x21, INET6_BLOCK, 36, 52),
          0, AF_INET6, "2001:db8::1", "2001:db8::2", 51234, 8443 },
        END_HEADERS } },
    { "v2_tcp6_mapped_shown_as_ipv4", (const struct header_want[]){
        { V2(0x21, 0x21, MAPPED_BLOCK, 36), -1, 0, "203.0.113.9", NULL, -1, -1 },
        END_HEADERS } },
    { "v2_local", (const struct header_want[]){
        /* what HAProxy sends for its health checks */
        LOCAL(V2(0x20, 0x00, NULL, 0)),
        /* LOCAL with an address block: the block is ignored */
        LOCAL(V2(0x20, 0x11, INET_BLOCK, 12)),
        /* ...and so is the family byte, whatever it says (spec: "discard
         * the protocol block including the family") */
        LOCAL(V2(0x20, 0xff, "abc", 3)),
        LOCAL(V2(0x20, 0x12, NULL, 0)),
        END_HEADERS } },
    { "v2_unspec_and_unix_are_local", (const struct header_want[]){
        LOCAL(V2(0x21, 0x00, NULL, 0)),
        LOCAL(V2(0x21, 0x01, "junk", 4)),
        /* INET with an unspecified transport: no address is believed */
        LOCAL(V2(0x21, 0x10, INET_BLOCK, 12)),
        LOCAL(V2(0x21, 0x20, INET6_BLOCK, 36)),
        /* AF_UNIX stream, with and without a TLV after the address */
        LOCAL(V2(0x21, 0x31, UNIX_BLOCK, sizeof(UNIX_BLOCK))),
        LOCAL(V2(0x21, 0x30, UNIX_BLOCK, 216)),
        END_HEADERS } },
};

/* Checks the parsed header H against W; every failure names the field. */
static void check_header(const struct header_want *w, const struct eider_proxy_header *h)
{
    size_t alen = w->family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);

    if (w->local >= 0)
        CHECKF(h->local == w->local, "local is %d, expected %d", h->local, w->local);
    if (w->local == 1)
        CHECKF(h->srclen == 0 && h->dstlen == 0, "a local header has address lengths %u and %u",
               (unsigned)h->srclen, (unsigned)h->dstlen);
    if (w->family != 0)
        CHECKF(h->src.ss_family == w->family && h->dst.ss_family == w->family
               && h->srclen == alen && h->dstlen == alen,
               "families %d/%d with lengths %u/%u, expected %d with %zu", h->src.ss_family,
               h->dst.ss_family, (unsigned)h->srclen, (unsigned)h->dstlen, w->family, alen);
    if (w->src != NULL)
        CHECKF(strcmp(src_text(h), w->src) == 0, "source \"%s\", expected \"%s\"", src_text(h), w->src);
    if (w->dst != NULL)
        CHECKF(strcmp(dst_text(h), w->dst) == 0, "destination \"%s\", expected \"%s\"",
               dst_text(h), w->dst);
    if (w->sport >= 0)
        CHECKF(port_of(&h->src) == (unsigned)w->sport, "source port %u, expected %d",
               port_of(&h->src), w->sport);
    if (w->dport >= 0)
        CHECKF(port_of(&h->dst) == (unsigned)w->dport, "destination port %u, expected %d",
               port_of(&h->dst), w->dport);
}

/* Each row of headers[] is a case NAME/N: valid_header() (every prefix
 * waits, the header stops before a request after it), then its fields. */
TEST(header_table)
{
    unsigned char b[600];
    char name[128];

    for (size_t g = 0; g < sizeof(headers) / sizeof(headers[0]); g++)
        for (int i = 0; headers[g].rows[i].line != NULL || headers[g].rows[i].ver_cmd != 0; i++) {
            const struct header_want *w = &headers[g].rows[i];
            struct eider_proxy_header h;
            const void *data = w->line;
            size_t n = w->line ? strlen(w->line) : 0;
            int ok;

            if (w->line == NULL) {
                data = b;
                n = v2(b, w->ver_cmd, w->fam, w->block, w->blocklen, -1);
                if (w->size != 0)
                    CHECKF(n == w->size, "the v2 header is %zu bytes, expected %zu", n, w->size);
            }
            ok = valid_header(data, n, &h);
            CHECKF(ok, "row %d of %s is not a valid header", i + 1, headers[g].name);
            if (ok)
                check_header(w, &h);
            snprintf(name, sizeof(name), "%s/%d", headers[g].name, i + 1);
            unit_report(name);
        }
}

/* ------------------------------------------------------------------ refused headers */

/* One input and the prefix length at which it is refused (fails_at()). */
struct refusal {
    const char *bytes;           /* v1 or raw bytes, or NULL: the v2 header below */
    size_t len;                  /* of BYTES, 0: strlen */
    unsigned ver_cmd, fam;       /* v2: as for v2() */
    const void *block;
    size_t blocklen;
    long length;                 /* the length field, -1: the block's */
    size_t n;                    /* v2: bytes offered, 0: the whole header */
    size_t at;
};

struct refusal_group {
    const char *name;
    const struct refusal *rows;  /* ends at a row with neither bytes nor ver_cmd */
};

/* The v1 line S is refused at its byte AT. */
#define LINE(s, at) { (s), 0, 0, 0, NULL, 0, -1, 0, (at) }
/* The first LEN bytes of S are refused at AT. */
#define BYTES(s, len, at) { (s), (len), 0, 0, NULL, 0, -1, 0, (at) }
/* The v2 header of VER_CMD, FAM and BLOCK is refused at AT. */
#define V2_AT(ver_cmd, fam, block, blocklen, at) { NULL, 0, (ver_cmd), (fam), (block), (blocklen), -1, 0, (at) }
/* Its first N bytes, with the length field LENGTH, are refused at AT. */
#define V2_LIE(ver_cmd, fam, block, blocklen, length, n, at) \
    { NULL, 0, (ver_cmd), (fam), (block), (blocklen), (length), (n), (at) }
#define END { NULL, 0, 0, 0, NULL, 0, -1, 0, 0 }

static const struct refusal_group refusals[] = {
    { "v1_not_a_header", (const struct refusal[]){
        LINE("GET / HTTP/1.1\r\n\r\n", 1),
        LINE("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", 1),
        LINE("Proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", 2),
        LINE("PROXYTCP4 1.2.3.4 5.6.7.8 1 2\r\n", 6),
        LINE("PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n", 6),
        LINE("PUT / HTTP/1.1\r\n\r\n", 2),
        LINE("\x16\x03\x01\x02\x00", 1), /* a TLS ClientHello */
        BYTES("", 0, 0),
        END } },
    { "v1_bad_protocol", (const struct refusal[]){
        LINE("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", 10),
        LINE("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", 7),
        LINE("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", 8), /* "U" could be UNKNOWN */
        LINE("PROXY TCP4\r\n", 11),
        LINE("PROXY UNKNOWNX\r\n", 14),
        LINE("PROXY UNKNOWN\n", 14),
        LINE("PROXY UNKNOWN\rX", 15),
        LINE("PROXY UNKNOWN \x01\r\n", 15),
        LINE("PROXY UNKNOWN a\nb\r\n", 16),
        LINE("PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", 7),
        END } },
    { "v1_double_and_missing_spaces", (const struct refusal[]){
        LINE("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", 12),
        LINE("PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", 20),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8  1 2\r\n", 28),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1  2\r\n", 30),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", 31),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1 \r\n", 30),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", 29),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8\r\n", 27),
        LINE("PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n", 19),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", 31),
        END } },
    { "v1_bad_ports", (const struct refusal[]){
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 65536 80\r\n", 32),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 80 65536\r\n", 35),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 99999 80\r\n", 32),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 655350 80\r\n", 33),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 01 80\r\n", 29),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 80 00\r\n", 32),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 +1 80\r\n", 28),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 -1 80\r\n", 28),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 0x10 80\r\n", 29),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 http 80\r\n", 28),
        END } },
    { "v1_bad_ipv4", (const struct refusal[]){
        LINE("PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", 20),
        LINE("PROXY TCP4 1.2.3.999 5.6.7.8 1 2\r\n", 20),
        LINE("PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", 13),
        LINE("PROXY TCP4 1.2.3.04 5.6.7.8 1 2\r\n", 19),
        LINE("PROXY TCP4 1.256.3.4 5.6.7.8 1 2\r\n", 16),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8.9 1 2\r\n", 27),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8x 1 2\r\n", 27),
        LINE("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", 17),
        LINE("PROXY TCP4 1.2.3. 5.6.7.8 1 2\r\n", 18),
        LINE("PROXY TCP4 1..2.3 5.6.7.8 1 2\r\n", 14),
        LINE("PROXY TCP4 .1.2.3 5.6.7.8 1 2\r\n", 12),
        LINE("PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n", 19),
        LINE("PROXY TCP4 localhost 5.6.7.8 1 2\r\n", 12),
        LINE("PROXY TCP4 1.2.3.4 5.6.7 1 2\r\n", 25),
        /* TCP4 with an IPv6 address: refused at the first byte no IPv4
        * address has ("2001" is no octet; then the colon) */
        LINE("PROXY TCP4 2001:db8::1 5.6.7.8 1 2\r\n", 15),
        LINE("PROXY TCP4 fe80::1 5.6.7.8 1 2\r\n", 12),
        LINE("PROXY TCP4 10::1 5.6.7.8 1 2\r\n", 14),
        LINE("PROXY TCP4 ::ffff:1.2.3.4 5.6.7.8 1 2\r\n", 12),
        END } },
    { "v1_bad_ipv6", (const struct refusal[]){
        /* TCP6 with an IPv4 address: digits and dots could still start an
        * IPv6 address, so it is refused when the address ends */
        LINE("PROXY TCP6 1.2.3.4 ::1 1 2\r\n", 19),
        LINE("PROXY TCP6 ::1 1.2.3.4 1 2\r\n", 23),
        LINE("PROXY TCP6 2001:db8:::1 ::1 1 2\r\n", 24),
        LINE("PROXY TCP6 2001:db8::g ::1 1 2\r\n", 22),
        LINE("PROXY TCP6 [::1] ::1 1 2\r\n", 12),
        LINE("PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", 19),
        LINE("PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n", 29),
        /* 46 characters: longer than any IPv6 address text */
        LINE("PROXY TCP6 0000:0000:0000:0000:0000:0000:0000:0000:0000:0 ::1 1 2\r\n", 57),
        END } },
    { "v1_bad_terminator", (const struct refusal[]){
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", 31),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n", 32),
        LINE("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX", 32),
        BYTES("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\0", 32, 32),
        LINE("PROXY TCP4 1.2.3.4\r\n", 19),
        END } },
    { "v2_bad_signature", (const struct refusal[]){
        /* "\r\n\r\n" then an HTTP request: not a header */
        BYTES("\r\n\r\nGET / HTTP/1.1\r\n\r\n", 22, 5),
        END } },
    { "v2_bad_version_and_command", (const struct refusal[]){
        V2_AT(0x11, 0x11, INET_BLOCK, 12, 13),
        V2_AT(0x31, 0x11, INET_BLOCK, 12, 13),
        V2_AT(0x01, 0x11, INET_BLOCK, 12, 13),
        V2_AT(0x22, 0x11, INET_BLOCK, 12, 13),
        V2_AT(0x2f, 0x00, NULL, 0, 13),
        END } },
    { "v2_bad_family_and_transport", (const struct refusal[]){
        V2_AT(0x21, 0x12, INET_BLOCK, 12, 14),        /* UDP over IPv4 */
        V2_AT(0x21, 0x22, INET6_BLOCK, 36, 14),       /* UDP over IPv6 */
        V2_AT(0x21, 0x32, ZERO_BLOCK, 216, 14),       /* unix datagram */
        V2_AT(0x21, 0x02, NULL, 0, 14),               /* unspec datagram */
        V2_AT(0x21, 0x41, INET_BLOCK, 12, 14),        /* family 4 */
        V2_AT(0x21, 0xf1, INET_BLOCK, 12, 14),
        V2_AT(0x21, 0x13, INET_BLOCK, 12, 14),        /* transport 3 */
        END } },
    { "v2_short_length", (const struct refusal[]){
        V2_AT(0x21, 0x11, INET_BLOCK, 11, 16),
        V2_AT(0x21, 0x11, NULL, 0, 16),
        V2_AT(0x21, 0x21, INET6_BLOCK, 35, 16),
        V2_AT(0x21, 0x21, INET_BLOCK, 12, 16),        /* IPv6 announced, IPv4 sent */
        V2_AT(0x21, 0x31, ZERO_BLOCK, 215, 16),
        V2_AT(0x21, 0x10, INET_BLOCK, 4, 16),
        END } },
    /* refused as soon as the length says more than 536 bytes, before
     * anything else arrives */
    { "v2_over_cap", (const struct refusal[]){
        V2_LIE(0x21, 0x11, INET_BLOCK, 12, 521, 28, 16),
        V2_LIE(0x21, 0x11, INET_BLOCK, 12, 0xffff, 28, 16),
        V2_LIE(0x20, 0x00, NULL, 0, 4096, 16, 16),    /* LOCAL too */
        END } },
};

/* Each row of refusals[] is a case NAME/N: fails_at() checks every
 * prefix (0 before AT, -1 with a reason from AT on). */
TEST(refusal_table)
{
    unsigned char b[600];
    char name[128];

    for (size_t g = 0; g < sizeof(refusals) / sizeof(refusals[0]); g++)
        for (int i = 0; refusals[g].rows[i].bytes != NULL || refusals[g].rows[i].ver_cmd != 0; i++) {
            const struct refusal *w = &refusals[g].rows[i];
            const void *data = w->bytes;
            size_t n = w->bytes ? (w->len ? w->len : strlen(w->bytes)) : 0, at;

            if (w->bytes == NULL) {
                data = b;
                n = v2(b, w->ver_cmd, w->fam, w->block, w->blocklen, w->length);
                if (w->n != 0)
                    n = w->n;
            }
            at = fails_at(data, n);
            CHECKF(at == w->at, "row %d of %s: refused at byte %zu, expected %zu",
                   i + 1, refusals[g].name, at, w->at);
            snprintf(name, sizeof(name), "%s/%d", refusals[g].name, i + 1);
            unit_report(name);
        }
}

/* ------------------------------------------------------------------ what the tables cannot say */

TEST(v1_tcp6_longest_line)
{
    /* 39-character addresses: the spec's longest TCP6 line, 104 bytes */
    const char *a = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    char line[160];
    struct eider_proxy_header h;
    snprintf(line, sizeof(line), "PROXY TCP6 %s %s 65535 65535\r\n", a, a);
    CHECK_INT(strlen(line), 104);
    V1_VALID(line, &h);
    CHECK_STR(src_text(&h), a);
    /* 45-character spellings are valid addresses, but the line would be
     * 116 bytes: the 107-byte bound wins */
    a = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
    snprintf(line, sizeof(line), "PROXY TCP6 %s %s 65535 65535\r\n", a, a);
    CHECK_INT(strlen(line), 116);
    V1_FAILS_AT(line, 107);
    snprintf(line, sizeof(line), "PROXY TCP6 %s ::1 65535 65535\r\n", a);
    V1_VALID(line, &h);
    CHECK_STR(src_text(&h), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST(v1_unknown_longest_line)
{
    /* The spec's worst case: exactly 107 bytes, accepted. */
    const char *a = "ffff:f...:ffff";
    char line[200];
    struct eider_proxy_header h;
    snprintf(line, sizeof(line), "PROXY UNKNOWN %s", a);
    while (strlen(line) < 105)
        strcat(line, "x");
    strcat(line, "\r\n");
    CHECK_INT(strlen(line), 107);
    V1_VALID(line, &h);
    CHECK_INT(h.local, 1);
}

TEST(v1_too_long)
{
    /* UNKNOWN lines of 108 bytes and more: refused once 107 bytes hold no
     * complete line; every shorter prefix still waits */
    char line[300];
    snprintf(line, sizeof(line), "PROXY UNKNOWN ");
    while (strlen(line) < 106)
        strcat(line, "x");
    strcat(line, "\r\n");
    CHECK_INT(strlen(line), 108);
    CHECK_INT(fails_at(line, strlen(line)), 107);
    while (strlen(line) < 250)
        strcat(line, "y");
    CHECK_INT(fails_at(line, strlen(line)), 107);
    /* no CRLF at all */
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    memcpy(line, "PROXY UNKNOWN ", 14);
    CHECK_INT(fails_at(line, strlen(line)), 107);
}

TEST(v2_tlvs_skipped)
{
    unsigned char blk[64], b[128];
    struct eider_proxy_header h;
    size_t n = 12;
    memcpy(blk, INET_BLOCK, 12);
    /* ALPN "h2", an empty NOOP, an AUTHORITY */
    memcpy(blk + n, "\x01\x00\x02h2", 5), n += 5;
    memcpy(blk + n, "\x04\x00\x00", 3), n += 3;
    memcpy(blk + n, "\x02\x00\x0b" "example.org", 14), n += 14;
    CHECK(valid_header(b, v2(b, 0x21, 0x11, blk, n, -1), &h));
    CHECK_INT(h.local, 0);
    CHECK_STR(src_text(&h), "192.0.2.1");
    CHECK_INT(port_of(&h.dst), 443);
    /* after an IPv6 block too */
    memcpy(blk, INET6_BLOCK, 36);
    memcpy(blk + 36, "\x01\x00\x08http/1.1", 11);
    CHECK(valid_header(b, v2(b, 0x21, 0x21, blk, 47, -1), &h));
    CHECK_STR(src_text(&h), "2001:db8::1");
}

TEST(v2_largest_accepted)
{
    /* 16 + 520 = 536 bytes: the cap itself is accepted */
    unsigned char blk[520], *b = malloc(600);
    struct eider_proxy_header h;
    memcpy(blk, INET_BLOCK, 12);
    blk[12] = 0x04, blk[13] = (520 - 15) >> 8, blk[14] = (520 - 15) & 0xff;
    memset(blk + 15, 0, 520 - 15);
    CHECK(valid_header(b, v2(b, 0x21, 0x11, blk, 520, -1), &h));
    CHECK_STR(src_text(&h), "192.0.2.1");
    free(b);
}

/* The prefix length at which the N-byte v2 header in B is refused. */
#define V2_FAILS_AT(n, at) CHECK_INT(fails_at(b, (n)), (at))

TEST(v2_bad_signature)
{
    unsigned char b[64];
    size_t n = v2(b, 0x21, 0x11, INET_BLOCK, 12, -1);
    for (size_t i = 1; i < 12; i++) {   /* b[0] '\r' vs 'P' is the version choice */
        b[i] ^= 0x20;
        V2_FAILS_AT(n, i + 1);
        b[i] ^= 0x20;
    }
    b[0] = '\n';
    V2_FAILS_AT(n, 1);
}

TEST(v2_tlv_overrun)
{
    unsigned char blk[64], b[128];
    size_t n;
    memcpy(blk, INET_BLOCK, 12);
    /* a TLV announcing 10 bytes with 2 left */
    memcpy(blk + 12, "\x01\x00\x0ah2", 5);
    n = v2(b, 0x21, 0x11, blk, 17, -1);
    V2_FAILS_AT(n, n);
    /* one byte too long, after a good TLV */
    memcpy(blk + 12, "\x04\x00\x00" "\x01\x00\x03h2", 8);
    n = v2(b, 0x21, 0x11, blk, 20, -1);
    V2_FAILS_AT(n, n);
    /* a TLV cut inside its type and length */
    memcpy(blk + 12, "\x01\x00", 2);
    n = v2(b, 0x21, 0x11, blk, 14, -1);
    V2_FAILS_AT(n, n);
    n = v2(b, 0x21, 0x11, blk, 13, -1);
    V2_FAILS_AT(n, n);
    /* the same after an IPv6 block */
    memcpy(blk, INET6_BLOCK, 36);
    memcpy(blk + 36, "\x01\xff\xff", 3);
    n = v2(b, 0x21, 0x21, blk, 39, -1);
    V2_FAILS_AT(n, n);
}

TEST(v2_length_at_cap_waits)
{
    /* 520 is fine: more bytes are needed, not a refusal */
    unsigned char b[64];
    struct eider_proxy_header h;
    const char *why;

    v2(b, 0x21, 0x11, INET_BLOCK, 12, 520);
    CHECK_INT(parse_n(b, 28, &h, &why), 0);
}

/* ------------------------------------------------------------------ misc */

TEST(addr_small_buffers)
{
    struct eider_proxy_header h;
    const char *why;
    char out[8];
    const char *s = "PROXY TCP4 192.0.2.123 1.2.3.4 1 2\r\n";
    CHECK_INT(parse_n(s, strlen(s), &h, &why), (long)strlen(s));
    memset(out, 'Z', sizeof(out));
    eider_proxy_protocol_addr(&h, out, sizeof(out));
    CHECK_STR(out, "192.0.2");                 /* truncated, terminated */
    memset(out, 'Z', sizeof(out));
    eider_proxy_protocol_addr(&h, out, 0);     /* writes nothing */
    CHECK_INT(out[0], 'Z');
    eider_proxy_protocol_addr(&h, out, 1);
    CHECK_INT(out[0], '\0');
}

TEST(why_is_null_tolerant)
{
    struct eider_proxy_header h;
    unsigned char *b = malloc(5);
    memcpy(b, "HELLO", 5);
    CHECK_INT(eider_proxy_protocol_parse(b, 5, &h, NULL), -1);
    CHECK_INT(eider_proxy_protocol_parse(b, 0, &h, NULL), 0);
    free(b);
}

/* A tiny deterministic PRNG (xorshift32): the same inputs every run. */
static unsigned rnd_state = 2463534242u;
static unsigned rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

/* Mutated valid headers, every prefix: the answer is always -1, 0 or a
 * length within the input, and it only moves forward (0 to -1 or to a
 * length, never back), which is what a caller feeding bytes relies on. */
TEST(mutations_are_consistent)
{
    unsigned char seeds[6][80];
    size_t seedlen[6];
    const char *v1s[3] = {
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n",
        "PROXY TCP6 2001:db8::1 ::ffff:1.2.3.4 1 65535\r\n",
        "PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n",
    };
    int bad = 0;

    for (int i = 0; i < 3; i++) {
        seedlen[i] = strlen(v1s[i]);
        memcpy(seeds[i], v1s[i], seedlen[i]);
    }
    seedlen[3] = v2(seeds[3], 0x21, 0x11, INET_BLOCK, 12, -1);
    seedlen[4] = v2(seeds[4], 0x21, 0x21, INET6_BLOCK, 36, -1);
    seedlen[5] = v2(seeds[5], 0x20, 0x00, NULL, 0, -1);
    for (int iter = 0; iter < 3000 && !bad; iter++) {
        int s = (int)(rnd() % 6);
        unsigned char m[80];
        size_t n = seedlen[s];
        long settled = 0;
        memcpy(m, seeds[s], n);
        for (unsigned k = 1 + rnd() % 3; k > 0; k--) {
            unsigned char byte = rnd() % 4 == 0 ? (unsigned char)rnd()
                                                : (unsigned char)" .:0129\r\nPf"[rnd() % 11];
            m[rnd() % n] = byte;
        }
        for (size_t len = 0; len <= n; len++) {
            struct eider_proxy_header h;
            const char *why;
            long r = parse_n(m, len, &h, &why);
            if (r < -1 || r > (long)len || (r == -1 && why == NULL)
                || (settled == -1 && r != -1) || (settled > 0 && r != settled)) {
                printf("  mutation %d of seed %d: %zu bytes gave %ld after %ld\n",
                       iter, s, len, r, settled);
                bad = 1;
                break;
            }
            if (r != 0)
                settled = r;
        }
    }
    CHECK(!bad);
}

UNIT_MAIN(header_table, refusal_table, v1_tcp6_longest_line, v1_unknown_longest_line,
          v1_too_long, v2_tlvs_skipped, v2_largest_accepted, v2_bad_signature, v2_tlv_overrun,
          v2_length_at_cap_waits, addr_small_buffers, why_is_null_tolerant,
          mutations_are_consistent)
