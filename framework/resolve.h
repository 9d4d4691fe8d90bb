/*
 * Host names to addresses without blocking the event loop: the one
 * resolver of fetch (http_client_conn.c), Redis (redis_conn.c) and
 * PostgreSQL (pg_conn.c). libc's getaddrinfo(), which hiredis and libpq
 * call by themselves, waits for the DNS server on the loop's thread and
 * stalls every request of the worker for as long; this asks with evdns
 * instead and calls back from the loop.
 *
 * Literal IPv4/IPv6 addresses need no lookup; "localhost" and names ending
 * in ".localhost" are 127.0.0.1 without asking anyone; other names go
 * through evdns: /etc/hosts first, then the nameservers of the resolver
 * directive, or of /etc/resolv.conf without it (read on the first lookup).
 */
#ifndef EIDER_RESOLVE_H
#define EIDER_RESOLVE_H

#include <stddef.h>
#include <sys/socket.h>

#define EIDER_RESOLVE_MAX 8     /* addresses of a name handed back, at most */

struct event_base;
struct eider_resolver;
struct eider_lookup;

/* A lookup's end: NADDRS (1 to EIDER_RESOLVE_MAX) addresses with the port
 * set, in the resolver's order, and ERROR NULL; or no address and ERROR,
 * why ("no address", "name does not resolve", ...), without the host name.
 * Both are valid during the call only. */
typedef void eider_resolve_fn(void *arg, const struct sockaddr_storage *addrs, int naddrs,
                              const char *error);

/* A resolver on BASE asking NAMESERVERS ("IP" or "IP:PORT", N of them,
 * copied), or those of /etc/resolv.conf when N is 0. Nothing is read or
 * opened until the first name is looked up. Never NULL. */
struct eider_resolver *eider_resolver_new(struct event_base *base, char *const *nameservers,
                                          size_t n);

/* Frees R. Every lookup of R must have ended or been cancelled; the
 * cancelled ones are answered first, by turning R's loop, so call it
 * once the loop has stopped. NULL is fine. */
void eider_resolver_free(struct eider_resolver *r);

/* Looks up HOST for PORT and calls CB(ARG, ...) exactly once unless
 * cancelled. When the answer needs no wait (a literal address, localhost,
 * a name of /etc/hosts, a lookup that cannot start) CB runs inside this
 * call and the return is NULL; otherwise CB runs later from the loop and
 * the return is the lookup, for eider_lookup_cancel(). */
struct eider_lookup *eider_resolve(struct eider_resolver *r, const char *host, int port,
                                   eider_resolve_fn *cb, void *arg);

/* Stops lookup Q before its callback: the callback is never called. */
void eider_lookup_cancel(struct eider_lookup *q);

/* 1 if HOST is a literal IPv4 or IPv6 address (no lookup, no SNI). */
int eider_is_ip_literal(const char *host);

/* Writes the numeric form of SA (no port) into BUF of LEN bytes; BUF. */
const char *eider_addr_text(const struct sockaddr_storage *sa, char *buf, size_t len);

#endif
