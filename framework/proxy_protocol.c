/*
 * PROXY protocol v1 and v2 headers, parsed strictly: the header decides
 * whose address req.ip and the access log show, so anything that is not
 * exactly the grammar is refused rather than guessed at. The parser is
 * incremental in the simplest way: it is handed everything received so
 * far, every time, and says "header of N bytes", "need more" or "never".
 * Deciding "never" as early as possible lets a caller drop a plain HTTP
 * client or a scanner after its first bytes instead of at the timeout.
 */
#include "proxy_protocol.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static const unsigned char v2_sig[12] = {
    0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
#define V2_HEAD 16              /* signature, ver/cmd, fam/transport, length */

/* v2 families (high nibble) and transports (low nibble) of byte 13. */
enum { FAM_UNSPEC = 0, FAM_INET = 1, FAM_INET6 = 2, FAM_UNIX = 3 };
enum { TR_UNSPEC = 0, TR_STREAM = 1, TR_DGRAM = 2 };

/* Sets *WHY (when given) and returns -1: the single exit of every refusal. */
static long fail(const char **why, const char *reason)
{
    if (why != NULL)
        *why = reason;
    return -1;
}

/* Fills *OUT for a header that keeps the socket's own addresses. */
static void set_local(struct eider_proxy_header *out)
{
    memset(out, 0, sizeof(*out));
    out->local = 1;
}

/* Fills *OUT from raw network-order addresses (4 or 16 bytes each, per
 * FAMILY) and host-order ports. */
static void set_addrs(struct eider_proxy_header *out, int family,
                      const unsigned char *src, const unsigned char *dst,
                      unsigned sport, unsigned dport)
{
    memset(out, 0, sizeof(*out));
    if (family == AF_INET) {
        struct sockaddr_in *s = (struct sockaddr_in *)&out->src;
        struct sockaddr_in *d = (struct sockaddr_in *)&out->dst;
        s->sin_family = d->sin_family = AF_INET;
        memcpy(&s->sin_addr, src, 4);
        memcpy(&d->sin_addr, dst, 4);
        s->sin_port = htons((unsigned short)sport);
        d->sin_port = htons((unsigned short)dport);
        out->srclen = out->dstlen = sizeof(struct sockaddr_in);
    } else {
        struct sockaddr_in6 *s = (struct sockaddr_in6 *)&out->src;
        struct sockaddr_in6 *d = (struct sockaddr_in6 *)&out->dst;
        s->sin6_family = d->sin6_family = AF_INET6;
        memcpy(&s->sin6_addr, src, 16);
        memcpy(&d->sin6_addr, dst, 16);
        s->sin6_port = htons((unsigned short)sport);
        d->sin6_port = htons((unsigned short)dport);
        out->srclen = out->dstlen = sizeof(struct sockaddr_in6);
    }
}

/* ------------------------------------------------------------------ v1 */

/* 1 if C may follow the TN characters of TOK in an IPv4 address being
 * received. Exact for dotted quads as inet_pton takes them (four decimal
 * octets, 0-255, no leading zeros), so "1.2.3.256" or "01." is refused at
 * the offending byte; that there are four octets is left to inet_pton at
 * the end of the token. */
static int v4_char_ok(const char *tok, size_t tn, unsigned char c)
{
    size_t start = 0, dots = 0;
    unsigned octet = 0;

    for (size_t k = 0; k < tn; k++)
        if (tok[k] == '.') {
            dots++;
            start = k + 1;
        }
    if (c == '.')
        return tn > 0 && tok[tn - 1] != '.' && dots < 3;
    if (c < '0' || c > '9')
        return 0;
    if (tn - start >= 1 && tok[start] == '0')
        return 0;               /* "0" is a whole octet; "01" is not one */
    for (size_t k = start; k < tn; k++)
        octet = octet * 10 + (unsigned)(tok[k] - '0');
    return octet * 10 + (unsigned)(c - '0') <= 255;
}

/* 1 if C may appear in an IPv6 address (hex digits, colons, and the dots
 * of an embedded IPv4 tail). The shape is left to inet_pton. */
static int v6_char_ok(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
        || c == ':' || c == '.';
}

/* "PROXY UNKNOWN" from offset 13 of BUF (END usable bytes): either "\r\n"
 * at once, or a space and then anything printable up to "\r\n" (the spec
 * tells receivers to ignore what a sender puts there, usually addresses).
 * Returns as eider_proxy_protocol_parse does. */
static long v1_unknown(const unsigned char *buf, size_t end, struct eider_proxy_header *out,
                       const char **why)
{
    int cr = 0;

    for (size_t i = 13; i < end; i++) {
        unsigned char c = buf[i];
        if (cr) {
            if (c != '\n')
                return fail(why, "v1: CR not followed by LF");
            set_local(out);
            return (long)(i + 1);
        }
        if (c == '\r')
            cr = 1;
        else if (i == 13 && c != ' ')
            return fail(why, "v1: UNKNOWN not followed by a space or CRLF");
        else if (c < 0x20 || c > 0x7e)
            return fail(why, "v1: control or non-ASCII byte in the line");
    }
    return end == EIDER_PROXY_PROTOCOL_V1_MAX ? fail(why, "v1: line longer than 107 bytes") : 0;
}

/* "PROXY TCP4 " / "PROXY TCP6 " from offset 11 of BUF (END usable bytes):
 * SRC SP DST SP SPORT SP DPORT CR LF, each field checked byte by byte. */
static long v1_tcp(const unsigned char *buf, size_t end, int family,
                   struct eider_proxy_header *out, const char **why)
{
    unsigned char addr[2][16];
    unsigned port[2] = { 0, 0 };
    char tok[INET6_ADDRSTRLEN];
    size_t tn = 0, maxtok = family == AF_INET ? 15 : INET6_ADDRSTRLEN - 1;
    int field = 0;              /* 0 src, 1 dst, 2 sport, 3 dport, 4 after CR */

    for (size_t i = 11; i < end; i++) {
        unsigned char c = buf[i];
        if (field == 4) {
            if (c != '\n')
                return fail(why, "v1: CR not followed by LF");
            set_addrs(out, family, addr[0], addr[1], port[0], port[1]);
            return (long)(i + 1);
        }
        if (c == (field == 3 ? '\r' : ' ')) {
            if (tn == 0)
                return fail(why, "v1: empty field (or doubled space)");
            tok[tn] = '\0';
            if (field < 2 && inet_pton(family, tok, addr[field]) != 1)
                return fail(why, family == AF_INET ? "v1: bad IPv4 address" : "v1: bad IPv6 address");
            field++;
            tn = 0;
            continue;
        }
        if (field < 2) {
            int ok = family == AF_INET ? v4_char_ok(tok, tn, c) : v6_char_ok(c);
            if (!ok || tn == maxtok)
                return fail(why, family == AF_INET ? "v1: bad IPv4 address" : "v1: bad IPv6 address");
        } else {
            unsigned *p = &port[field - 2];
            if (c < '0' || c > '9')
                return fail(why, "v1: bad port");
            if (tn == 1 && tok[0] == '0')
                return fail(why, "v1: port with a leading zero");
            *p = *p * 10 + (unsigned)(c - '0');
            if (*p > 65535)
                return fail(why, "v1: port above 65535");
        }
        tok[tn++] = (char)c;
    }
    /* Only reachable with long spellings (IPv4 tails, leading zeros in
     * IPv6 groups): the spec's 107 bytes bound every line all the same. */
    return end == EIDER_PROXY_PROTOCOL_V1_MAX ? fail(why, "v1: line longer than 107 bytes") : 0;
}

/* A v1 header: BUF starts with 'P'. */
static long parse_v1(const unsigned char *buf, size_t len, struct eider_proxy_header *out,
                     const char **why)
{
    static const char *const protos[] = { "TCP4 ", "TCP6 ", "UNKNOWN" };
    size_t end = len < EIDER_PROXY_PROTOCOL_V1_MAX ? len : EIDER_PROXY_PROTOCOL_V1_MAX;
    size_t have;

    if (memcmp(buf, "PROXY ", end < 6 ? end : 6) != 0)
        return fail(why, "not a PROXY protocol header");
    if (end < 6)
        return 0;
    /* Which protocol: the bytes so far must be a prefix of one of them. */
    have = end - 6;
    for (int p = 0; p < 3; p++) {
        size_t plen = strlen(protos[p]);
        if (memcmp(buf + 6, protos[p], have < plen ? have : plen) != 0)
            continue;
        if (have < plen)
            return 0;           /* "PROXY TCP" could still be either */
        if (p == 2)
            return v1_unknown(buf, end, out, why);
        return v1_tcp(buf, end, p == 0 ? AF_INET : AF_INET6, out, why);
    }
    return fail(why, "v1: protocol is not TCP4, TCP6 or UNKNOWN");
}

/* ------------------------------------------------------------------ v2 */

/* Checks that the TLVs in BUF[OFF, TOTAL) each fit: type, 16-bit length,
 * value. Their contents are not used. 0 or -1. */
static long v2_tlvs(const unsigned char *buf, size_t off, size_t total, const char **why)
{
    while (off < total) {
        size_t vlen;
        if (total - off < 3)
            return fail(why, "v2: truncated TLV");
        vlen = (size_t)buf[off + 1] << 8 | buf[off + 2];
        if (vlen > total - off - 3)
            return fail(why, "v2: TLV longer than the header");
        off += 3 + vlen;
    }
    return 0;
}

/* A v2 header: BUF starts with '\r'. Each byte of the fixed part is
 * judged as soon as it has arrived. */
static long parse_v2(const unsigned char *buf, size_t len, struct eider_proxy_header *out,
                     const char **why)
{
    int cmd = 0, fam = FAM_UNSPEC, tr = TR_UNSPEC;
    size_t addrlen = 0, total;

    if (memcmp(buf, v2_sig, len < sizeof(v2_sig) ? len : sizeof(v2_sig)) != 0)
        return fail(why, "not a PROXY protocol header");
    if (len > 12) {
        if (buf[12] >> 4 != 2)
            return fail(why, "v2: version is not 2");
        cmd = buf[12] & 0x0f;
        if (cmd > 1)
            return fail(why, "v2: command is neither LOCAL nor PROXY");
    }
    /* LOCAL (health checks from the proxy itself): the spec says the
     * family byte and address block are to be ignored, so they are. */
    if (len > 13 && cmd == 1) {
        fam = buf[13] >> 4;
        tr = buf[13] & 0x0f;
        if (fam > FAM_UNIX)
            return fail(why, "v2: unknown address family");
        if (tr == TR_DGRAM)
            return fail(why, "v2: datagram transport on a stream connection");
        if (tr > TR_DGRAM)
            return fail(why, "v2: unknown transport");
        addrlen = fam == FAM_INET ? 12 : fam == FAM_INET6 ? 36 : fam == FAM_UNIX ? 216 : 0;
    }
    if (len < V2_HEAD)
        return 0;
    total = V2_HEAD + ((size_t)buf[14] << 8 | buf[15]);
    if (total > EIDER_PROXY_PROTOCOL_MAX)
        return fail(why, "v2: header longer than 536 bytes");
    if (total - V2_HEAD < addrlen)
        return fail(why, "v2: length shorter than the address block");
    if (len < total)
        return 0;
    if (cmd == 0 || fam == FAM_UNSPEC) {
        /* No family: how long an address block would be is unknown, so
         * there is no telling where TLVs start; the block is skipped. */
        set_local(out);
        return (long)total;
    }
    if (v2_tlvs(buf, V2_HEAD + addrlen, total, why) < 0)
        return -1;
    if (fam == FAM_UNIX || tr != TR_STREAM) {
        /* A unix-socket client, or a transport the sender does not name:
         * there is no IP address to show, so the socket's own is kept. */
        set_local(out);
        return (long)total;
    }
    if (fam == FAM_INET) {
        const unsigned char *a = buf + V2_HEAD;
        set_addrs(out, AF_INET, a, a + 4, (unsigned)a[8] << 8 | a[9], (unsigned)a[10] << 8 | a[11]);
    } else {
        const unsigned char *a = buf + V2_HEAD;
        set_addrs(out, AF_INET6, a, a + 16, (unsigned)a[32] << 8 | a[33],
                  (unsigned)a[34] << 8 | a[35]);
    }
    return (long)total;
}

/* ------------------------------------------------------------------ API */

long eider_proxy_protocol_parse(const unsigned char *buf, size_t len, struct eider_proxy_header *out,
                                const char **why)
{
    /* The two versions differ from the first byte: 'P' or '\r'. */
    if (len == 0)
        return 0;
    if (buf[0] == 'P')
        return parse_v1(buf, len, out, why);
    if (buf[0] == '\r')
        return parse_v2(buf, len, out, why);
    return fail(why, "not a PROXY protocol header");
}

void eider_proxy_protocol_addr(const struct eider_proxy_header *h, char *out, size_t outlen)
{
    char text[INET6_ADDRSTRLEN] = "";

    if (outlen == 0)
        return;
    if (!h->local && h->src.ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)&h->src;
        inet_ntop(AF_INET, &s->sin_addr, text, sizeof(text));
    } else if (!h->local && h->src.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&h->src;
        /* ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack
         * proxy: shown as the IPv4 address it is, like a direct one. */
        if (IN6_IS_ADDR_V4MAPPED(&s->sin6_addr))
            inet_ntop(AF_INET, s->sin6_addr.s6_addr + 12, text, sizeof(text));
        else
            inet_ntop(AF_INET6, &s->sin6_addr, text, sizeof(text));
    }
    snprintf(out, outlen, "%s", text);
}
