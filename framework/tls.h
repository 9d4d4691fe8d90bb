/*
 * TLS on listeners with the "ssl" option.
 */
#ifndef EIDER_TLS_H
#define EIDER_TLS_H

#include <stddef.h>

struct bufferevent;
struct event_base;
struct evhttp_request;
struct eider_config;
struct eider_sources;
typedef struct ssl_ctx_st SSL_CTX;

/* 1 if any listener of cfg has the ssl option. */
int eider_tls_wanted(const struct eider_config *cfg);

/* Reads cfg's certificate and key into PEM (a generation's sources) and
 * checks they load and match (eider -t, start, reload: a bad new
 * certificate fails the reload, the old one stays). 0, or -1 with err. */
int eider_tls_check(const struct eider_config *cfg, struct eider_sources *pem,
                    char *err, size_t errlen);

/* The server context from the certificate and key eider_tls_check put in
 * PEM: TLS 1.2 and 1.3 only, cfg's cipher list, ALPN http/1.1. NULL with
 * the reason (file and OpenSSL's words) in err. */
SSL_CTX *eider_tls_server_ctx(const struct eider_config *cfg, const struct eider_sources *pem,
                              char *err, size_t errlen);

/* Draws the random secret that session ticket keys derive from. Called
 * once by the master before it forks any worker: all workers, of every
 * generation, inherit it and so accept each other's tickets. Without it
 * (it failed, logged, or eider -t) no tickets are issued. */
void eider_tls_init_ticket_secret(void);

/* evhttp_set_bevcb() callback: a TLS bufferevent in accepting state;
 * ARG is the SSL_CTX. */
struct bufferevent *eider_tls_bevcb(struct event_base *base, void *arg);

#endif
