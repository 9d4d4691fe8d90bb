/*
 * The Duktape runtime: heap with a counting allocator, the bindings table,
 * the prelude (framework/js/prelude.js), handler loading and the call of a
 * handler for one exchange.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http.h"
#include "js_internal.h"
#include "log.h"
#include "router.h"
#include "runtime.h"

/* framework/js/prelude.js, embedded at build time (js2c). */
extern const char eider_prelude_js[];
extern const size_t eider_prelude_js_len;

/* Stash keys. */
#define STASH_HANDLERS "handlers"
#define STASH_DRAIN "drain"

/* --- allocator: counts live bytes so status and limits can see them --- */

struct alloc_hdr { size_t size; size_t pad; };   /* keeps 16-byte alignment */

static void *js_alloc(void *udata, duk_size_t size)
{
    struct eider_js *js = udata;
    struct alloc_hdr *h = malloc(sizeof(*h) + size);

    if (h == NULL)
        return NULL;
    h->size = size;
    js->heap_bytes += size;
    return h + 1;
}

static void js_free(void *udata, void *ptr)
{
    struct eider_js *js = udata;
    struct alloc_hdr *h;

    if (ptr == NULL)
        return;
    h = (struct alloc_hdr *)ptr - 1;
    js->heap_bytes -= h->size;
    free(h);
}

static void *js_realloc(void *udata, void *ptr, duk_size_t size)
{
    struct eider_js *js = udata;
    struct alloc_hdr *h, *n;

    if (ptr == NULL)
        return js_alloc(udata, size);
    if (size == 0) {
        js_free(udata, ptr);
        return NULL;
    }
    h = (struct alloc_hdr *)ptr - 1;
    size_t old = h->size;
    n = realloc(h, sizeof(*n) + size);
    if (n == NULL)
        return NULL;
    n->size = size;
    js->heap_bytes = js->heap_bytes - old + size;
    return n + 1;
}

/* Called by Duktape's interrupt hook (eider_duk_config.h). The JS time
 * limit (a later issue) answers here; until then nothing is stopped. */
int eider_js_exec_timeout(void *udata)
{
    (void)udata;
    return 0;
}

void eider_js_fatal(void *udata, const char *msg)
{
    (void)udata;
    eider_log(EIDER_LOG_CRIT, "JavaScript engine fatal error: %s", msg ? msg : "(no message)");
    abort();
}

/* --- the native object the prelude receives --- */

static duk_ret_t native_report_error(duk_context *ctx)
{
    eider_js_format_value(ctx, 0);
    eider_log(EIDER_LOG_ERROR, "uncaught exception in a callback: %s", duk_get_string(ctx, -1));
    return 0;
}

static duk_ret_t native_unhandled_rejection(duk_context *ctx)
{
    eider_js_format_value(ctx, 0);
    eider_log(EIDER_LOG_ERROR, "unhandled promise rejection: %s", duk_get_string(ctx, -1));
    return 0;
}

static const duk_function_list_entry native_funcs[] = {
    { "reportError", native_report_error, 1 },
    { "unhandledRejection", native_unhandled_rejection, 2 },
    { NULL, NULL, 0 }
};

/* Runs the prelude: eval(source) gives function (global, native). */
static duk_ret_t run_prelude(duk_context *ctx, void *udata)
{
    (void)udata;
    duk_push_string(ctx, "prelude.js");
    duk_compile_lstring_filename(ctx, DUK_COMPILE_EVAL, eider_prelude_js, eider_prelude_js_len);
    duk_call(ctx, 0);                         /* -> the prelude function */
    duk_push_global_object(ctx);
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, native_funcs);
    duk_dup(ctx, -1);
    duk_put_global_string(ctx, DUK_HIDDEN_SYMBOL("native"));
    duk_call(ctx, 2);
    duk_pop(ctx);
    duk_get_global_string(ctx, DUK_HIDDEN_SYMBOL("native"));
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -2, "runMicrotasks");
    duk_put_prop_string(ctx, -2, STASH_DRAIN);
    duk_pop_2(ctx);
    return 0;
}

/* Runs queued Promise jobs; the prelude catches what they throw. */
static void drain_microtasks(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    if (duk_get_prop_string(ctx, -1, STASH_DRAIN) && duk_is_function(ctx, -1)) {
        if (duk_pcall(ctx, 0) != 0) {
            eider_js_format_value(ctx, -1);
            eider_log(EIDER_LOG_ERROR, "microtask queue failed: %s", duk_get_string(ctx, -1));
            duk_pop(ctx);
        }
    }
    duk_pop_2(ctx);
}

/* --- bindings: one row per global the heap gets --- */

struct binding {
    const char *name;
    void (*init)(duk_context *ctx);
};

static const struct binding bindings[] = {
    { "console", eider_js_console_init },
    { "req",     eider_js_request_init },
    { "res",     eider_js_response_init },
};

/* --- handler loading --- */

static unsigned methods_of(duk_context *ctx, duk_idx_t exports)
{
    unsigned mask = 0;

    if (duk_is_function(ctx, exports))
        return (1u << EIDER_NMETHODS) - 1;
    if (!duk_is_object(ctx, exports))
        return 0;
    for (int m = 0; m < EIDER_NMETHODS; m++) {
        duk_get_prop_string(ctx, exports, eider_method_names[m]);
        if (duk_is_function(ctx, -1))
            mask |= 1u << m;
        duk_pop(ctx);
    }
    if (mask & (1u << EIDER_GET))
        mask |= 1u << EIDER_HEAD;
    return mask;
}

struct load_args {
    struct eider_js *js;
    char *err;
    size_t errlen;
};

/* Loads every routed file into stash.handlers[i]. */
static duk_ret_t load_handlers(duk_context *ctx, void *udata)
{
    struct load_args *a = udata;
    struct eider_js *js = a->js;

    duk_push_heap_stash(ctx);
    duk_push_array(ctx);
    for (size_t i = 0; i < js->nhandlers; i++) {
        const char *file = eider_router_file(js->router, i);
        if (eider_js_require_path(ctx, file) != 0)
            (void)duk_throw(ctx);
        js->methods[i] = methods_of(ctx, -1);
        if (js->methods[i] == 0) {
            snprintf(a->err, a->errlen, "%s: exports no handler: use module.exports = "
                     "function (req, res) {...} or exports.GET = function (req, res) {...}", file);
            return DUK_RET_ERROR;
        }
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    duk_put_prop_string(ctx, -2, STASH_HANDLERS);
    duk_pop(ctx);
    return 0;
}

static void js_destroy(void *rt);

static void *js_create(const struct eider_config *cfg, const struct eider_router *router,
                       struct eider_sources *sources, char *err, size_t errlen)
{
    struct eider_js *js = calloc(1, sizeof(*js));
    struct load_args args = { js, err, errlen };
    duk_context *ctx;

    err[0] = '\0';
    js->cfg = cfg;
    js->router = router;
    js->sources = sources;
    js->root = realpath(cfg->handlers, NULL);
    js->nhandlers = eider_router_count(router);
    js->methods = calloc(js->nhandlers + 1, sizeof(unsigned));
    if (js->root == NULL) {
        snprintf(err, errlen, "handlers directory %s: %m", cfg->handlers);
        js_destroy(js);
        return NULL;
    }
    js->ctx = ctx = duk_create_heap(js_alloc, js_realloc, js_free, js, NULL);
    if (ctx == NULL) {
        snprintf(err, errlen, "cannot create a JavaScript heap");
        js_destroy(js);
        return NULL;
    }
    duk_push_global_object(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, 0, "global");
    for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
        bindings[i].init(ctx);
    eider_js_module_init(ctx, js->root);
    duk_set_top(ctx, 0);
    if (duk_safe_call(ctx, run_prelude, NULL, 0, 1) != 0) {
        eider_js_format_value(ctx, -1);
        snprintf(err, errlen, "prelude.js failed: %s", duk_get_string(ctx, -1));
        js_destroy(js);
        return NULL;
    }
    duk_pop(ctx);
    if (duk_safe_call(ctx, load_handlers, &args, 0, 1) != 0) {
        if (err[0] == '\0') {
            /* A SyntaxError from js_module.c names file:line:column in its
             * message; anything thrown while running a module has a stack. */
            duk_get_prop_string(ctx, -1, "message");
            if (strncmp(duk_safe_to_string(ctx, -1), js->root, strlen(js->root)) != 0) {
                duk_pop(ctx);
                eider_js_format_value(ctx, -1);
            }
            snprintf(err, errlen, "%s", duk_safe_to_string(ctx, -1));
        }
        js_destroy(js);
        return NULL;
    }
    duk_pop(ctx);
    return js;
}

static void js_destroy(void *rt)
{
    struct eider_js *js = rt;

    if (js->ctx)
        duk_destroy_heap(js->ctx);
    free(js->methods);
    free(js->root);
    free(js);
}

static unsigned js_methods(void *rt, int h)
{
    struct eider_js *js = rt;
    return js->methods[h];
}

static size_t js_heap_bytes(void *rt)
{
    return ((struct eider_js *)rt)->heap_bytes;
}

/* Logs a handler's error with its stack and answers 500 (or the status
 * the error carries, such as 400 from req.json()). */
static void answer_error(duk_context *ctx, struct eider_js *js, struct eider_exchange *ex,
                         duk_idx_t err)
{
    int status = 500;

    err = duk_normalize_index(ctx, err);
    if (duk_is_object(ctx, err)) {
        if (duk_get_prop_string(ctx, err, EIDER_JS_STATUS))
            status = duk_get_int(ctx, -1);
        duk_pop(ctx);
    }
    eider_js_format_value(ctx, err);
    eider_log(status >= 500 ? EIDER_LOG_ERROR : EIDER_LOG_INFO, "request %s: handler %s: %s",
              ex->id, eider_router_file(js->router, (size_t)ex->match.handler),
              duk_get_string(ctx, -1));
    duk_pop(ctx);
    eider_http_error(ex, status);
}

struct eider_js *eider_js_of(duk_context *ctx)
{
    duk_memory_functions funcs;
    duk_get_memory_functions(ctx, &funcs);
    return funcs.udata;
}

/* The rejection callback attached to a Promise a handler returned. */
static duk_ret_t on_rejected(duk_context *ctx)
{
    struct eider_exchange *ex;

    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, EIDER_JS_EXCHANGE);
    ex = duk_get_pointer(ctx, -1);
    duk_pop_2(ctx);
    if (ex != NULL && !ex->done)
        answer_error(ctx, eider_js_of(ctx), ex, 0);
    return 0;
}

/* If the value on top is a thenable, attaches on_rejected for ex to it and
 * leaves that callback on the stack (to detach later); else pushes
 * undefined. */
static void watch_promise(duk_context *ctx, struct eider_exchange *ex)
{
    duk_idx_t value = duk_get_top_index(ctx);

    if (!duk_is_object(ctx, value) || !duk_get_prop_string(ctx, value, "then")
        || !duk_is_function(ctx, -1)) {
        duk_pop(ctx);
        duk_push_undefined(ctx);
        return;
    }
    duk_push_c_function(ctx, on_rejected, 1);
    duk_push_pointer(ctx, ex);
    duk_put_prop_string(ctx, -2, EIDER_JS_EXCHANGE);
    duk_insert(ctx, -2);                      /* [value cb then] */
    duk_dup(ctx, value);
    duk_push_undefined(ctx);
    duk_dup(ctx, -4);                         /* [value cb then value undef cb] */
    if (duk_pcall_method(ctx, 2) != 0)
        answer_error(ctx, eider_js_of(ctx), ex, -1);
    duk_pop(ctx);                             /* [value cb] */
}

static void js_handle(void *rt, struct eider_exchange *ex)
{
    struct eider_js *js = rt;
    duk_context *ctx = js->ctx;
    duk_idx_t base = duk_get_top(ctx);
    const char *method = eider_method_names[ex->method];

    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_HANDLERS);
    duk_get_prop_index(ctx, -1, (duk_uarridx_t)ex->match.handler);
    if (!duk_is_function(ctx, -1)) {
        /* HEAD uses GET unless the module exports HEAD itself. */
        if (ex->method == EIDER_HEAD && !duk_has_prop_string(ctx, -1, "HEAD"))
            method = "GET";
        duk_get_prop_string(ctx, -1, method);
        duk_remove(ctx, -2);
    }
    duk_idx_t req = duk_get_top(ctx);
    eider_js_push_request(ctx, ex);
    eider_js_push_response(ctx, ex);
    duk_dup(ctx, req - 1);
    duk_dup(ctx, req);
    duk_dup(ctx, req + 1);
    if (duk_pcall(ctx, 2) != 0) {
        answer_error(ctx, js, ex, -1);
        duk_push_undefined(ctx);
    } else {
        watch_promise(ctx, ex);
    }
    drain_microtasks(ctx);
    /* Until handlers can answer later (issue 4), returning answers. */
    if (!ex->done) {
        if (ex->chunked)
            eider_http_end_chunked(ex, NULL, 0);
        else
            eider_http_send(ex, ex->status, NULL, 0);
    }
    if (duk_is_function(ctx, -1))
        eider_js_detach(ctx, -1);
    eider_js_detach(ctx, req);
    eider_js_detach(ctx, req + 1);
    duk_set_top(ctx, base);
}

const struct eider_runtime_ops eider_js_runtime = {
    .name = "duktape",
    .create = js_create,
    .destroy = js_destroy,
    .methods = js_methods,
    .handle = js_handle,
    .heap_bytes = js_heap_bytes,
};
