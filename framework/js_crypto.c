/*
 * require('crypto'): hashes, HMAC, random bytes, timing-safe compare, on
 * OpenSSL 3 (EVP_MD and EVP_MAC), shaped like Node's module.
 *
 * A Hash or Hmac object holds a pointer to its OpenSSL context in a hidden
 * property. digest() frees the context and leaves NULL there (so a second
 * update() or digest() throws 'Digest already called'); an object dropped
 * without digest() is freed by the finalizer its prototype carries, at the
 * latest when the heap is destroyed.
 *
 * Everything is synchronous: randomBytes(n, cb) draws the bytes at once and
 * hands them to cb(null, buf) from setImmediate, as Node does. Unlike
 * Node, an unknown encoding name throws a TypeError instead of falling
 * back to UTF-8 or a Buffer.
 */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "js_buffer.h"
#include "js_crypto_internal.h"
#include "js_internal.h"

#define STATE_KEY DUK_HIDDEN_SYMBOL("digest")
#define STASH_HASH_PROTO "cryptoHash"
#define STASH_HMAC_PROTO "cryptoHmac"
#define RANDOM_MAX 65536          /* randomBytes limit, as Node */

/* Supported digests, sorted as getHashes() lists them. The EVP_MD is
 * fetched on first use and kept for the life of the process. */
static struct digest_alg {
    const char *name;       /* Node's name */
    const char *alias;      /* also accepted (WebCrypto style), or NULL */
    const char *ossl;       /* OpenSSL's name */
    EVP_MD *md;
} algs[] = {
    { "md5",        NULL,      "MD5",          NULL },
    { "sha1",       "sha-1",   "SHA1",         NULL },
    { "sha224",     "sha-224", "SHA2-224",     NULL },
    { "sha256",     "sha-256", "SHA2-256",     NULL },
    { "sha3-256",   NULL,      "SHA3-256",     NULL },
    { "sha3-384",   NULL,      "SHA3-384",     NULL },
    { "sha3-512",   NULL,      "SHA3-512",     NULL },
    { "sha384",     "sha-384", "SHA2-384",     NULL },
    { "sha512",     "sha-512", "SHA2-512",     NULL },
    { "sha512-224", NULL,      "SHA2-512/224", NULL },
    { "sha512-256", NULL,      "SHA2-512/256", NULL },
};
#define NALGS (sizeof(algs) / sizeof(algs[0]))

static EVP_MAC *hmac_mac;         /* fetched on first createHmac */

/* Digest and update take Buffer's encodings (encoding.h) and "buffer",
 * which asks for a Buffer instead of a string. */
#define ENC_BUFFER 100

/* The C side of a Hash (md set) or an Hmac (mac set). */
struct digest_state {
    EVP_MD_CTX *md;
    EVP_MAC_CTX *mac;
};

/* Throws an error of TYPE with a printf-style message and .code = CODE. */
duk_ret_t eider_crypto_throw(duk_context *ctx, duk_errcode_t type, const char *code,
                             const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    duk_push_error_object_va(ctx, type, fmt, ap);
    va_end(ap);
    duk_push_string(ctx, code);
    duk_put_prop_string(ctx, -2, "code");
    return duk_throw(ctx);
}

/* The table entry for NAME (any case, or its alias) with its EVP_MD
 * fetched, or NULL if there is none. */
static struct digest_alg *lookup_alg(const char *name)
{
    for (size_t i = 0; i < NALGS; i++) {
        if (strcasecmp(name, algs[i].name) != 0
            && (algs[i].alias == NULL || strcasecmp(name, algs[i].alias) != 0))
            continue;
        if (algs[i].md == NULL)
            algs[i].md = EVP_MD_fetch(NULL, algs[i].ossl, NULL);
        return algs[i].md != NULL ? &algs[i] : NULL;
    }
    return NULL;
}

const EVP_MD *eider_crypto_md(const char *name)
{
    struct digest_alg *alg = lookup_alg(name);

    return alg != NULL ? alg->md : NULL;
}

/* The table entry for the name at idx, as lookup_alg; throws Error
 * "<what>: NAME" if there is none. */
static struct digest_alg *find_alg(duk_context *ctx, duk_idx_t idx, const char *what)
{
    struct digest_alg *alg;

    if (!duk_is_string(ctx, idx))
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
                    "The \"algorithm\" argument must be of type string");
    if ((alg = lookup_alg(duk_get_string(ctx, idx))) == NULL)
        (void)duk_error(ctx, DUK_ERR_ERROR, "%s: %s", what, duk_get_string(ctx, idx));
    return alg;
}

/* The encoding named by argument idx (an enum eider_enc, or ENC_BUFFER);
 * DEF if it is undefined or null; throws TypeError for a name it does not
 * know. */
static int get_encoding(duk_context *ctx, duk_idx_t idx, int def)
{
    if (duk_is_null_or_undefined(ctx, idx))
        return def;
    if (strcasecmp(duk_safe_to_string(ctx, idx), "buffer") == 0)
        return ENC_BUFFER;
    return (int)eider_js_encoding_arg(ctx, idx);
}

/* The bytes of argument idx: a Buffer or any typed array / ArrayBuffer /
 * DataView as it is, a string through encoding ENC (Node's lenient rules,
 * encoding.c). Decoded bytes live in a buffer pushed on the stack; the
 * pointer is valid while the C function runs. Throws TypeError for
 * anything else; WHAT names the argument. */
const unsigned char *eider_crypto_input(duk_context *ctx, duk_idx_t idx, int enc,
                                        const char *what, size_t *len)
{
    const unsigned char *s;
    duk_size_t n;

    if (duk_is_buffer_data(ctx, idx)) {
        s = duk_get_buffer_data(ctx, idx, &n);
        *len = n;
        return s ? s : (const unsigned char *)"";
    }
    if (!duk_is_string(ctx, idx))
        eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE", "The \"%s\" argument must "
                    "be of type string or an instance of Buffer, TypedArray, or DataView", what);
    if (enc == EIDER_ENC_UTF8 || enc == ENC_BUFFER)   /* 'buffer' reads utf8, as Node */
        return (const unsigned char *)eider_js_bytes(ctx, idx, len);
    return eider_js_push_decoded(ctx, idx, (enum eider_enc)enc, len);
}

/* Pushes LEN bytes of DATA in encoding ENC: a Buffer, or a string. */
static void push_encoded(duk_context *ctx, const unsigned char *data, size_t len, int enc)
{
    if (enc == ENC_BUFFER)
        memcpy(eider_js_push_node_buffer(ctx, len, len), data, len);
    else
        eider_js_push_text(ctx, (enum eider_enc)enc, data, len);
}

/* --- Hash and Hmac objects --- */

static void state_free(struct digest_state *st)
{
    if (st == NULL)
        return;
    EVP_MD_CTX_free(st->md);
    EVP_MAC_CTX_free(st->mac);
    free(st);
}

/* Pushes a new Hash or Hmac object (prototype from the stash) and
 * returns its zeroed state, already owned by the object: whatever fails
 * later, the finalizer frees it. */
static struct digest_state *push_digest_object(duk_context *ctx, const char *proto_key)
{
    struct digest_state *st;

    duk_push_object(ctx);
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, proto_key);
    duk_set_prototype(ctx, -3);
    duk_pop(ctx);
    duk_push_pointer(ctx, NULL);      /* allocates the slot: may throw */
    duk_put_prop_string(ctx, -2, STATE_KEY);
    st = eider_calloc(1, sizeof(*st));
    duk_push_pointer(ctx, st);        /* fills the slot: cannot throw */
    duk_put_prop_string(ctx, -2, STATE_KEY);
    return st;
}

/* The state of `this`; if TAKE, detaches it (the caller frees it).
 * Throws TypeError if `this` is no Hash/Hmac, and Error
 * ERR_CRYPTO_HASH_FINALIZED after digest(). */
static struct digest_state *this_state(duk_context *ctx, int take)
{
    struct digest_state *st;

    duk_push_this(ctx);
    if (!duk_is_object(ctx, -1) || !duk_get_prop_string(ctx, -1, STATE_KEY))
        (void)duk_error(ctx, DUK_ERR_TYPE_ERROR, "not a Hash or Hmac object");
    st = duk_get_pointer(ctx, -1);
    if (st == NULL)
        eider_crypto_throw(ctx, DUK_ERR_ERROR, "ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    if (take) {
        duk_push_pointer(ctx, NULL);
        duk_put_prop_string(ctx, -3, STATE_KEY);
    }
    duk_pop_2(ctx);
    return st;
}

/* hash.update(data[, inputEncoding]) / hmac.update(...): returns this. */
static duk_ret_t digest_update(duk_context *ctx)
{
    int enc = get_encoding(ctx, 1, EIDER_ENC_UTF8);
    size_t len;
    /* The bytes first: only then the state, so nothing between can free it. */
    const unsigned char *p = eider_crypto_input(ctx, 0, enc, "data", &len);
    struct digest_state *st = this_state(ctx, 0);
    int ok = st->md ? EVP_DigestUpdate(st->md, p, len) : EVP_MAC_update(st->mac, p, len);

    if (!ok)
        return duk_error(ctx, DUK_ERR_ERROR, "digest update failed");
    duk_push_this(ctx);
    return 1;
}

/* hash.digest([encoding]) / hmac.digest(...): a Buffer, or a string in
 * hex, base64, base64url, latin1 (binary), ascii or utf8. Frees the
 * context; later calls throw. */
static duk_ret_t digest_digest(duk_context *ctx)
{
    int enc = get_encoding(ctx, 0, ENC_BUFFER);
    struct digest_state *st = this_state(ctx, 1);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t maclen = 0;
    int ok = st->md ? EVP_DigestFinal_ex(st->md, out, &mdlen)
                    : EVP_MAC_final(st->mac, out, &maclen, sizeof(out));

    state_free(st);
    if (!ok)
        return duk_error(ctx, DUK_ERR_ERROR, "digest failed");
    push_encoded(ctx, out, mdlen ? mdlen : maclen, enc);
    return 1;
}

/* hash.copy(): a new Hash with the state so far (not on Hmac, as Node). */
static duk_ret_t hash_copy(duk_context *ctx)
{
    struct digest_state *st = this_state(ctx, 0);
    struct digest_state *copy = push_digest_object(ctx, STASH_HASH_PROTO);

    copy->md = EVP_MD_CTX_new();
    if (copy->md == NULL || !EVP_MD_CTX_copy_ex(copy->md, st->md))
        return duk_error(ctx, DUK_ERR_ERROR, "hash copy failed");
    return 1;
}

/* Finalizer of both prototypes: frees the state of an object that never
 * reached digest() (and does nothing for the prototypes themselves). */
static duk_ret_t digest_finalize(duk_context *ctx)
{
    struct digest_state *st;

    duk_get_prop_string(ctx, 0, STATE_KEY);
    st = duk_get_pointer(ctx, -1);
    if (st != NULL) {
        state_free(st);
        duk_push_pointer(ctx, NULL);
        duk_put_prop_string(ctx, 0, STATE_KEY);
    }
    return 0;
}

/* crypto.createHash(algorithm): a Hash; Error for an unknown algorithm. */
static duk_ret_t create_hash(duk_context *ctx)
{
    struct digest_alg *alg = find_alg(ctx, 0, "Digest method not supported");
    struct digest_state *st = push_digest_object(ctx, STASH_HASH_PROTO);

    st->md = EVP_MD_CTX_new();
    if (st->md == NULL || !EVP_DigestInit_ex(st->md, alg->md, NULL))
        return duk_error(ctx, DUK_ERR_ERROR, "cannot start %s", alg->name);
    return 1;
}

/* crypto.createHmac(algorithm, key): an Hmac; key a string (UTF-8),
 * bytes or a secret KeyObject, may be empty. */
static duk_ret_t create_hmac(duk_context *ctx)
{
    struct digest_alg *alg = find_alg(ctx, 0, "Invalid digest");
    size_t keylen;
    const unsigned char *key = eider_crypto_secret_key(ctx, 1, &keylen);
    struct digest_state *st;
    OSSL_PARAM params[2];

    if (key == NULL)
        key = eider_crypto_input(ctx, 1, EIDER_ENC_UTF8, "key", &keylen);
    st = push_digest_object(ctx, STASH_HMAC_PROTO);

    if (hmac_mac == NULL)
        hmac_mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (hmac_mac == NULL || (st->mac = EVP_MAC_CTX_new(hmac_mac)) == NULL)
        return duk_error(ctx, DUK_ERR_ERROR, "HMAC is not available");
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)alg->ossl, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (!EVP_MAC_init(st->mac, key, keylen, params))
        return duk_error(ctx, DUK_ERR_ERROR, "cannot start HMAC-%s", alg->name);
    return 1;
}

/* crypto.hash(algorithm, data[, outputEncoding = 'hex']): one-shot digest
 * (Node 21.7). */
static duk_ret_t hash_oneshot(duk_context *ctx)
{
    struct digest_alg *alg = find_alg(ctx, 0, "Digest method not supported");
    int enc = get_encoding(ctx, 2, EIDER_ENC_HEX);
    size_t len;
    const unsigned char *p = eider_crypto_input(ctx, 1, EIDER_ENC_UTF8, "data", &len);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int outlen;

    if (!EVP_Digest(p, len, out, &outlen, alg->md, NULL))
        return duk_error(ctx, DUK_ERR_ERROR, "digest failed");
    push_encoded(ctx, out, outlen, enc);
    return 1;
}

/* crypto.getHashes(): the names createHash accepts (aliases aside). */
static duk_ret_t get_hashes(duk_context *ctx)
{
    duk_push_array(ctx);
    for (size_t i = 0; i < NALGS; i++) {
        duk_push_string(ctx, algs[i].name);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    return 1;
}

/* --- randomness and comparison --- */

/* crypto.randomBytes(size[, callback]): a Buffer of SIZE (0..65536)
 * random bytes; TypeError if SIZE is no number, RangeError if out of
 * range. With a callback, returns undefined and calls callback(null, buf)
 * from setImmediate. */
static duk_ret_t random_bytes(duk_context *ctx)
{
    double d;
    unsigned char *p;

    if (!duk_is_number(ctx, 0))
        return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
                           "The \"size\" argument must be of type number");
    d = duk_get_number(ctx, 0);
    if (!(d >= 0 && d <= RANDOM_MAX) || d != (double)(size_t)d)
        return eider_crypto_throw(ctx, DUK_ERR_RANGE_ERROR, "ERR_OUT_OF_RANGE", "The value of \"size\" "
                           "is out of range. It must be an integer >= 0 && <= %d. Received %s",
                           RANDOM_MAX, duk_safe_to_string(ctx, 0));
    if (!duk_is_undefined(ctx, 1) && !duk_is_function(ctx, 1))
        return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
                           "The \"callback\" argument must be of type function");
    p = eider_js_push_node_buffer(ctx, (size_t)d, (size_t)d);
    if (d > 0 && RAND_bytes(p, (int)d) != 1)
        return duk_error(ctx, DUK_ERR_ERROR, "RAND_bytes failed");
    if (duk_is_undefined(ctx, 1))
        return 1;
    duk_get_global_string(ctx, "setImmediate");
    duk_dup(ctx, 1);
    duk_push_null(ctx);
    duk_dup(ctx, -4);
    duk_call(ctx, 3);
    return 0;
}

/* crypto.randomUUID(): a random RFC 4122 version 4 UUID, lower case. */
static duk_ret_t random_uuid(duk_context *ctx)
{
    unsigned char b[16];
    char s[37];

    if (RAND_bytes(b, sizeof(b)) != 1)
        return duk_error(ctx, DUK_ERR_ERROR, "RAND_bytes failed");
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(s, sizeof(s), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    duk_push_string(ctx, s);
    return 1;
}

/* crypto.getRandomValues(typedArray), also webcrypto's: fills an integer
 * typed array (at most 65536 bytes, as the Web Crypto API) with random
 * bytes and returns it. */
static duk_ret_t get_random_values(duk_context *ctx)
{
    duk_size_t n;
    void *p;

    if (!duk_is_buffer_data(ctx, 0) || duk_is_string(ctx, 0))
        return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE",
                           "The \"typedArray\" argument must be an instance of an integer TypedArray");
    p = duk_get_buffer_data(ctx, 0, &n);
    if (n > RANDOM_MAX)
        return eider_crypto_throw(ctx, DUK_ERR_ERROR, "QuotaExceededError", "The ArrayBufferView's byte "
                           "length (%lu) exceeds the number of bytes of entropy available via this "
                           "API (%d)", (unsigned long)n, RANDOM_MAX);
    if (n > 0 && RAND_bytes(p, (int)n) != 1)
        return duk_error(ctx, DUK_ERR_ERROR, "RAND_bytes failed");
    duk_dup(ctx, 0);
    return 1;
}

/* crypto.randomFillSync(buf[, offset[, size]]): fills SIZE bytes of the
 * Buffer, typed array or ArrayBuffer from OFFSET (default: to the end)
 * and returns it; RangeError past its end. */
static duk_ret_t random_fill_sync(duk_context *ctx)
{
    duk_size_t n;
    unsigned char *p;
    double off, size;

    if (!duk_is_buffer_data(ctx, 0) || duk_is_string(ctx, 0))
        return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE", "The \"buf\" argument "
                           "must be an instance of ArrayBuffer or ArrayBufferView");
    p = duk_get_buffer_data(ctx, 0, &n);
    off = duk_is_undefined(ctx, 1) ? 0 : duk_to_number(ctx, 1);
    size = duk_is_undefined(ctx, 2) ? (double)n - off : duk_to_number(ctx, 2);
    if (!(off >= 0 && off <= (double)n) || off != (double)(size_t)off)
        return eider_crypto_throw(ctx, DUK_ERR_RANGE_ERROR, "ERR_OUT_OF_RANGE", "The value of \"offset\" is out of range.");
    if (!(size >= 0 && off + size <= (double)n) || size != (double)(size_t)size)
        return eider_crypto_throw(ctx, DUK_ERR_RANGE_ERROR, "ERR_OUT_OF_RANGE", "The value of \"size\" is out of range.");
    if (size > 0 && RAND_bytes(p + (size_t)off, (int)size) != 1)
        return duk_error(ctx, DUK_ERR_ERROR, "RAND_bytes failed");
    duk_dup(ctx, 0);
    return 1;
}

/* crypto.timingSafeEqual(a, b): whether two byte sequences (Buffer, typed
 * array, DataView, ArrayBuffer) are equal, in time that depends only on
 * their length. TypeError for strings etc., RangeError if the lengths
 * differ. */
static duk_ret_t timing_safe_equal(duk_context *ctx)
{
    duk_size_t na, nb;
    const void *a, *b;

    for (duk_idx_t i = 0; i < 2; i++)
        if (!duk_is_buffer_data(ctx, i))
            return eider_crypto_throw(ctx, DUK_ERR_TYPE_ERROR, "ERR_INVALID_ARG_TYPE", "The \"buf%d\" "
                               "argument must be an instance of ArrayBuffer, Buffer, TypedArray, "
                               "or DataView", (int)i + 1);
    a = duk_get_buffer_data(ctx, 0, &na);
    b = duk_get_buffer_data(ctx, 1, &nb);
    if (na != nb)
        return eider_crypto_throw(ctx, DUK_ERR_RANGE_ERROR, "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH",
                           "Input buffers must have the same byte length");
    duk_push_boolean(ctx, na == 0 || CRYPTO_memcmp(a, b, na) == 0);
    return 1;
}

static const duk_function_list_entry crypto_functions[] = {
    { "createHash", create_hash, 2 },
    { "createHmac", create_hmac, 3 },
    { "hash", hash_oneshot, 3 },
    { "getHashes", get_hashes, 0 },
    { "randomBytes", random_bytes, 2 },
    { "randomUUID", random_uuid, 1 },
    { "getRandomValues", get_random_values, 1 },
    { "randomFillSync", random_fill_sync, 3 },
    { "timingSafeEqual", timing_safe_equal, 2 },
    { NULL, NULL, 0 }
};

/* crypto.webcrypto (and the global crypto, as in Node 20): what the Web
 * Crypto API has that needs no keys. */
static const duk_function_list_entry webcrypto_functions[] = {
    { "getRandomValues", get_random_values, 1 },
    { "randomUUID", random_uuid, 1 },
    { NULL, NULL, 0 }
};

static const duk_function_list_entry hash_methods[] = {
    { "update", digest_update, 2 },
    { "digest", digest_digest, 1 },
    { "copy", hash_copy, 1 },
    { NULL, NULL, 0 }
};

/* Stashes a digest prototype under KEY: METHODS and the finalizer. The
 * Hmac one has no copy(): only the first two methods. */
static void stash_proto(duk_context *ctx, const char *key, int with_copy)
{
    duk_push_heap_stash(ctx);
    duk_push_object(ctx);
    for (size_t i = 0; i < (with_copy ? 3u : 2u); i++) {
        duk_push_c_function(ctx, hash_methods[i].value, hash_methods[i].nargs);
        duk_put_prop_string(ctx, -2, hash_methods[i].key);
    }
    duk_push_c_function(ctx, digest_finalize, 2);
    duk_set_finalizer(ctx, -2);
    duk_put_prop_string(ctx, -2, key);
    duk_pop(ctx);
}

void eider_js_crypto_push(duk_context *ctx)
{
    stash_proto(ctx, STASH_HASH_PROTO, 1);
    stash_proto(ctx, STASH_HMAC_PROTO, 0);
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, crypto_functions);
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, webcrypto_functions);
    duk_put_prop_string(ctx, -2, "webcrypto");
    eider_crypto_keys_push(ctx);
    eider_crypto_sign_push(ctx);
}
