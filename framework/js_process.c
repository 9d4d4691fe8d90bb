/*
 * The process global: pid, platform, and env holding only the variables
 * the config passes with "env NAME;" (read once when the heap is made).
 */
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "js_internal.h"

void eider_js_process_init(duk_context *ctx)
{
    const struct eider_config *cfg = eider_js_of(ctx)->cfg;

    duk_push_object(ctx);
    duk_push_int(ctx, (int)getpid());
    duk_put_prop_string(ctx, -2, "pid");
    duk_push_string(ctx, "linux");
    duk_put_prop_string(ctx, -2, "platform");
    duk_push_bare_object(ctx);
    for (size_t i = 0; i < cfg->nenv; i++) {
        const char *v = getenv(cfg->env[i]);
        if (v != NULL) {
            duk_push_string(ctx, v);
            duk_put_prop_string(ctx, -2, cfg->env[i]);
        }
    }
    duk_put_prop_string(ctx, -2, "env");
    duk_put_global_string(ctx, "process");
}
