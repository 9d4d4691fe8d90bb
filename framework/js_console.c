/*
 * console.log/info/warn/error/debug: to the error log at the matching
 * level, arguments formatted and joined by spaces as Node does.
 */
#include <string.h>

#include "js_internal.h"
#include "log.h"

/* The level rides in the function's magic value. */
static duk_ret_t console_write(duk_context *ctx)
{
    int level = duk_get_current_magic(ctx);
    duk_idx_t n = duk_get_top(ctx);

    if (!eider_log_enabled(level))
        return 0;
    duk_push_string(ctx, " ");
    for (duk_idx_t i = 0; i < n; i++)
        eider_js_format_value(ctx, i);
    duk_join(ctx, n);
    eider_log(level, "%s", duk_get_string(ctx, -1));
    return 0;
}

static const struct {
    const char *name;
    int level;
} console_methods[] = {
    { "log",   EIDER_LOG_INFO },
    { "info",  EIDER_LOG_INFO },
    { "warn",  EIDER_LOG_WARN },
    { "error", EIDER_LOG_ERROR },
    { "debug", EIDER_LOG_DEBUG },
    { "trace", EIDER_LOG_DEBUG },
};

void eider_js_console_init(duk_context *ctx)
{
    duk_push_object(ctx);
    for (size_t i = 0; i < sizeof(console_methods) / sizeof(console_methods[0]); i++) {
        duk_push_c_function(ctx, console_write, DUK_VARARGS);
        duk_set_magic(ctx, -1, console_methods[i].level);
        duk_put_prop_string(ctx, -2, console_methods[i].name);
    }
    duk_put_global_string(ctx, "console");
}
