/*
 * TLS for listeners, on OpenSSL 3 through libevent's bufferevent_openssl.
 * Modern defaults: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers for
 * 1.2 (1.3 has only such suites), server cipher preference, no
 * compression, no renegotiation, ALPN "http/1.1". Each worker builds its
 * own context when it starts, so a reload (a new generation of workers)
 * takes up a new certificate. The master reads the files, checks them and
 * keeps their text with the generation's handler sources; workers build
 * their context from that text. So a bad new certificate fails the reload,
 * and a worker replaced later serves its generation's certificate, not
 * whatever is on disk by then.
 */
#include "tls.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "file.h"
#include "sources.h"

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

/* Names the certificate and key take in a generation's sources: not
 * paths, so they cannot collide with a module's. */
#define SOURCE_CERT "tls:ssl_certificate"
#define SOURCE_KEY "tls:ssl_certificate_key"

/* Installs the PEM certificate chain (leaf first) and key into ctx. */
static int use_pem(SSL_CTX *ctx, const struct eider_config *cfg, const char *cert, size_t clen,
                   const char *key, size_t klen, char *err, size_t errlen)
{
    BIO *bio = BIO_new_mem_buf(cert, (int)clen);
    X509 *x = bio ? PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL) : NULL;
    EVP_PKEY *pkey;
    int ok;

    if (x == NULL || SSL_CTX_use_certificate(ctx, x) != 1) {
        snprintf(err, errlen, "ssl_certificate %s", cfg->ssl_certificate);
        X509_free(x);
        BIO_free(bio);
        return -1;
    }
    X509_free(x);
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
            snprintf(err, errlen, "ssl_certificate %s: a chain certificate", cfg->ssl_certificate);
            X509_free(x);
            BIO_free(bio);
            return -1;
        }
    }
    ERR_clear_error();   /* the end of the chain reads as an error */
    BIO_free(bio);
    bio = BIO_new_mem_buf(key, (int)klen);
    pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    ok = pkey != NULL && SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
    EVP_PKEY_free(pkey);
    BIO_free(bio);
    if (!ok) {
        snprintf(err, errlen, "ssl_certificate_key %s", cfg->ssl_certificate_key);
        return -1;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "ssl_certificate_key %s does not match ssl_certificate %s",
                 cfg->ssl_certificate_key, cfg->ssl_certificate);
        return -1;
    }
    return 0;
}

SSL_CTX *eider_tls_server_ctx(const struct eider_config *cfg, const struct eider_sources *pem,
                              char *err, size_t errlen)
{
    const char *cert, *key;
    size_t clen, klen;
    SSL_CTX *ctx;

    cert = eider_sources_find(pem, SOURCE_CERT, &clen);
    key = eider_sources_find(pem, SOURCE_KEY, &klen);
    if (cert == NULL || key == NULL) {
        snprintf(err, errlen, "the certificate and key were not loaded (eider_tls_check first)");
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
    if (SSL_CTX_set_cipher_list(ctx, cfg->ssl_ciphers) != 1)
        snprintf(err, errlen, "ssl_ciphers \"%s\": no usable cipher", cfg->ssl_ciphers);
    else if (use_pem(ctx, cfg, cert, clen, key, klen, err, errlen) == 0)
        return ctx;
    openssl_reason(err, errlen);
    SSL_CTX_free(ctx);
    return NULL;
}

int eider_tls_check(const struct eider_config *cfg, struct eider_sources *pem,
                    char *err, size_t errlen)
{
    const char *paths[2] = { cfg->ssl_certificate, cfg->ssl_certificate_key };
    const char *names[2] = { SOURCE_CERT, SOURCE_KEY };
    const char *directives[2] = { "ssl_certificate", "ssl_certificate_key" };
    SSL_CTX *ctx;

    if (!eider_tls_wanted(cfg))
        return 0;
    for (int i = 0; i < 2; i++) {
        size_t len;
        char *text;
        if (paths[i] == NULL) {
            snprintf(err, errlen, "a listen with \"ssl\" needs ssl_certificate and ssl_certificate_key");
            return -1;
        }
        if ((text = eider_read_file(paths[i], &len)) == NULL) {
            snprintf(err, errlen, "%s %s: %s", directives[i], paths[i], strerror(errno));
            return -1;
        }
        eider_sources_add(pem, names[i], text, len);
    }
    ctx = eider_tls_server_ctx(cfg, pem, err, errlen);
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
