/*
 * The PROXY protocol (HAProxy's proxy-protocol.txt, versions 1 and 2): the
 * header a TCP proxy sends before the client's bytes to say whom the
 * connection really comes from. Pure parsing, no I/O and no libevent, so
 * the unit tests can feed it every prefix of every header.
 */
#ifndef EIDER_PROXY_PROTOCOL_H
#define EIDER_PROXY_PROTOCOL_H

#include <stddef.h>
#include <sys/socket.h>

/* The longest header accepted, in bytes. v1 lines are at most 107 bytes by
 * the spec; v2 headers may announce up to 16 + 65535, but anything longer
 * than 536 (HAProxy's own recommended receive buffer) is refused so a
 * caller never buffers more than this before the header is decided. */
#define EIDER_PROXY_PROTOCOL_V1_MAX 107
#define EIDER_PROXY_PROTOCOL_MAX 536

struct eider_proxy_header {
    int local;                        /* 1: LOCAL command or UNKNOWN: keep the socket's own addresses */
    struct sockaddr_storage src, dst; /* when !local: AF_INET or AF_INET6, ports set */
    socklen_t srclen, dstlen;
};

/* Parses a PROXY header (v1 or v2, detected from the first bytes) at the start of BUF (LEN bytes
 * received so far). Returns the header's length in bytes (> 0) with *out filled, 0 if more bytes
 * are needed to decide, or -1 if BUF cannot start a valid header, with *why a static string
 * naming the problem. Never reads past LEN.
 *
 * -1 comes as soon as a received byte rules a valid header out (a v1
 * address is checked character by character, and with inet_pton once it
 * is complete); a v2 header announcing more than EIDER_PROXY_PROTOCOL_MAX
 * bytes is -1 as soon as its length field has arrived. v1 UNKNOWN, v2
 * LOCAL, and v2 PROXY for an UNSPEC or AF_UNIX family or an UNSPEC
 * transport give out->local = 1 (src/dst zeroed, lengths 0). Bytes after
 * the header (the HTTP request) are not looked at. *out is written only
 * when > 0 is returned, *why only when -1 is (WHY may be NULL). */
long eider_proxy_protocol_parse(const unsigned char *buf, size_t len, struct eider_proxy_header *out, const char **why);

/* Writes the source address of the parsed header H as text into OUT
 * (OUTLEN bytes of room): no port, IPv6 without brackets. An IPv4-mapped
 * IPv6 source (::ffff:a.b.c.d, what a dual-stack proxy sends for an IPv4
 * client) is written as plain IPv4 "a.b.c.d". A local header (no address)
 * gives "". OUT is always NUL-terminated when OUTLEN > 0;
 * INET6_ADDRSTRLEN bytes are always enough. */
void eider_proxy_protocol_addr(const struct eider_proxy_header *h, char *out, size_t outlen);

#endif
