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

static int is_ip(const char *s)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* The last element of a comma-separated list of header values, trimmed. */
static void last_token(const char *v, char *out, size_t len)
{
    const char *comma = strrchr(v, ',');
    const char *p = comma ? comma + 1 : v;
    size_t n;

    while (*p == ' ' || *p == '\t')
        p++;
    n = strcspn(p, " \t");
    if (n >= len)
        n = len - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

void eider_proxy_resolve(const struct eider_config *cfg, const struct evkeyvalq *headers,
                         char *peer, size_t len, int *https)
{
    struct evkeyval *kv;
    char chain[2048] = "", hop[64];
    size_t used = 0;

    if (cfg->trusted.n == 0 || !eider_cidr_match(&cfg->trusted, peer))
        return;
    /* Every X-Forwarded-For line, in order, as one list. */
    TAILQ_FOREACH(kv, headers, next) {
        if (evutil_ascii_strcasecmp(kv->key, "X-Forwarded-For") == 0 && used < sizeof(chain) - 2) {
            int w = snprintf(chain + used, sizeof(chain) - used, "%s%s", used ? "," : "", kv->value);
            used += w > 0 ? (size_t)w : 0;
            if (used >= sizeof(chain))
                used = sizeof(chain) - 1;
        } else if (evutil_ascii_strcasecmp(kv->key, "X-Forwarded-Proto") == 0) {
            char proto[16];
            last_token(kv->value, proto, sizeof(proto));
            if (evutil_ascii_strcasecmp(proto, "https") == 0)
                *https = 1;
            else if (evutil_ascii_strcasecmp(proto, "http") == 0)
                *https = 0;
        }
    }
    /* From the right: skip trusted hops; the first other one is the client.
     * A hop that is not an address ends the walk at the last good one. */
    while (used > 0) {
        char *comma = strrchr(chain, ',');
        last_token(comma ? comma + 1 : chain, hop, sizeof(hop));
        if (!is_ip(hop))
            break;
        snprintf(peer, len, "%s", hop);
        if (!eider_cidr_match(&cfg->trusted, hop))
            break;
        if (comma == NULL)
            break;
        *comma = '\0';
    }
}
