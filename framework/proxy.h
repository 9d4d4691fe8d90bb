/*
 * Behind a reverse proxy: which peers are trusted (trusted_proxies), and
 * the client address and scheme they forward (X-Forwarded-For/-Proto).
 */
#ifndef EIDER_PROXY_H
#define EIDER_PROXY_H

#include <stddef.h>

struct evkeyvalq;
struct eider_config;

struct eider_cidr {
    int family;                 /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
};

struct eider_cidrs {
    struct eider_cidr *v;
    size_t n;
};

/* Parses "192.0.2.0/24", "2001:db8::/32" or a single address. 0 or -1. */
int eider_cidr_parse(const char *s, struct eider_cidr *out);

/* 1 if the address text IP falls in one of the ranges. */
int eider_cidr_match(const struct eider_cidrs *set, const char *ip);

/* If PEER (the connection's address, LEN bytes of room) is a trusted
 * proxy, replaces it with the client address from X-Forwarded-For (the
 * right-most address that is not itself trusted) and sets *https from
 * X-Forwarded-Proto. Headers from other peers are ignored. */
void eider_proxy_resolve(const struct eider_config *cfg, const struct evkeyvalq *headers,
                         char *peer, size_t len, int *https);

#endif
