/*
 * require('fs'): reads confined to the configured fs_root directories.
 * (Being written.)
 */
#include "js_internal.h"

void eider_js_fs_push(duk_context *ctx)
{
    duk_push_object(ctx);
}
