/*
 * eider run: a script in a runtime of its own (created with script_argv),
 * then the loop until nothing is pending on it, as node runs a file.
 */
#include <event2/event.h>
#include <stdio.h>
#include <string.h>

#include "js_internal.h"

void eider_js_uncaught(struct eider_js *js)
{
    if (!js->script)
        return;
    /* Node stops at the first uncaught error: later timers do not run. */
    js->script_failed = 1;
    if (js->base != NULL)
        event_base_loopbreak(js->base);
}

/* Under duk_safe_call: [] -> [exports] of the script at UDATA (a path). */
static duk_ret_t load_script(duk_context *ctx, void *udata)
{
    if (eider_js_require_path(ctx, udata) != 0)
        (void)duk_throw(ctx);
    return 1;
}

/* process.exitCode if a number, else 0. */
static int exit_code(duk_context *ctx)
{
    int code = 0;

    duk_get_global_string(ctx, "process");
    if (duk_is_object(ctx, -1)) {
        duk_get_prop_string(ctx, -1, "exitCode");
        if (duk_is_number(ctx, -1))
            code = duk_get_int(ctx, -1) & 255;
        duk_pop(ctx);
    }
    duk_pop(ctx);
    return code;
}

int eider_js_run_script(void *rt, const char *path)
{
    struct eider_js *js = rt;
    duk_context *ctx = js->ctx;
    int rc;

    eider_js_enter(js);
    rc = duk_safe_call(ctx, load_script, (void *)path, 0, 1);
    if (rc == 0)
        eider_js_drain(ctx);   /* the Promise jobs its top level queued */
    eider_js_leave(js);
    if (rc != 0) {
        /* A SyntaxError names file:line:column in its message; anything
         * thrown while running has a (source-mapped) stack. */
        eider_js_format_value(ctx, -1);
        fprintf(stderr, "%s\n", duk_safe_to_string(ctx, -1));
        duk_pop_2(ctx);
        return 1;
    }
    duk_pop(ctx);
    if (!js->script_failed && js->base != NULL)
        event_base_dispatch(js->base);
    fflush(stdout);
    return js->script_failed ? 1 : exit_code(ctx);
}
