/*
 * What the files of require('crypto') share: js_crypto.c (hashes, HMAC,
 * random) and js_crypto_keys.c (KeyObject).
 */
#ifndef EIDER_JS_CRYPTO_INTERNAL_H
#define EIDER_JS_CRYPTO_INTERNAL_H

#include <stddef.h>

#include <openssl/evp.h>

#include "duktape.h"

/* The digest named NAME (any case; Node's names), or NULL. */
const EVP_MD *eider_crypto_md(const char *name);

/* Throws an error of TYPE whose code property is CODE (Node's
 * ERR_... names). Never returns. */
duk_ret_t eider_crypto_throw(duk_context *ctx, duk_errcode_t type, const char *code,
                             const char *fmt, ...);

/* The bytes of argument idx: a Buffer, typed array, ArrayBuffer or
 * DataView as it is, a string in encoding ENC (an enum eider_enc); may push
 * a buffer holding decoded bytes, valid while the C function runs. Throws a
 * TypeError naming WHAT for anything else. */
const unsigned char *eider_crypto_input(duk_context *ctx, duk_idx_t idx, int enc,
                                        const char *what, size_t *len);

/* The bytes of the secret KeyObject at idx, or NULL if it is not one. */
const unsigned char *eider_crypto_secret_key(duk_context *ctx, duk_idx_t idx, size_t *len);

/* The EVP_PKEY of the asymmetric KeyObject at idx (borrowed; *IS_PRIVATE
 * set if not NULL), or NULL if it is none. */
EVP_PKEY *eider_crypto_key_pkey(duk_context *ctx, duk_idx_t idx, int *is_private);

/* The key argument at idx for signing (WANT_PRIVATE) or verifying: a
 * KeyObject, PEM or DER text or bytes, or { key, passphrase }; a
 * verifier also takes a private key. Returns a reference the caller
 * frees with EVP_PKEY_free; throws if there is no such key. */
EVP_PKEY *eider_crypto_pkey_arg(duk_context *ctx, duk_idx_t idx, int want_private);

/* Adds KeyObject, createSecretKey, createPrivateKey and createPublicKey
 * to the crypto exports on top of the stack. */
void eider_crypto_keys_push(duk_context *ctx);

/* Adds createSign, createVerify, sign and verify (js_crypto_sign.c). */
void eider_crypto_sign_push(duk_context *ctx);

#endif
