/*
 * TLS for listeners, on OpenSSL 3 through libevent's bufferevent_openssl.
 * Modern defaults: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers for
 * 1.2 (1.3 has only such suites), server cipher preference, no
 * compression, no renegotiation, ALPN "http/1.1" (see select_alpn). Each
 * worker builds its own context when it starts, so a reload (a new
 * generation of workers) takes up a new certificate. The master reads the
 * files, checks them and keeps their text with the generation's handler
 * sources; workers build their context from that text. So a bad new
 * certificate fails the reload, and a worker replaced later serves its
 * generation's certificate, not whatever is on disk by then.
 *
 * Session resumption is by stateless session tickets whose keys every
 * worker derives from one secret the master draws at start, so a client
 * resumes on whichever worker accepts it, and across reloads (see "Session
 * tickets" below).
 */
#include "tls.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include "config.h"
#include "file.h"
#include "log.h"
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

/* ALPN: http/1.1, or http/1.0 for a client that offers only that (as
 * nginx without HTTP/2 does). A client offering neither (h2 only) is
 * refused with the no_application_protocol alert, as nginx 1.22 does:
 * serving it HTTP/1.1 anyway would answer a protocol it did not ask for. */
static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned int inlen, void *arg)
{
    static const unsigned char ours[] = "\x08http/1.1\x08http/1.0";
    unsigned char *selected;

    (void)ssl, (void)arg;
    if (SSL_select_next_proto(&selected, outlen, ours, sizeof(ours) - 1, in, inlen)
        != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

/*
 * Session tickets. OpenSSL's own ticket keys are random per SSL_CTX, that
 * is per worker and generation: a ticket would resume only on the worker
 * that issued it, until the next reload. Instead the master draws one
 * random secret before it forks the first worker; every worker of every
 * generation inherits it with fork() (no IPC, nothing on disk) and derives
 * the same keys from it with HKDF-SHA256, one set per hour of wall-clock
 * time ("period" = time() / TICKET_PERIOD_S): a 16-byte key name, an
 * AES-256-CBC key and an HMAC-SHA256 key. The period is wall-clock so that
 * all workers, which start at different times, agree on it.
 *
 * A ticket is sealed with the current period's keys and opened with the
 * current or the previous period's; one from the previous period is
 * accepted but renewed (the client gets a ticket under the current keys),
 * and older ones are not recognised, so the client does a full handshake.
 * A ticket is thus accepted for at least one and at most two hours after
 * it was issued; the session timeout (the lifetime hint sent with the
 * ticket) is the guaranteed hour. A key leaked from a worker reveals the
 * sessions of two hours at most, not those of the whole life of the
 * master; the secret itself stays in memory only, in a page kept out of
 * core dumps. A new master (a restart, not a reload) draws a new secret:
 * tickets from before are then refused, which only costs a full handshake.
 *
 * TLS 1.2 and 1.3 tickets both go through the same callback in OpenSSL 3.
 */
#define TICKET_PERIOD_S 3600
#define TICKET_SECRET_LEN 48
#define TICKET_NAME_LEN 16    /* fixed by OpenSSL's ticket format */
#define TICKET_KEY_LEN 32

struct ticket_keys {
    long long period;                   /* -1: slot not derived yet */
    unsigned char name[TICKET_NAME_LEN];
    unsigned char aes[TICKET_KEY_LEN];
    unsigned char hmac[TICKET_KEY_LEN];
};

struct ticket_state {
    unsigned char secret[TICKET_SECRET_LEN];
    /* A worker's derived keys, by period parity: the current and the
     * previous period never share a slot, so each is derived once an hour. */
    struct ticket_keys keys[2];
};

/* In a page of its own (MADV_DONTDUMP); NULL until the master draws it,
 * and then no tickets are issued (eider -t never serves). */
static struct ticket_state *tickets;

void eider_tls_init_ticket_secret(void)
{
    struct ticket_state *t;

    if (tickets != NULL)
        return;
    t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (t == MAP_FAILED) {
        eider_log(EIDER_LOG_WARN, "no TLS session tickets: cannot map a page: %s", strerror(errno));
        return;
    }
    /* Best effort: a core dump of any process then lacks the secret and the
     * keys. (Not mlock(): locks are not inherited by fork.) */
    /* getrandom, not RAND_bytes: in the master, OpenSSL's first RAND_bytes
     * loads its default provider and DRBG, 1.9 MB of RSS (libcrypto's
     * pages) that a master without TLS listeners never needs. */
    (void)madvise(t, sizeof(*t), MADV_DONTDUMP);
    if (getrandom(t->secret, sizeof(t->secret), 0) != (ssize_t)sizeof(t->secret)) {
        eider_log(EIDER_LOG_WARN, "no TLS session tickets: no random secret: %s", strerror(errno));
        munmap(t, sizeof(*t));
        return;
    }
    t->keys[0].period = t->keys[1].period = -1;
    tickets = t;
}

/* The keys of PERIOD, derived on first use in this process; NULL if HKDF
 * fails. */
static const struct ticket_keys *ticket_keys_for(long long period)
{
    struct ticket_keys *k = &tickets->keys[period & 1];
    unsigned char info[sizeof("eider ticket keys") - 1 + 8];
    unsigned char out[TICKET_NAME_LEN + 2 * TICKET_KEY_LEN];
    EVP_KDF *kdf;
    EVP_KDF_CTX *kctx = NULL;
    OSSL_PARAM params[4];
    int ok = 0;

    if (k->period == period)
        return k;
    /* info = label || period, big-endian: one independent key set per hour. */
    memcpy(info, "eider ticket keys", sizeof("eider ticket keys") - 1);
    for (int i = 0; i < 8; i++)
        info[sizeof(info) - 1 - i] = (unsigned char)((unsigned long long)period >> (8 * i));
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, tickets->secret,
                                                  sizeof(tickets->secret));
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof(info));
    params[3] = OSSL_PARAM_construct_end();
    if ((kdf = EVP_KDF_fetch(NULL, "HKDF", NULL)) != NULL
        && (kctx = EVP_KDF_CTX_new(kdf)) != NULL
        && EVP_KDF_derive(kctx, out, sizeof(out), params) == 1) {
        memcpy(k->name, out, TICKET_NAME_LEN);
        memcpy(k->aes, out + TICKET_NAME_LEN, TICKET_KEY_LEN);
        memcpy(k->hmac, out + TICKET_NAME_LEN + TICKET_KEY_LEN, TICKET_KEY_LEN);
        k->period = period;
        ok = 1;
    }
    OPENSSL_cleanse(out, sizeof(out));
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
    ERR_clear_error();
    return ok ? k : NULL;
}

/* Keys K into OpenSSL's cipher and MAC contexts for one ticket. 1 or 0. */
static int ticket_use_keys(const struct ticket_keys *k, const unsigned char *iv,
                           EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int enc)
{
    OSSL_PARAM params[3];

    params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)k->hmac,
                                                  sizeof(k->hmac));
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    if (EVP_CipherInit_ex(cctx, EVP_aes_256_cbc(), NULL, k->aes, iv, enc) != 1
        || EVP_MAC_CTX_set_params(hctx, params) != 1) {
        ERR_clear_error();
        return 0;
    }
    return 1;
}

/* SSL_CTX_set_tlsext_ticket_key_evp_cb() callback. Sealing (enc 1): the
 * current keys, a fresh IV; 1, or 0 for no ticket this time (not fatal).
 * Opening: 1 with the current keys, 2 (accept and renew) with the previous
 * period's, 0 for any other key name (a full handshake). Never -1, which
 * would abort the handshake. */
static int ticket_key_cb(SSL *ssl, unsigned char key_name[TICKET_NAME_LEN],
                         unsigned char iv[EVP_MAX_IV_LENGTH], EVP_CIPHER_CTX *cctx,
                         EVP_MAC_CTX *hctx, int enc)
{
    long long now = (long long)time(NULL) / TICKET_PERIOD_S;
    const struct ticket_keys *k;

    (void)ssl;
    if (tickets == NULL)
        return 0;
    if (enc) {
        if ((k = ticket_keys_for(now)) == NULL
            || RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1) {
            ERR_clear_error();
            return 0;
        }
        memcpy(key_name, k->name, TICKET_NAME_LEN);
        return ticket_use_keys(k, iv, cctx, hctx, 1);
    }
    for (long long p = now; p >= now - 1; p--) {
        k = ticket_keys_for(p);
        if (k != NULL && CRYPTO_memcmp(key_name, k->name, TICKET_NAME_LEN) == 0)
            return ticket_use_keys(k, iv, cctx, hctx, 0) ? (p == now ? 1 : 2) : 0;
    }
    return 0;
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
    /* Resumption by tickets only (see "Session tickets"). A per-worker
     * session cache would resume only clients that happen to reach the same
     * worker again, and not after a reload, so nothing is stored; the
     * server mode stays on so that a TLS 1.2 ServerHello still carries a
     * session ID, which some clients need to think a session resumable
     * (as nginx's "ssl_session_cache none"). */
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_set_timeout(ctx, TICKET_PERIOD_S);
    SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_key_cb);
    if (SSL_CTX_set_cipher_list(ctx, cfg->ssl_ciphers) != 1)
        snprintf(err, errlen, "ssl_ciphers \"%s\": no usable cipher", cfg->ssl_ciphers);
    else if (use_pem(ctx, cfg, cert, clen, key, klen, err, errlen) == 0)
        return ctx;
    openssl_reason(err, errlen);
    SSL_CTX_free(ctx);
    return NULL;
}

/* Prefixes ERR, a message that starts with the directive it is about
 * (as eider_tls_server_ctx's do), with that directive's file:line. */
static void blame_tls_directive(const struct eider_config *cfg, char *err, size_t errlen)
{
    /* Longest first: "ssl_certificate" is a prefix of "ssl_certificate_key". */
    static const char *const names[] = { "ssl_certificate_key", "ssl_certificate", "ssl_ciphers" };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t n = strlen(names[i]);
        if (strncmp(err, names[i], n) == 0 && (err[n] == ' ' || err[n] == ':')) {
            eider_config_blame(cfg, eider_config_where(cfg, names[i]), names[i], err, errlen);
            return;
        }
    }
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
            const struct eider_listen *l = cfg->listens;
            while (!l->ssl)
                l++;
            snprintf(err, errlen, "listen %s ssl needs ssl_certificate and ssl_certificate_key "
                     "(missing: %s)", l->text, directives[i]);
            eider_config_blame(cfg, l->where, "listen", err, errlen);
            return -1;
        }
        if ((text = eider_read_file(paths[i], &len)) == NULL) {
            snprintf(err, errlen, "%s %s: %s", directives[i], paths[i], strerror(errno));
            blame_tls_directive(cfg, err, errlen);
            return -1;
        }
        eider_sources_add(pem, names[i], text, len, NULL, 0);
    }
    ctx = eider_tls_server_ctx(cfg, pem, err, errlen);
    if (ctx == NULL) {
        blame_tls_directive(cfg, err, errlen);
        return -1;
    }
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
