/*
 * require('crypto'): hashes, HMAC, random bytes, timing-safe compare, on
 * OpenSSL. (Being written.)
 */
#include "js_internal.h"

void eider_js_crypto_push(duk_context *ctx)
{
    duk_push_object(ctx);
}
