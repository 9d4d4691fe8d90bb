/*
 * require('crypto')'s KeyObject: secret keys (createSecretKey), which
 * createHmac takes as a key, as Node's do. Libraries written for Node 16+
 * (jsonwebtoken 9, jose) wrap every key in one before they use it.
 *
 * createPrivateKey and createPublicKey exist so that such code can try
 * them, but eider has no asymmetric keys yet: they throw, which is also
 * what Node does for a string that is not a PEM or DER key (jsonwebtoken
 * then makes a secret key of it).
 *
 * A KeyObject keeps its type and a copy of its bytes in hidden
 * properties; export() hands out a fresh copy, so the key cannot be
 * changed through what it gave.
 */
#include <string.h>

#include "encoding.h"
#include "js_buffer.h"
#include "js_crypto_internal.h"
#include "js_internal.h"

#define KEY_TYPE DUK_HIDDEN_SYMBOL("keyType")
#define KEY_BYTES DUK_HIDDEN_SYMBOL("keyBytes")
#define STASH_KEY_PROTO "cryptoKeyObject"

/* Pushes the stashed KeyObject.prototype. */
static void push_key_proto(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_KEY_PROTO);
    duk_remove(ctx, -2);
}

const unsigned char *eider_crypto_secret_key(duk_context *ctx, duk_idx_t idx, size_t *len)
{
    const char *type;
    void *p;
    duk_size_t n;

    if (!duk_is_object(ctx, idx) || duk_is_buffer_data(ctx, idx))
        return NULL;
    duk_get_prop_string(ctx, idx, KEY_TYPE);
    type = duk_get_string(ctx, -1);
    duk_pop(ctx);
    if (type == NULL || strcmp(type, "secret") != 0)
        return NULL;
    duk_get_prop_string(ctx, idx, KEY_BYTES);
    p = duk_get_buffer(ctx, -1, &n);
    duk_pop(ctx);                /* the object keeps the buffer alive */
    *len = n;
    return p ? p : (const unsigned char *)"";
}

/* The KeyObject `this`'s bytes; throws unless it is a secret key. */
static const unsigned char *this_secret(duk_context *ctx, size_t *len)
{
    const unsigned char *p;

    duk_push_this(ctx);
    p = eider_crypto_secret_key(ctx, -1, len);
    duk_pop(ctx);
    if (p == NULL)
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_THIS", "not a secret KeyObject");
    return p;
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

    push_key_proto(ctx);
    duk_push_object(ctx);
    duk_dup(ctx, -2);
    duk_set_prototype(ctx, -2);
    duk_push_string(ctx, "secret");
    duk_put_prop_string(ctx, -2, KEY_TYPE);
    copy = duk_push_fixed_buffer(ctx, len);
    if (len > 0)
        memcpy(copy, key, len);
    duk_put_prop_string(ctx, -2, KEY_BYTES);
    return 1;
}

/* crypto.createPrivateKey / createPublicKey: no asymmetric keys yet. */
static duk_ret_t create_asymmetric_key(duk_context *ctx)
{
    return eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM",
                              "eider's crypto has no asymmetric keys (RSA, EC, Ed25519) yet: "
                              "only secret keys (createSecretKey) and HMAC");
}

/* new KeyObject(): refused, as in Node; keys come from createSecretKey. */
static duk_ret_t key_object_ctor(duk_context *ctx)
{
    return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_ILLEGAL_CONSTRUCTOR",
                              "Illegal constructor: use crypto.createSecretKey()");
}

/* key.type: 'secret'. */
static duk_ret_t key_type(duk_context *ctx)
{
    duk_push_this(ctx);
    duk_get_prop_string(ctx, -1, KEY_TYPE);
    return 1;
}

/* key.symmetricKeySize: the length in bytes. */
static duk_ret_t key_size(duk_context *ctx)
{
    size_t len;

    this_secret(ctx, &len);
    duk_push_uint(ctx, (duk_uint_t)len);
    return 1;
}

/* key.export([{ format }]): a Buffer copy of the bytes, or with format
 * 'jwk' the JSON Web Key { kty: 'oct', k: base64url }. */
static duk_ret_t key_export(duk_context *ctx)
{
    size_t len;
    const unsigned char *p = this_secret(ctx, &len);
    const char *format = NULL;

    if (duk_is_object(ctx, 0)) {
        duk_get_prop_string(ctx, 0, "format");
        format = duk_get_string(ctx, -1);
    }
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

/* key.equals(other): same type and bytes. */
static duk_ret_t key_equals(duk_context *ctx)
{
    size_t a, b;
    const unsigned char *p = this_secret(ctx, &a), *q = eider_crypto_secret_key(ctx, 0, &b);

    duk_push_boolean(ctx, q != NULL && a == b && memcmp(p, q, a) == 0);
    return 1;
}

static const duk_function_list_entry key_methods[] = {
    { "export", key_export, 1 },
    { "equals", key_equals, 1 },
    { NULL, NULL, 0 }
};

static const duk_function_list_entry key_functions[] = {
    { "createSecretKey", create_secret_key, 2 },
    { "createPrivateKey", create_asymmetric_key, 1 },
    { "createPublicKey", create_asymmetric_key, 1 },
    { NULL, NULL, 0 }
};

/* Defines the getter NAME on the object on top. */
static void def_getter(duk_context *ctx, const char *name, duk_c_function fn)
{
    duk_push_string(ctx, name);
    duk_push_c_function(ctx, fn, 0);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
}

/* Adds the key functions and KeyObject (its prototype also stashed, for
 * createSecretKey) to the exports on top. */
void eider_crypto_keys_push(duk_context *ctx)
{
    duk_put_function_list(ctx, -1, key_functions);
    duk_push_c_function(ctx, key_object_ctor, 0);
    duk_push_object(ctx);                               /* [exports ctor proto] */
    duk_put_function_list(ctx, -1, key_methods);
    def_getter(ctx, "type", key_type);
    def_getter(ctx, "symmetricKeySize", key_size);
    duk_dup(ctx, -2);
    duk_put_prop_string(ctx, -2, "constructor");
    duk_push_heap_stash(ctx);
    duk_dup(ctx, -2);
    duk_put_prop_string(ctx, -2, STASH_KEY_PROTO);
    duk_pop(ctx);
    duk_put_prop_string(ctx, -2, "prototype");
    duk_put_prop_string(ctx, -2, "KeyObject");
}
