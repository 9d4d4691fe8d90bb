/*
 * Forwarded headers are believed only from trusted peers, and read from
 * the right: each trusted proxy appends the address it got the request
 * from, so the right-most untrusted address is the one no client could
 * have forged.
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "config.h"

int eider_cidr_parse(const char *s, struct eider_cidr *out)
{
    char host[INET6_ADDRSTRLEN];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    int max;

    if (n == 0 || n >= sizeof(host))
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    memset(out, 0, sizeof(*out));
    if (strcmp(s, "unix:") == 0) {
        out->family = AF_UNIX;   /* connections on unix: listeners */
        return 0;
    }
    if (inet_pton(AF_INET, host, out->addr) == 1) {
        out->family = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, host, out->addr) == 1) {
        out->family = AF_INET6;
        max = 128;
    } else {
        return -1;
    }
    out->bits = max;
    if (slash != NULL) {
        char *end;
        long bits = strtol(slash + 1, &end, 10);
        if (slash[1] == '\0' || *end != '\0' || bits < 0 || bits > max)
            return -1;
        out->bits = (int)bits;
    }
    return 0;
}

static int in_range(const struct eider_cidr *c, int family, const unsigned char *addr)
{
    int full = c->bits / 8, rest = c->bits % 8;

    if (c->family != family || memcmp(c->addr, addr, (size_t)full) != 0)
        return 0;
    return rest == 0 || ((c->addr[full] ^ addr[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

int eider_cidr_match(const struct eider_cidrs *set, const char *ip)
{
    unsigned char addr[16];
    int family;

    if (strcmp(ip, "unix:") == 0) {
        for (size_t i = 0; i < set->n; i++)
            if (set->v[i].family == AF_UNIX)
                return 1;
        return 0;
    }
    if (inet_pton(AF_INET, ip, addr) == 1) {
        family = AF_INET;
    } else if (inet_pton(AF_INET6, ip, addr) == 1) {
        family = AF_INET6;
        /* An IPv4 peer on a dual-stack socket: ::ffff:a.b.c.d */
        static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
        if (memcmp(addr, mapped, 12) == 0) {
            memmove(addr, addr + 12, 4);
            family = AF_INET;
        }
    } else {
        return 0;
    }
    for (size_t i = 0; i < set->n; i++)
        if (in_range(&set->v[i], family, addr))
            return 1;
    return 0;
}

/* 1 if the LEN bytes at P are exactly an IPv4 or IPv6 address. */
static int is_ip_n(const char *p, size_t len, char *out, size_t outlen)
{
    unsigned char buf[16];

    if (len == 0 || len >= outlen)
        return 0;
    memcpy(out, p, len);
    out[len] = '\0';
    return inet_pton(AF_INET, out, buf) == 1 || inet_pton(AF_INET6, out, buf) == 1;
}

/* The value of the last header named NAME, trimmed of spaces at the end:
 * the value the closest proxy wrote. */
static const char *last_value(const struct evkeyvalq *headers, const char *name)
{
    struct evkeyval *kv;
    const char *v = NULL;

    TAILQ_FOREACH(kv, headers, next)
        if (evutil_ascii_strcasecmp(kv->key, name) == 0)
            v = kv->value;
    return v;
}

#define MAX_XFF_LINES 32

void eider_proxy_resolve(const struct eider_config *cfg, const struct evkeyvalq *headers,
                         char *peer, size_t len, int *https)
{
    const char *lines[MAX_XFF_LINES];
    const char *proto;
    struct evkeyval *kv;
    int n = 0;

    if (cfg->trusted.n == 0 || !eider_cidr_match(&cfg->trusted, peer))
        return;
    if ((proto = last_value(headers, "X-Forwarded-Proto")) != NULL) {
        const char *comma = strrchr(proto, ',');
        const char *p = comma ? comma + 1 : proto;
        while (*p == ' ' || *p == '\t')
            p++;
        if (evutil_ascii_strncasecmp(p, "https", 5) == 0 && (p[5] == '\0' || p[5] == ' '))
            *https = 1;
        else if (evutil_ascii_strncasecmp(p, "http", 4) == 0 && (p[4] == '\0' || p[4] == ' '))
            *https = 0;
    }
    /* The X-Forwarded-For lines, keeping the last ones: the walk starts at
     * the right, where the trusted proxies wrote, and never needs what a
     * client could pad the left with. Nothing is copied or truncated. */
    TAILQ_FOREACH(kv, headers, next) {
        if (evutil_ascii_strcasecmp(kv->key, "X-Forwarded-For") != 0)
            continue;
        if (n == MAX_XFF_LINES) {
            memmove(lines, lines + 1, sizeof(lines) - sizeof(lines[0]));
            n--;
        }
        lines[n++] = kv->value;
    }
    /* Right to left: skip trusted hops; the first other address is the
     * client. Anything that is not exactly an address ends the walk at the
     * last good hop (already in peer). */
    while (n-- > 0) {
        const char *start = lines[n], *end = start + strlen(start);
        while (end > start) {
            const char *tok_end = end, *tok;
            char hop[64];
            while (tok_end > start && (tok_end[-1] == ' ' || tok_end[-1] == '\t'))
                tok_end--;
            tok = tok_end;
            while (tok > start && tok[-1] != ',')
                tok--;
            end = tok > start ? tok - 1 : start;   /* before the comma */
            while (tok < tok_end && (*tok == ' ' || *tok == '\t'))
                tok++;
            if (!is_ip_n(tok, (size_t)(tok_end - tok), hop, sizeof(hop)))
                return;
            snprintf(peer, len, "%s", hop);
            if (!eider_cidr_match(&cfg->trusted, hop))
                return;
        }
    }
}
