/*
 * TLS for listeners, on OpenSSL 3 through libevent's bufferevent_openssl.
 * Modern defaults: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers for
 * 1.2 (1.3 has only such suites), server cipher preference, no
 * compression, no renegotiation, ALPN "http/1.1". Each worker builds its
 * own context when it starts, so a reload (a new generation of workers)
 * re-reads the certificate; the master loads it first, so a bad new one
 * fails the reload and the old workers keep the old certificate.
 */
#include "tls.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

int eider_tls_wanted(const struct eider_config *cfg)
{
    for (size_t i = 0; i < cfg->nlistens; i++)
        if (cfg->listens[i].ssl)
            return 1;
    return 0;
}

/* Appends OpenSSL's last error to the message in err. */
static void openssl_reason(char *err, size_t errlen)
{
    unsigned long e = ERR_get_error();
    size_t n = strlen(err);

    if (e != 0 && n + 3 < errlen) {
        snprintf(err + n, errlen - n, ": ");
        ERR_error_string_n(e, err + n + 2, errlen - n - 2);
    }
    ERR_clear_error();
}

static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned int inlen, void *arg)
{
    static const unsigned char http11[] = "\x08http/1.1";
    unsigned char *selected;

    (void)ssl, (void)arg;
    /* A client that offers no http/1.1 (h2 only, or http/1.0) gets no ALPN
     * answer and may still speak HTTP/1.x, as with nginx. */
    if (SSL_select_next_proto(&selected, outlen, http11, sizeof(http11) - 1, in, inlen)
        != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

SSL_CTX *eider_tls_server_ctx(const struct eider_config *cfg, char *err, size_t errlen)
{
    SSL_CTX *ctx;

    if (cfg->ssl_certificate == NULL || cfg->ssl_certificate_key == NULL) {
        snprintf(err, errlen, "a listen with \"ssl\" needs ssl_certificate and ssl_certificate_key");
        return NULL;
    }
    ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) {
        snprintf(err, errlen, "cannot create a TLS context");
        openssl_reason(err, errlen);
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION
                        | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_alpn_select_cb(ctx, select_alpn, NULL);
    if (SSL_CTX_set_cipher_list(ctx, cfg->ssl_ciphers) != 1) {
        snprintf(err, errlen, "ssl_ciphers \"%s\": no usable cipher", cfg->ssl_ciphers);
    } else if (SSL_CTX_use_certificate_chain_file(ctx, cfg->ssl_certificate) != 1) {
        snprintf(err, errlen, "ssl_certificate %s", cfg->ssl_certificate);
    } else if (SSL_CTX_use_PrivateKey_file(ctx, cfg->ssl_certificate_key, SSL_FILETYPE_PEM) != 1) {
        snprintf(err, errlen, "ssl_certificate_key %s", cfg->ssl_certificate_key);
    } else if (SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "ssl_certificate_key %s does not match ssl_certificate %s",
                 cfg->ssl_certificate_key, cfg->ssl_certificate);
    } else {
        return ctx;
    }
    openssl_reason(err, errlen);
    SSL_CTX_free(ctx);
    return NULL;
}

int eider_tls_check(const struct eider_config *cfg, char *err, size_t errlen)
{
    SSL_CTX *ctx;

    if (!eider_tls_wanted(cfg))
        return 0;
    ctx = eider_tls_server_ctx(cfg, err, errlen);
    if (ctx == NULL)
        return -1;
    SSL_CTX_free(ctx);
    return 0;
}

struct bufferevent *eider_tls_bevcb(struct event_base *base, void *arg)
{
    SSL *ssl = SSL_new(arg);

    if (ssl == NULL)
        return NULL;
    /* evhttp gives the accepted socket to the bufferevent afterwards. */
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                          BEV_OPT_CLOSE_ON_FREE);
}

int eider_tls_request_is_secure(struct evhttp_request *req)
{
    struct evhttp_connection *conn = evhttp_request_get_connection(req);

    return conn != NULL
        && bufferevent_openssl_get_ssl(evhttp_connection_get_bufferevent(conn)) != NULL;
}
