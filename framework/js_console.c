/*
 * console: log/info/warn/error/debug write to the error log at the
 * matching level, formatted as Node formats them: util.format's rules
 * (%s %d %i %f %j %o %O %c %%, other values appended with util.inspect),
 * by require('util') itself (framework/js/lib/util.js), so that console
 * and util.format are one implementation. A line of plain strings with no
 * '%' in the first, the usual case, is joined here without calling into
 * JavaScript. The other methods (time, table, count, dir, assert, trace,
 * group...) are written in JavaScript in framework/js/lib/console.js,
 * loaded the first time one of them is called.
 */
#include <stdio.h>
#include <string.h>

#include "js_internal.h"
#include "log.h"

/* Pushes the line util.format would make of the N arguments at 0..N-1:
 * [args] -> [args line]. Throws what formatting throws (a custom inspect
 * function, as in Node). */
static void push_formatted(duk_context *ctx, duk_idx_t n)
{
    int plain = 1;

    for (duk_idx_t i = 0; i < n && plain; i++)
        plain = duk_is_string(ctx, i);
    if (plain && n > 1 && strchr(duk_get_string(ctx, 0), '%') != NULL)
        plain = 0;
    if (plain) {
        duk_push_string(ctx, " ");
        for (duk_idx_t i = 0; i < n; i++)
            duk_dup(ctx, i);
        duk_join(ctx, n);
        return;
    }
    if (eider_js_push_builtin(ctx, "util") != 1)
        (void)duk_throw(ctx);   /* its error: the module is built in */
    duk_get_prop_string(ctx, -1, "_formatArgs");
    duk_remove(ctx, -2);
    duk_push_array(ctx);
    for (duk_idx_t i = 0; i < n; i++) {
        duk_dup(ctx, i);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    duk_call(ctx, 1);
    duk_to_string(ctx, -1);
}

/* The level rides in the function's magic value. */
static duk_ret_t console_write(duk_context *ctx)
{
    int level = duk_get_current_magic(ctx);

    /* A script's console is Node's: plain lines, log on stdout, warnings
     * and errors on stderr, whatever the error log's level. */
    if (eider_js_of(ctx)->script) {
        push_formatted(ctx, duk_get_top(ctx));
        FILE *out = level >= EIDER_LOG_WARN ? stderr : stdout;
        fprintf(out, "%s\n", duk_get_string(ctx, -1));
        return 0;
    }
    if (!eider_log_enabled(level))
        return 0;
    push_formatted(ctx, duk_get_top(ctx));
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
};

/* The methods of lib/console.js; the magic value is the index. */
static const char *const js_methods[] = {
    "time", "timeEnd", "timeLog", "count", "countReset", "table", "dir", "dirxml",
    "assert", "trace", "group", "groupCollapsed", "groupEnd",
};

/* Stands for one of js_methods until lib/console.js is loaded, which puts
 * the real ones on the console; then calls the real one with this call's
 * this and arguments. */
static duk_ret_t console_lazy(duk_context *ctx)
{
    const char *name = js_methods[duk_get_current_magic(ctx)];
    duk_idx_t n = duk_get_top(ctx);

    if (eider_js_push_builtin(ctx, "console") != 1)
        return duk_throw(ctx);
    duk_get_prop_string(ctx, -1, name);
    if (!duk_is_function(ctx, -1) || duk_is_c_function(ctx, -1))
        return duk_type_error(ctx, "console.%s is not available", name);
    duk_push_this(ctx);
    for (duk_idx_t i = 0; i < n; i++)
        duk_dup(ctx, i);
    duk_call_method(ctx, n);
    return 1;
}

void eider_js_console_init(duk_context *ctx)
{
    duk_push_object(ctx);
    for (size_t i = 0; i < sizeof(console_methods) / sizeof(console_methods[0]); i++) {
        duk_push_c_function(ctx, console_write, DUK_VARARGS);
        duk_set_magic(ctx, -1, console_methods[i].level);
        duk_put_prop_string(ctx, -2, console_methods[i].name);
    }
    for (size_t i = 0; i < sizeof(js_methods) / sizeof(js_methods[0]); i++) {
        duk_push_c_function(ctx, console_lazy, DUK_VARARGS);
        duk_set_magic(ctx, -1, (duk_int_t)i);
        duk_put_prop_string(ctx, -2, js_methods[i]);
    }
    duk_put_global_string(ctx, "console");
}
