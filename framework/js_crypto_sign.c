/*
 * require('crypto')'s signatures: createSign/createVerify (update, then
 * sign or verify with a key) and the one-shot crypto.sign/crypto.verify,
 * for RSA (PKCS#1 v1.5 and PSS), RSA-PSS, ECDSA (DER or IEEE P1363
 * signatures) and Ed25519/Ed448, over OpenSSL 3's EVP_DigestSign. Keys
 * are KeyObjects or PEM/DER (js_crypto_keys.c). With these, JWTs signed
 * RS256, PS256 or ES256 verify, as jsonwebtoken and jose do them.
 *
 * A Sign or Verify collects its data in a growing buffer and signs it in
 * one call: the key arrives only at the end, and what is signed is small
 * (a token, a webhook body). The callback forms of sign/verify are not
 * there: call them without one.
 */
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <string.h>
#include <strings.h>

#include "encoding.h"
#include "js_buffer.h"
#include "js_crypto_internal.h"
#include "js_internal.h"

#define SIGN_ALG DUK_HIDDEN_SYMBOL("signAlg")
#define SIGN_DATA DUK_HIDDEN_SYMBOL("signData")
#define SIGN_LEN DUK_HIDDEN_SYMBOL("signLen")

/* What a key argument may add: { padding, saltLength, dsaEncoding }. */
struct sign_opts {
    int padding;        /* RSA_PKCS1_PADDING or RSA_PKCS1_PSS_PADDING */
    int salt;           /* saltLength, or RSA_PSS_SALTLEN_AUTO */
    int p1363;          /* ECDSA signature as r || s rather than DER */
};

static void read_opts(duk_context *ctx, duk_idx_t key, struct sign_opts *o)
{
    o->padding = RSA_PKCS1_PADDING;
    o->salt = RSA_PSS_SALTLEN_AUTO;
    o->p1363 = 0;
    if (!duk_is_object(ctx, key) || duk_is_buffer_data(ctx, key))
        return;
    if (duk_get_prop_string(ctx, key, "padding"))
        o->padding = duk_to_int(ctx, -1);
    if (duk_get_prop_string(ctx, key, "saltLength"))
        o->salt = duk_to_int(ctx, -1);
    if (duk_get_prop_string(ctx, key, "dsaEncoding"))
        o->p1363 = strcmp(duk_safe_to_string(ctx, -1), "ieee-p1363") == 0;
    duk_pop_3(ctx);
}

/* Sets *MD to the digest name for ALG as Node takes it ("RSA-SHA256",
 * "sha256", "ecdsa-with-SHA256"), or NULL for none (ALG NULL, or an Ed
 * key, which hashes by itself). Returns 0 for a name it does not know. */
static int digest_name(const char *alg, EVP_PKEY *pkey, const char **md)
{
    static const char *prefixes[] = { "RSA-", "ecdsa-with-" };
    const EVP_MD *found;

    *md = NULL;
    if (alg == NULL || EVP_PKEY_is_a(pkey, "ED25519") || EVP_PKEY_is_a(pkey, "ED448"))
        return 1;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncasecmp(alg, prefixes[i], strlen(prefixes[i])) == 0) {
            alg += strlen(prefixes[i]);
            break;
        }
    if ((found = eider_crypto_md(alg)) == NULL)
        return 0;
    *md = EVP_MD_get0_name(found);
    return 1;
}

/* A digest-sign (or verify) context over PKEY for ALG with O's padding.
 * On failure frees PKEY (the caller's reference) and throws. */
static EVP_MD_CTX *start(duk_context *ctx, const char *alg, EVP_PKEY *pkey,
                         const struct sign_opts *o, int verify)
{
    EVP_MD_CTX *mctx;
    EVP_PKEY_CTX *pctx = NULL;
    const char *md;
    int ok;

    if (!digest_name(alg, pkey, &md)) {
        EVP_PKEY_free(pkey);
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: %s", alg);
    }
    if ((mctx = EVP_MD_CTX_new()) == NULL)
        ok = 0;
    else
        ok = verify ? EVP_DigestVerifyInit_ex(mctx, &pctx, md, NULL, NULL, pkey, NULL)
                    : EVP_DigestSignInit_ex(mctx, &pctx, md, NULL, NULL, pkey, NULL);
    if (ok && o->padding == RSA_PKCS1_PSS_PADDING && EVP_PKEY_is_a(pkey, "RSA"))
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
             && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, o->salt) > 0;
    if (!ok) {
        EVP_MD_CTX_free(mctx);
        EVP_PKEY_free(pkey);
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
                           "cannot %s with this key and algorithm (%s)", verify ? "verify" : "sign",
                           alg ? alg : "the key's default");
    }
    return mctx;
}

/* The width in bytes of r and s in an ECDSA signature by PKEY. */
static size_t ec_half(EVP_PKEY *pkey)
{
    return (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
}

/* Pushes the signature of DATA by PKEY as a Buffer, or a string in the
 * output encoding at ENC_IDX if there is one (not DUK_INVALID_INDEX,
 * undefined or "buffer"). Consumes PKEY; throws on failure. */
static void push_signature(duk_context *ctx, const char *alg, const unsigned char *data, size_t len,
                           EVP_PKEY *pkey, const struct sign_opts *o, duk_idx_t enc_idx)
{
    EVP_MD_CTX *mctx = start(ctx, alg, pkey, o, 0);
    size_t siglen = 0;
    unsigned char *sig;

    if (EVP_DigestSign(mctx, NULL, &siglen, data, len) != 1) {
        EVP_MD_CTX_free(mctx);
        EVP_PKEY_free(pkey);
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_CRYPTO_SIGN_KEY_REQUIRED",
                           "cannot sign with this key and algorithm");
    }
    sig = duk_push_fixed_buffer(ctx, siglen);
    if (EVP_DigestSign(mctx, sig, &siglen, data, len) != 1) {
        EVP_MD_CTX_free(mctx);
        EVP_PKEY_free(pkey);
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_CRYPTO_OPERATION_FAILED", "signing failed");
    }
    EVP_MD_CTX_free(mctx);
    if (o->p1363 && EVP_PKEY_is_a(pkey, "EC")) {
        const unsigned char *p = sig;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
        size_t half = ec_half(pkey);
        unsigned char *rs = duk_push_fixed_buffer(ctx, 2 * half);

        if (es != NULL) {
            BN_bn2binpad(ECDSA_SIG_get0_r(es), rs, (int)half);
            BN_bn2binpad(ECDSA_SIG_get0_s(es), rs + half, (int)half);
            ECDSA_SIG_free(es);
        }
        duk_remove(ctx, -2);
        sig = rs;
        siglen = 2 * half;
    }
    EVP_PKEY_free(pkey);
    if (enc_idx != DUK_INVALID_INDEX && !duk_is_null_or_undefined(ctx, enc_idx)
        && strcasecmp(duk_safe_to_string(ctx, enc_idx), "buffer") != 0)
        eider_js_push_text(ctx, eider_js_encoding_arg(ctx, enc_idx), sig, siglen);
    else
        memcpy(eider_js_push_node_buffer(ctx, siglen, siglen), sig, siglen);
}

/* Whether SIG (SIGLEN bytes) is PKEY's signature of DATA; consumes PKEY. */
static int check_signature(duk_context *ctx, const char *alg, const unsigned char *data, size_t len,
                           EVP_PKEY *pkey, const struct sign_opts *o,
                           const unsigned char *sig, size_t siglen)
{
    EVP_MD_CTX *mctx = start(ctx, alg, pkey, o, 1);
    unsigned char *der = NULL;
    int ok = 0;

    if (o->p1363 && EVP_PKEY_is_a(pkey, "EC")) {
        size_t half = ec_half(pkey);
        ECDSA_SIG *es = ECDSA_SIG_new();
        int n;

        if (siglen != 2 * half || es == NULL
            || !ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)half, NULL), BN_bin2bn(sig + half, (int)half, NULL))
            || (n = i2d_ECDSA_SIG(es, &der)) <= 0) {
            ECDSA_SIG_free(es);
            goto done;
        }
        ECDSA_SIG_free(es);
        sig = der;
        siglen = (size_t)n;
    }
    ok = EVP_DigestVerify(mctx, sig, siglen, data, len) == 1;
done:
    OPENSSL_free(der);
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_free(pkey);
    return ok;
}

/* --- Sign and Verify objects --- */

/* Pushes a Sign or Verify (METHODS) for algorithm argument 0. */
static void push_signer(duk_context *ctx, const duk_function_list_entry *methods)
{
    if (!duk_is_string(ctx, 0))
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
                           "The \"algorithm\" argument must be of type string");
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, methods);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, -2, SIGN_ALG);
    duk_push_dynamic_buffer(ctx, 0);
    duk_put_prop_string(ctx, -2, SIGN_DATA);
    duk_push_uint(ctx, 0);
    duk_put_prop_string(ctx, -2, SIGN_LEN);
}

/* sign.update(data[, inputEncoding]) and verify.update: appends; returns this. */
static duk_ret_t signer_update(duk_context *ctx)
{
    enum eider_enc enc = duk_is_null_or_undefined(ctx, 1) ? EIDER_ENC_UTF8 : eider_js_encoding_arg(ctx, 1);
    size_t len, have;
    const unsigned char *p = eider_crypto_input(ctx, 0, enc, "data", &len);
    unsigned char *buf;

    duk_push_this(ctx);
    duk_get_prop_string(ctx, -1, SIGN_LEN);
    have = (size_t)duk_get_uint(ctx, -1);
    duk_get_prop_string(ctx, -2, SIGN_DATA);
    buf = duk_resize_buffer(ctx, -1, have + len);
    if (len > 0)
        memcpy(buf + have, p, len);
    duk_push_uint(ctx, (duk_uint_t)(have + len));
    duk_put_prop_string(ctx, -4, SIGN_LEN);
    duk_pop_2(ctx);
    return 1;
}

/* The data and algorithm `this` collected (pushes two values). */
static const unsigned char *signer_data(duk_context *ctx, const char **alg, size_t *len)
{
    duk_size_t n;
    const unsigned char *p;

    duk_push_this(ctx);
    duk_get_prop_string(ctx, -1, SIGN_ALG);
    *alg = duk_get_string(ctx, -1);
    duk_get_prop_string(ctx, -2, SIGN_DATA);
    p = duk_get_buffer(ctx, -1, &n);
    *len = n;
    return p ? p : (const unsigned char *)"";
}

/* sign.sign(privateKey[, outputEncoding]): the signature. */
static duk_ret_t signer_sign(duk_context *ctx)
{
    struct sign_opts o;
    const char *alg;
    size_t len;
    const unsigned char *data = signer_data(ctx, &alg, &len);
    EVP_PKEY *pkey;

    read_opts(ctx, 0, &o);
    pkey = eider_crypto_pkey_arg(ctx, 0, 1);
    push_signature(ctx, alg, data, len, pkey, &o, 1);
    return 1;
}

/* verify.verify(key, signature[, signatureEncoding]): true or false. */
static duk_ret_t signer_verify(duk_context *ctx)
{
    struct sign_opts o;
    const char *alg;
    size_t len, siglen;
    const unsigned char *data = signer_data(ctx, &alg, &len), *sig;
    enum eider_enc enc = duk_is_null_or_undefined(ctx, 2) ? EIDER_ENC_UTF8 : eider_js_encoding_arg(ctx, 2);
    EVP_PKEY *pkey;

    sig = eider_crypto_input(ctx, 1, enc, "signature", &siglen);
    read_opts(ctx, 0, &o);
    pkey = eider_crypto_pkey_arg(ctx, 0, 0);
    duk_push_boolean(ctx, check_signature(ctx, alg, data, len, pkey, &o, sig, siglen));
    return 1;
}

static const duk_function_list_entry sign_methods[] = {
    { "update", signer_update, 2 },
    { "sign", signer_sign, 2 },
    { NULL, NULL, 0 }
};

static const duk_function_list_entry verify_methods[] = {
    { "update", signer_update, 2 },
    { "verify", signer_verify, 3 },
    { NULL, NULL, 0 }
};

/* crypto.createSign(algorithm) */
static duk_ret_t create_sign(duk_context *ctx)
{
    push_signer(ctx, sign_methods);
    return 1;
}

/* crypto.createVerify(algorithm) */
static duk_ret_t create_verify(duk_context *ctx)
{
    push_signer(ctx, verify_methods);
    return 1;
}

/* Throws if argument idx is a callback: not supported. */
static void refuse_callback(duk_context *ctx, duk_idx_t idx)
{
    if (duk_is_function(ctx, idx))
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM",
                           "crypto.sign/verify with a callback is not supported in eider: "
                           "call it without one (it is synchronous)");
}

/* crypto.sign(algorithm, data, key): the signature as a Buffer;
 * ALGORITHM may be null (for Ed25519/Ed448, or the key's default). */
static duk_ret_t sign_oneshot(duk_context *ctx)
{
    struct sign_opts o;
    size_t len;
    const char *alg = duk_is_null_or_undefined(ctx, 0) ? NULL : duk_require_string(ctx, 0);
    const unsigned char *data = eider_crypto_input(ctx, 1, EIDER_ENC_UTF8, "data", &len);
    EVP_PKEY *pkey;

    refuse_callback(ctx, 3);
    read_opts(ctx, 2, &o);
    pkey = eider_crypto_pkey_arg(ctx, 2, 1);
    push_signature(ctx, alg, data, len, pkey, &o, DUK_INVALID_INDEX);
    return 1;
}

/* crypto.verify(algorithm, data, key, signature): true or false. */
static duk_ret_t verify_oneshot(duk_context *ctx)
{
    struct sign_opts o;
    size_t len, siglen;
    const char *alg = duk_is_null_or_undefined(ctx, 0) ? NULL : duk_require_string(ctx, 0);
    const unsigned char *data = eider_crypto_input(ctx, 1, EIDER_ENC_UTF8, "data", &len);
    const unsigned char *sig = eider_crypto_input(ctx, 3, EIDER_ENC_UTF8, "signature", &siglen);
    EVP_PKEY *pkey;

    refuse_callback(ctx, 4);
    read_opts(ctx, 2, &o);
    pkey = eider_crypto_pkey_arg(ctx, 2, 0);
    duk_push_boolean(ctx, check_signature(ctx, alg, data, len, pkey, &o, sig, siglen));
    return 1;
}

static const duk_function_list_entry sign_functions[] = {
    { "createSign", create_sign, 1 },
    { "createVerify", create_verify, 1 },
    { "sign", sign_oneshot, 4 },
    { "verify", verify_oneshot, 5 },
    { NULL, NULL, 0 }
};

/* Node's crypto.constants that signing uses. */
static const duk_number_list_entry sign_constants[] = {
    { "RSA_PKCS1_PADDING", RSA_PKCS1_PADDING },
    { "RSA_PKCS1_PSS_PADDING", RSA_PKCS1_PSS_PADDING },
    { "RSA_PSS_SALTLEN_DIGEST", RSA_PSS_SALTLEN_DIGEST },
    { "RSA_PSS_SALTLEN_MAX_SIGN", -2 },
    { "RSA_PSS_SALTLEN_AUTO", RSA_PSS_SALTLEN_AUTO },
    { NULL, 0.0 }
};

void eider_crypto_sign_push(duk_context *ctx)
{
    duk_put_function_list(ctx, -1, sign_functions);
    duk_push_object(ctx);
    duk_put_number_list(ctx, -1, sign_constants);
    duk_put_prop_string(ctx, -2, "constants");
}
