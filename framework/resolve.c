/*
 * The non-blocking resolver of resolve.h: literal addresses and localhost
 * answered here, other names by evdns (one evdns_base per resolver, made
 * on the first name).
 *
 * A lookup's memory outlives its cancel: evdns answers a cancelled lookup
 * with EVUTIL_EAI_CANCEL later, from the loop, so the lookup waits for
 * that on the resolver's list of cancelled ones. What evdns itself holds
 * for such a lookup is freed by that answer only, so eider_resolver_free
 * turns the (stopped) loop until the cancelled lookups are answered
 * before it frees the evdns base: a worker that ends with lookups in
 * flight cancels them at teardown.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "alloc.h"
#include "log.h"
#include "resolve.h"

#define PENDING 1000000         /* no answer from evdns yet */

struct eider_lookup {
    struct eider_resolver *resolver;
    LIST_ENTRY(eider_lookup) link;   /* in resolver->cancelled, once cancelled */
    struct evdns_getaddrinfo_request *req;
    eider_resolve_fn *cb;            /* NULL once cancelled */
    void *arg;
    int sync;                        /* inside evdns_getaddrinfo() */
    int result;                      /* what evdns said inside it */
    struct evutil_addrinfo *res;
};

struct eider_resolver {
    struct event_base *base;
    struct evdns_base *dns;          /* on the first name */
    char **nameservers;              /* NULL: /etc/resolv.conf's */
    size_t nnameservers;
    LIST_HEAD(, eider_lookup) cancelled;
};

struct eider_resolver *eider_resolver_new(struct event_base *base, char *const *nameservers,
                                          size_t n)
{
    struct eider_resolver *r = eider_calloc(1, sizeof(*r));

    r->base = base;
    LIST_INIT(&r->cancelled);
    if (n > 0) {
        r->nameservers = eider_calloc(n, sizeof(*r->nameservers));
        for (size_t i = 0; i < n; i++)
            r->nameservers[i] = eider_strdup(nameservers[i]);
        r->nnameservers = n;
    }
    return r;
}

/* Runs the deferred callbacks by which evdns answers R's cancelled
 * lookups (on_answer frees each; evdns frees its request with it). They
 * are queued on R's loop, which has stopped when a worker ends: a few
 * non-blocking turns run them (each turn runs one priority's queue).
 * Called before the evdns base is freed, which the callbacks still use. */
static void answer_cancelled(struct eider_resolver *r)
{
    for (int turn = 0; turn < 8 && !LIST_EMPTY(&r->cancelled); turn++)
        if (event_base_loop(r->base, EVLOOP_NONBLOCK) < 0)
            break;   /* inside a callback of the loop: libevent refuses */
}

void eider_resolver_free(struct eider_resolver *r)
{
    if (r == NULL)
        return;
    if (r->dns) {
        answer_cancelled(r);
        evdns_base_free(r->dns, 0);
    }
    while (!LIST_EMPTY(&r->cancelled)) {
        struct eider_lookup *q = LIST_FIRST(&r->cancelled);
        LIST_REMOVE(q, link);
        free(q);
    }
    for (size_t i = 0; i < r->nnameservers; i++)
        free(r->nameservers[i]);
    free(r->nameservers);
    free(r);
}

int eider_is_ip_literal(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return evutil_inet_pton(AF_INET, host, buf) == 1 || evutil_inet_pton(AF_INET6, host, buf) == 1;
}

const char *eider_addr_text(const struct sockaddr_storage *sa, char *buf, size_t len)
{
    const void *a = sa->ss_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                                              : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

    if (evutil_inet_ntop(sa->ss_family, a, buf, len) == NULL)
        snprintf(buf, len, "?");
    return buf;
}

/* Fills *SA with HOST:PORT if HOST is a literal address, or localhost
 * (the loopback, never asked). Returns 1 if so, else 0. */
static int literal(const char *host, int port, struct sockaddr_storage *sa)
{
    struct sockaddr_in *sin = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)sa;
    size_t hl = strlen(host);

    memset(sa, 0, sizeof(*sa));
    if (strcmp(host, "localhost") == 0 || (hl > 10 && strcmp(host + hl - 10, ".localhost") == 0))
        host = "127.0.0.1";
    if (evutil_inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        return 1;
    }
    if (evutil_inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)port);
        return 1;
    }
    return 0;
}

/* R's evdns base, made now if need be with the configured nameservers (or
 * resolv.conf's). NULL if it cannot be made. */
static struct evdns_base *dns_of(struct eider_resolver *r)
{
    if (r->dns != NULL)
        return r->dns;
    r->dns = evdns_base_new(r->base, (r->nnameservers ? 0 : EVDNS_BASE_INITIALIZE_NAMESERVERS)
                                     | EVDNS_BASE_DISABLE_WHEN_INACTIVE);
    if (r->dns == NULL)
        return NULL;
    if (r->nnameservers) {
        /* The hosts file still counts, as it does with resolv.conf. */
        evdns_base_load_hosts(r->dns, NULL);
        for (size_t i = 0; i < r->nnameservers; i++)
            if (evdns_base_nameserver_ip_add(r->dns, r->nameservers[i]) != 0)
                eider_log(EIDER_LOG_ERROR, "resolver %s: cannot use this nameserver", r->nameservers[i]);
    }
    return r->dns;
}

/* Hands evdns's answer (RESULT, RES, freed here) to Q's callback and frees
 * Q. */
static void deliver(struct eider_lookup *q, int result, struct evutil_addrinfo *res)
{
    struct sockaddr_storage addrs[EIDER_RESOLVE_MAX];
    int n = 0;

    for (struct evutil_addrinfo *ai = result == 0 ? res : NULL; ai && n < EIDER_RESOLVE_MAX;
         ai = ai->ai_next)
        if (ai->ai_addrlen <= sizeof(addrs[0])) {
            memset(&addrs[n], 0, sizeof(addrs[n]));
            memcpy(&addrs[n++], ai->ai_addr, ai->ai_addrlen);
        }
    if (res)
        evutil_freeaddrinfo(res);
    q->cb(q->arg, addrs, n,
          n > 0 ? NULL : result == 0 || result == PENDING ? "no address" : evutil_gai_strerror(result));
    free(q);
}

/* evdns's answer. Inside evdns_getaddrinfo() (the hosts file) it is kept
 * for eider_resolve() to deliver; after a cancel it only frees Q. */
static void on_answer(int result, struct evutil_addrinfo *res, void *arg)
{
    struct eider_lookup *q = arg;

    if (q->sync) {
        q->result = result;
        q->res = res;
        return;
    }
    q->req = NULL;
    if (q->cb == NULL) {                 /* cancelled: result is EVUTIL_EAI_CANCEL */
        if (res)
            evutil_freeaddrinfo(res);
        LIST_REMOVE(q, link);
        free(q);
        return;
    }
    deliver(q, result, res);
}

struct eider_lookup *eider_resolve(struct eider_resolver *r, const char *host, int port,
                                   eider_resolve_fn *cb, void *arg)
{
    struct sockaddr_storage sa;
    struct evutil_addrinfo hints;
    struct evdns_base *dns;
    struct eider_lookup *q;
    char portstr[8];

    if (literal(host, port, &sa)) {
        cb(arg, &sa, 1, NULL);
        return NULL;
    }
    if ((dns = dns_of(r)) == NULL) {
        cb(arg, NULL, 0, "no resolver");
        return NULL;
    }
    q = eider_calloc(1, sizeof(*q));
    *q = (struct eider_lookup){ .resolver = r, .cb = cb, .arg = arg, .sync = 1, .result = PENDING };
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    snprintf(portstr, sizeof(portstr), "%d", port);
    q->req = evdns_getaddrinfo(dns, host, portstr, &hints, on_answer, q);
    q->sync = 0;
    if (q->req != NULL)
        return q;
    deliver(q, q->result, q->res);      /* answered inside evdns_getaddrinfo() */
    return NULL;
}

void eider_lookup_cancel(struct eider_lookup *q)
{
    struct evdns_getaddrinfo_request *req = q->req;

    q->cb = NULL;
    LIST_INSERT_HEAD(&q->resolver->cancelled, q, link);
    evdns_getaddrinfo_cancel(req);      /* on_answer(EVUTIL_EAI_CANCEL) follows from the loop */
}
