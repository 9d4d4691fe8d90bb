/*
 * require('crypto')'s KeyObject: secret keys (createSecretKey), which
 * createHmac takes, and asymmetric ones (createPrivateKey,
 * createPublicKey: RSA, RSA-PSS, EC, Ed25519, Ed448 from PEM or DER),
 * which Sign and Verify take (js_crypto_sign.c). Libraries written for
 * Node 16+ (jsonwebtoken 9, jose) wrap every key in one before using it.
 *
 * A KeyObject keeps its type ("secret", "public", "private") in a hidden
 * property, and either a copy of its bytes or an EVP_PKEY reference; the
 * prototype's finalizer drops the reference. export() hands out fresh
 * copies, so a key cannot be changed through what it gave.
 */
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <string.h>

#include "encoding.h"
#include "js_buffer.h"
#include "js_crypto_internal.h"
#include "js_internal.h"

#define KEY_TYPE DUK_HIDDEN_SYMBOL("keyType")
#define KEY_BYTES DUK_HIDDEN_SYMBOL("keyBytes")
#define KEY_PKEY DUK_HIDDEN_SYMBOL("keyPkey")
#define STASH_KEY_PROTO "cryptoKeyObject"

/* Node's asymmetricKeyType names, by OpenSSL key type. */
static const struct {
    const char *ossl;
    const char *node;
} key_kinds[] = {
    { "RSA", "rsa" }, { "RSA-PSS", "rsa-pss" }, { "EC", "ec" },
    { "ED25519", "ed25519" }, { "ED448", "ed448" }, { "X25519", "x25519" },
    { "X448", "x448" }, { "DSA", "dsa" }, { "DH", "dh" },
};

/* Pushes a new KeyObject of TYPE, with the stashed prototype. */
static void push_key(duk_context *ctx, const char *type)
{
    duk_push_object(ctx);
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_KEY_PROTO);
    duk_set_prototype(ctx, -3);
    duk_pop(ctx);
    duk_push_string(ctx, type);
    duk_put_prop_string(ctx, -2, KEY_TYPE);
}

/* The type of the KeyObject at idx, or NULL if it is none. */
static const char *key_type_of(duk_context *ctx, duk_idx_t idx)
{
    const char *type;

    if (!duk_is_object(ctx, idx) || duk_is_buffer_data(ctx, idx))
        return NULL;
    duk_get_prop_string(ctx, idx, KEY_TYPE);
    type = duk_get_string(ctx, -1);    /* interned: outlives the pop */
    duk_pop(ctx);
    return type;
}

const unsigned char *eider_crypto_secret_key(duk_context *ctx, duk_idx_t idx, size_t *len)
{
    const char *type = key_type_of(ctx, idx);
    void *p;
    duk_size_t n;

    if (type == NULL || strcmp(type, "secret") != 0)
        return NULL;
    duk_get_prop_string(ctx, idx, KEY_BYTES);
    p = duk_get_buffer(ctx, -1, &n);
    duk_pop(ctx);                /* the object keeps the buffer alive */
    *len = n;
    return p ? p : (const unsigned char *)"";
}

EVP_PKEY *eider_crypto_key_pkey(duk_context *ctx, duk_idx_t idx, int *is_private)
{
    const char *type = key_type_of(ctx, idx);
    EVP_PKEY *pkey;

    if (type == NULL || strcmp(type, "secret") == 0)
        return NULL;
    duk_get_prop_string(ctx, idx, KEY_PKEY);
    pkey = duk_get_pointer(ctx, -1);
    duk_pop(ctx);
    if (is_private != NULL)
        *is_private = strcmp(type, "private") == 0;
    return pkey;
}

/* Decodes the LEN bytes at P (PEM or DER, any structure OpenSSL knows:
 * PKCS#8, SPKI, PKCS#1, SEC1, certificates aside) into a key with at
 * least the parts SELECTION asks for. Returns it (the caller owns it) or
 * NULL. */
static EVP_PKEY *decode_key(const unsigned char *p, size_t len, int selection,
                            const char *passphrase)
{
    EVP_PKEY *pkey = NULL;
    OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL, selection,
                                                           NULL, NULL);

    if (dctx == NULL)
        return NULL;
    if (passphrase != NULL)
        OSSL_DECODER_CTX_set_passphrase(dctx, (const unsigned char *)passphrase, strlen(passphrase));
    if (!OSSL_DECODER_from_data(dctx, &p, &len)) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    OSSL_DECODER_CTX_free(dctx);
    return pkey;
}

EVP_PKEY *eider_crypto_pkey_arg(duk_context *ctx, duk_idx_t idx, int want_private)
{
    const char *passphrase = NULL;
    const unsigned char *p;
    EVP_PKEY *pkey;
    int priv = 0;
    size_t len;

    idx = duk_normalize_index(ctx, idx);
    if ((pkey = eider_crypto_key_pkey(ctx, idx, &priv)) != NULL) {
        if (want_private && !priv)
            eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
                               "Invalid key object type public, expected private.");
        EVP_PKEY_up_ref(pkey);
        return pkey;
    }
    if (key_type_of(ctx, idx) != NULL)
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
                           "Invalid key object type secret, expected %s.",
                           want_private ? "private" : "public");
    if (duk_is_object(ctx, idx) && !duk_is_buffer_data(ctx, idx)) {
        duk_get_prop_string(ctx, idx, "passphrase");
        passphrase = duk_get_string(ctx, -1);
        duk_get_prop_string(ctx, idx, "key");
        if (eider_crypto_key_pkey(ctx, -1, NULL) != NULL || key_type_of(ctx, -1) != NULL)
            return eider_crypto_pkey_arg(ctx, -1, want_private);
        idx = duk_get_top_index(ctx);
    }
    p = eider_crypto_input(ctx, idx, EIDER_ENC_UTF8, "key", &len);
    pkey = decode_key(p, len, want_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, passphrase);
    if (pkey == NULL && !want_private)       /* a private key gives its public part */
        pkey = decode_key(p, len, EVP_PKEY_KEYPAIR, passphrase);
    if (pkey == NULL)
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_OSSL_UNSUPPORTED",
                           "error:1E08010C:DECODER routines::unsupported (no %s key in PEM or DER)",
                           want_private ? "private" : "public");
    return pkey;
}

/* crypto.createSecretKey(key[, encoding]): a KeyObject of type 'secret'
 * holding a copy of KEY's bytes (a string in ENCODING, utf8 by default). */
static duk_ret_t create_secret_key(duk_context *ctx)
{
    enum eider_enc enc = duk_is_null_or_undefined(ctx, 1) ? EIDER_ENC_UTF8
                         : eider_js_encoding_arg(ctx, 1);
    size_t len;
    const unsigned char *key = eider_crypto_input(ctx, 0, enc, "key", &len);
    void *copy;

    push_key(ctx, "secret");
    copy = duk_push_fixed_buffer(ctx, len);
    if (len > 0)
        memcpy(copy, key, len);
    duk_put_prop_string(ctx, -2, KEY_BYTES);
    return 1;
}

/* Pushes a KeyObject of TYPE owning PKEY's reference. */
static void push_pkey(duk_context *ctx, const char *type, EVP_PKEY *pkey)
{
    push_key(ctx, type);
    duk_push_pointer(ctx, NULL);      /* allocates the slot: may throw */
    duk_put_prop_string(ctx, -2, KEY_PKEY);
    duk_push_pointer(ctx, pkey);      /* fills it: cannot throw */
    duk_put_prop_string(ctx, -2, KEY_PKEY);
}

/* crypto.createPrivateKey(key): key PEM or DER (string, bytes, or
 * { key, passphrase }); a KeyObject of type 'private'. */
static duk_ret_t create_private_key(duk_context *ctx)
{
    EVP_PKEY *pkey = eider_crypto_pkey_arg(ctx, 0, 1);

    push_pkey(ctx, "private", pkey);
    return 1;
}

/* crypto.createPublicKey(key): from a public key, or the public part of
 * a private one (PEM, DER or a private KeyObject). */
static duk_ret_t create_public_key(duk_context *ctx)
{
    EVP_PKEY *pkey = eider_crypto_pkey_arg(ctx, 0, 0);

    push_pkey(ctx, "public", pkey);
    return 1;
}

/* new KeyObject(): refused, as in Node; keys come from the create*Key. */
static duk_ret_t key_object_ctor(duk_context *ctx)
{
    return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_ILLEGAL_CONSTRUCTOR",
                              "Illegal constructor: use crypto.createSecretKey() or "
                              "createPrivateKey()/createPublicKey()");
}

/* Finalizer of KeyObjects: drops the EVP_PKEY reference, if any. */
static duk_ret_t key_finalize(duk_context *ctx)
{
    if (duk_get_prop_string(ctx, 0, KEY_PKEY)) {
        EVP_PKEY_free(duk_get_pointer(ctx, -1));
        duk_pop(ctx);
        duk_push_pointer(ctx, NULL);
        duk_put_prop_string(ctx, 0, KEY_PKEY);
    }
    return 0;
}

/* key.type: 'secret', 'public' or 'private'. */
static duk_ret_t key_type(duk_context *ctx)
{
    duk_push_this(ctx);
    duk_get_prop_string(ctx, -1, KEY_TYPE);
    return 1;
}

/* key.symmetricKeySize: a secret key's length in bytes, else undefined. */
static duk_ret_t key_size(duk_context *ctx)
{
    size_t len;

    duk_push_this(ctx);
    if (eider_crypto_secret_key(ctx, -1, &len) == NULL)
        return 0;
    duk_push_uint(ctx, (duk_uint_t)len);
    return 1;
}

/* key.asymmetricKeyType: 'rsa', 'ec', 'ed25519'..., else undefined. */
static duk_ret_t key_kind(duk_context *ctx)
{
    EVP_PKEY *pkey;

    duk_push_this(ctx);
    if ((pkey = eider_crypto_key_pkey(ctx, -1, NULL)) == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(key_kinds) / sizeof(key_kinds[0]); i++)
        if (EVP_PKEY_is_a(pkey, key_kinds[i].ossl)) {
            duk_push_string(ctx, key_kinds[i].node);
            return 1;
        }
    return 0;
}

/* key.asymmetricKeyDetails: { modulusLength } for RSA, { namedCurve }
 * for EC, {} for the others; undefined for a secret key. */
static duk_ret_t key_details(duk_context *ctx)
{
    EVP_PKEY *pkey;
    char curve[80];

    duk_push_this(ctx);
    if ((pkey = eider_crypto_key_pkey(ctx, -1, NULL)) == NULL)
        return 0;
    duk_push_object(ctx);
    if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS")) {
        duk_push_int(ctx, EVP_PKEY_get_bits(pkey));
        duk_put_prop_string(ctx, -2, "modulusLength");
    } else if (EVP_PKEY_is_a(pkey, "EC")
               && EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, curve,
                                                 sizeof(curve), NULL)) {
        duk_push_string(ctx, curve);
        duk_put_prop_string(ctx, -2, "namedCurve");
    }
    return 1;
}

/* Pushes PKEY written as FORMAT ("pem" or "der") in STRUCTURE (spki,
 * pkcs8, pkcs1); throws if OpenSSL cannot. */
static void push_exported(duk_context *ctx, EVP_PKEY *pkey, int priv, const char *format,
                          const char *structure)
{
    static const struct { const char *node, *ossl; } structs[] = {
        { "spki", "SubjectPublicKeyInfo" }, { "pkcs8", "PrivateKeyInfo" },
        { "pkcs1", "type-specific" }, { "sec1", "type-specific" },
    };
    const char *ossl = priv ? "PrivateKeyInfo" : "SubjectPublicKeyInfo";
    unsigned char *out = NULL;
    size_t len = 0;
    OSSL_ENCODER_CTX *ectx;
    int pem = format == NULL || strcmp(format, "pem") == 0;

    if (!pem && strcmp(format, "der") != 0)
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_VALUE",
                           "The property 'options.format' must be one of: 'pem', 'der'");
    for (size_t i = 0; structure != NULL && i < sizeof(structs) / sizeof(structs[0]); i++)
        if (strcmp(structure, structs[i].node) == 0)
            ossl = structs[i].ossl;
    ectx = OSSL_ENCODER_CTX_new_for_pkey(pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                                         pem ? "PEM" : "DER", ossl, NULL);
    if (ectx == NULL || !OSSL_ENCODER_to_data(ectx, &out, &len)) {
        OSSL_ENCODER_CTX_free(ectx);
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_CRYPTO_OPERATION_FAILED",
                           "cannot export this key as %s %s", structure ? structure : "", pem ? "pem" : "der");
    }
    OSSL_ENCODER_CTX_free(ectx);
    if (pem)
        duk_push_lstring(ctx, (const char *)out, len);
    else
        memcpy(eider_js_push_node_buffer(ctx, len, len), out, len);
    OPENSSL_free(out);
}

/* key.export([options]): a secret key's bytes as a Buffer, or as a JWK
 * { kty: 'oct', k } with format 'jwk'; an asymmetric key as PEM (a
 * string) or DER (a Buffer) in options.type (spki, pkcs8, pkcs1, sec1). */
static duk_ret_t key_export(duk_context *ctx)
{
    const char *format = NULL, *structure = NULL;
    const unsigned char *p;
    EVP_PKEY *pkey;
    size_t len;
    int priv;

    if (duk_is_object(ctx, 0)) {
        duk_get_prop_string(ctx, 0, "format");
        format = duk_get_string(ctx, -1);
        duk_get_prop_string(ctx, 0, "type");
        structure = duk_get_string(ctx, -1);
    }
    duk_push_this(ctx);
    if ((pkey = eider_crypto_key_pkey(ctx, -1, &priv)) != NULL) {
        push_exported(ctx, pkey, priv, format, structure);
        return 1;
    }
    if ((p = eider_crypto_secret_key(ctx, -1, &len)) == NULL)
        return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_THIS", "not a KeyObject");
    if (format != NULL && strcmp(format, "jwk") == 0) {
        duk_push_object(ctx);
        duk_push_string(ctx, "oct");
        duk_put_prop_string(ctx, -2, "kty");
        eider_js_push_text(ctx, EIDER_ENC_BASE64URL, p, len);
        duk_put_prop_string(ctx, -2, "k");
        return 1;
    }
    if (format != NULL && strcmp(format, "buffer") != 0)
        return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_VALUE",
                                  "The property 'options.format' must be one of: 'buffer', 'jwk'");
    memcpy(eider_js_push_node_buffer(ctx, len, len), p, len);
    return 1;
}

/* key.equals(other): same type and the same bytes or key. */
static duk_ret_t key_equals(duk_context *ctx)
{
    const char *a = NULL, *b = key_type_of(ctx, 0);
    const unsigned char *p, *q;
    size_t n, m;
    int same;

    duk_push_this(ctx);
    a = key_type_of(ctx, -1);
    if (a == NULL || b == NULL || strcmp(a, b) != 0) {
        same = 0;
    } else if (strcmp(a, "secret") == 0) {
        p = eider_crypto_secret_key(ctx, -1, &n);
        q = eider_crypto_secret_key(ctx, 0, &m);
        same = n == m && memcmp(p, q, n) == 0;
    } else {
        same = EVP_PKEY_eq(eider_crypto_key_pkey(ctx, -1, NULL), eider_crypto_key_pkey(ctx, 0, NULL)) == 1;
    }
    duk_push_boolean(ctx, same);
    return 1;
}

static const duk_function_list_entry key_methods[] = {
    { "export", key_export, 1 },
    { "equals", key_equals, 1 },
    { NULL, NULL, 0 }
};

static const struct {
    const char *name;
    duk_c_function get;
} key_getters[] = {
    { "type", key_type }, { "symmetricKeySize", key_size },
    { "asymmetricKeyType", key_kind }, { "asymmetricKeyDetails", key_details },
};

static const duk_function_list_entry key_functions[] = {
    { "createSecretKey", create_secret_key, 2 },
    { "createPrivateKey", create_private_key, 1 },
    { "createPublicKey", create_public_key, 1 },
    { NULL, NULL, 0 }
};

/* Adds the key functions and KeyObject (its prototype, with the getters
 * and the finalizer, also stashed for push_key) to the exports on top. */
void eider_crypto_keys_push(duk_context *ctx)
{
    duk_put_function_list(ctx, -1, key_functions);
    duk_push_c_function(ctx, key_object_ctor, 0);
    duk_push_object(ctx);                               /* [exports ctor proto] */
    duk_put_function_list(ctx, -1, key_methods);
    for (size_t i = 0; i < sizeof(key_getters) / sizeof(key_getters[0]); i++) {
        duk_push_string(ctx, key_getters[i].name);
        duk_push_c_function(ctx, key_getters[i].get, 0);
        duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
    }
    duk_push_c_function(ctx, key_finalize, 2);
    duk_set_finalizer(ctx, -2);
    duk_dup(ctx, -2);
    duk_put_prop_string(ctx, -2, "constructor");
    duk_push_heap_stash(ctx);
    duk_dup(ctx, -2);
    duk_put_prop_string(ctx, -2, STASH_KEY_PROTO);
    duk_pop(ctx);
    duk_put_prop_string(ctx, -2, "prototype");
    duk_put_prop_string(ctx, -2, "KeyObject");
}
