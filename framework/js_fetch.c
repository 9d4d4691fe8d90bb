/*
 * fetch(): an HTTP/1.1 and HTTPS client on the worker's event loop.
 * (Being written.)
 */
#include "js_internal.h"

void eider_js_fetch_init(duk_context *ctx)
{
    (void)ctx;
}

void eider_js_fetch_free(struct eider_js *js)
{
    (void)js;
}
