/*
 * The Duktape runtime: heap with a counting allocator (which enforces
 * js_memory_limit), the bindings table, the prelude (framework/js/prelude.js),
 * handler loading and the call of a handler for one exchange.
 */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "config.h"
#include "http.h"
#include "js_buffer.h"
#include "js_internal.h"
#include "js_lib.h"
#include "js_promise.h"
#include "log.h"
#include "router.h"
#include "runtime.h"
#include "scoreboard.h"

/* The parts of the prelude (framework/js/prelude*.js) as bytecode,
 * embedded at build time by jsbc, in the order they run. */
extern const struct eider_js_lib eider_prelude_js[];

/* Stash keys. */
#define STASH_HANDLERS "handlers"

/* --- allocator: counts live bytes so status and limits can see them --- */

/* The runtime with what only this file needs: the state of js_memory_limit
 * (js is first, so a struct eider_js pointer is also one to this). */
struct js_heap {
    struct eider_js js;
    int mem_hit;                /* the limit was reached for good */
    size_t refused_size;        /* the allocation being refused now */
    int refusals;               /* how many times in a row */
};

#define HEAP_OF(js) ((struct js_heap *)(js))

/* Duktape retries a failed allocation after mark-and-sweep, up to 10 times,
 * from the 3rd on in emergency mode. Refused this many times in a row, the
 * allocation does not fit even without the garbage: the limit is reached. */
#define MEM_HIT_TRIES 4

/* Once the limit is reached, the error path (the error and its stack, the
 * log line, the 500) may allocate this much over it. */
static size_t mem_reserve(size_t limit)
{
    return limit / 32 > (1u << 20) ? limit / 32 : (1u << 20);
}

/* The limit is reached: say so once, and ask the master for a graceful
 * replacement (the heap may hold what the handler leaked, and the worker
 * finishes its other requests first). */
static void mem_limit_hit(struct js_heap *h)
{
    int replaced = eider_slot_retire("js_memory_limit");

    h->mem_hit = 1;
    eider_log(EIDER_LOG_ERROR, "JavaScript heap reached js_memory_limit (%zu bytes): the running "
              "code gets an error%s", h->js.cfg->js_memory_limit,
              replaced ? ", and this worker is replaced once it has finished its requests" : "");
}

/* Whether to refuse an allocation of SIZE bytes that grows the heap by
 * GROW. Only while JavaScript runs from the loop (depth > 0, where Duktape
 * turns a refusal into an Error, "alloc failed", thrown in the running
 * code, which the handler call's safe call catches): the glue
 * around it allocates outside protected calls, where a refusal would be a
 * fatal error, and what it allocates is small. */
static int mem_refuse(struct eider_js *js, size_t size, size_t grow)
{
    struct js_heap *h = HEAP_OF(js);
    size_t limit = js->cfg->js_memory_limit;

    if (limit == 0 || grow == 0 || js->depth == 0)
        return 0;
    if (js->heap_bytes + grow <= limit) {
        /* Only the refused allocation itself ends the streak: mark-and-sweep
         * between its retries allocates too (a string table resize). */
        if (size == h->refused_size) {
            h->refusals = 0;
            h->refused_size = 0;
        }
        return 0;
    }
    /* After the allocation that reached the limit has been given up (any
     * other size is not one of its retries), the reserve is open. */
    if (h->mem_hit && size != h->refused_size && js->heap_bytes + grow <= limit + mem_reserve(limit))
        return 0;
    if (size != h->refused_size) {
        h->refused_size = size;
        h->refusals = 0;
    }
    if (++h->refusals >= MEM_HIT_TRIES && !h->mem_hit)
        mem_limit_hit(h);
    return 1;
}

struct alloc_hdr { size_t size; size_t pad; };   /* keeps 16-byte alignment */

/* Once js_time_limit's timer has fired (js_deadline.c), makes the next
 * bytecode instruction run the engine's check: a slow instruction that
 * calls nothing, such as the concatenation of long strings, allocates. */
static void deadline_nudge(struct eider_js *js)
{
    if (eider_js_alarm && js->depth > 0)
        eider_duk_interrupt_soon(js->ctx);
}

static void *js_alloc(void *udata, duk_size_t size)
{
    struct eider_js *js = udata;
    struct alloc_hdr *h;

    deadline_nudge(js);
    if (mem_refuse(js, size, size))
        return NULL;
    /* Duktape's own heap: NULL here is how it learns to collect, then to
     * throw, so this stays plain malloc (alloc.h). */
    h = malloc(sizeof(*h) + size);
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
    deadline_nudge(js);
    h = (struct alloc_hdr *)ptr - 1;
    size_t old = h->size;
    if (mem_refuse(js, size, size > old ? size - old : 0))
        return NULL;
    n = realloc(h, sizeof(*n) + size);
    if (n == NULL)
        return NULL;
    n->size = size;
    js->heap_bytes = js->heap_bytes - old + size;
    return n + 1;
}

/* Duktape's fatal handler (eider_duk_config.h): an error with no protected
 * call to catch it, such as an allocation refused in glue code. It must not
 * return; the worker aborts, and the master logs its death and replaces it. */
void eider_js_fatal(void *udata, const char *msg)
{
    struct js_heap *h = udata;

    eider_log(EIDER_LOG_CRIT, "JavaScript engine fatal error, worker aborting: %s%s",
              msg ? msg : "(no message)",
              h != NULL && h->mem_hit ? " (the heap is at js_memory_limit)" : "");
    abort();
}

/* --- the native object the prelude receives --- */

static duk_ret_t native_report_error(duk_context *ctx)
{
    eider_js_format_value(ctx, 0);
    eider_log(EIDER_LOG_ERROR, "uncaught exception in a callback: %s", duk_get_string(ctx, -1));
    eider_js_uncaught(eider_js_of(ctx));
    return 0;
}

static duk_ret_t native_unhandled_rejection(duk_context *ctx)
{
    eider_js_format_value(ctx, 0);
    eider_log(EIDER_LOG_ERROR, "unhandled promise rejection: %s", duk_get_string(ctx, -1));
    eider_js_uncaught(eider_js_of(ctx));
    return 0;
}

/* native.hiddenSymbol(name): a property key no script can list or
 * reach (a Duktape hidden symbol), for the prelude's WeakMap. */
static duk_ret_t native_hidden_symbol(duk_context *ctx)
{
    /* A string whose bytes start with 0xFF is a hidden symbol; a concat
     * would refuse to coerce the prefix, a symbol already. */
    duk_push_sprintf(ctx, "%s%s", DUK_HIDDEN_SYMBOL(""), duk_to_string(ctx, 0));
    return 1;
}

static const duk_function_list_entry native_funcs[] = {
    { "hiddenSymbol", native_hidden_symbol, 1 },
    { "reportError", native_report_error, 1 },
    { "unhandledRejection", native_unhandled_rejection, 2 },
    { NULL, NULL, 0 }
};

/* Runs the parts of the prelude in order. Each is the bytecode of eval
 * code (framework/tools/jsbc: loading it costs a tenth of compiling the
 * source) whose value is a function (global, native); all get the same
 * native object. */
static duk_ret_t run_prelude(duk_context *ctx, void *udata)
{
    (void)udata;
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, native_funcs);
    eider_js_buffer_natives(ctx, -1);
    eider_js_promise_natives(ctx, -1);
    duk_dup(ctx, -1);
    duk_put_global_string(ctx, DUK_HIDDEN_SYMBOL("native"));   /* [native] */
    for (const struct eider_js_lib *part = eider_prelude_js; part->id != NULL; part++) {
        memcpy(duk_push_fixed_buffer(ctx, part->len), part->code, part->len);
        duk_load_function(ctx);
        duk_call(ctx, 0);                     /* -> the part's function */
        duk_push_global_object(ctx);
        duk_dup(ctx, -3);
        duk_call(ctx, 2);
        duk_pop(ctx);
    }
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -2, "newPromise");
    duk_put_prop_string(ctx, -2, EIDER_STASH_NEW_PROMISE);
    duk_get_prop_string(ctx, -2, "settlePromise");
    duk_put_prop_string(ctx, -2, EIDER_STASH_SETTLE_PROMISE);
    duk_get_prop_string(ctx, -2, "awaitValue");
    duk_put_prop_string(ctx, -2, EIDER_STASH_AWAIT_VALUE);
    duk_get_global_string(ctx, "Promise");
    duk_get_prop_literal(ctx, -1, "prototype");
    duk_get_prop_literal(ctx, -1, "then");
    duk_put_prop_string(ctx, -4, EIDER_STASH_PROMISE_THEN);   /* for js_call.c */
    duk_pop(ctx);
    duk_put_prop_string(ctx, -2, "Promise");   /* for eider_js_deferred */
    duk_get_global_string(ctx, "TextDecoder");
    duk_put_prop_string(ctx, -2, "TextDecoder");   /* for eider_js_push_utf8 */
    duk_pop_2(ctx);
    return 0;
}

/* Reference counting frees most garbage at once, but not cycles, and every
 * closure is one (a function and its .prototype point at each other): a
 * handler whose timer callback closes over req and res leaves ~30 KB per
 * request for mark-and-sweep, which Duktape runs only after very many
 * allocations (the heap grew to 200 MB in a test). So run it whenever the
 * heap has doubled since the last one (plus 1 MB of slack). */
#define GC_SLACK (1u << 20)

void eider_js_maybe_gc(struct eider_js *js)
{
    if (js->heap_bytes <= js->gc_at)
        return;
    duk_gc(js->ctx, 0);
    js->gc_at = js->heap_bytes * 2 + GC_SLACK;
}

/* Under duk_safe_call: the drain, which throws only what the host's
 * reportError throws (or what the heap limit refuses). */
static duk_ret_t run_microtasks(duk_context *ctx, void *udata)
{
    (void)udata;
    eider_js_run_microtasks(ctx);
    return 0;
}

void eider_js_drain(duk_context *ctx)
{
    if (!eider_js_microtasks_requested(ctx))
        return;
    if (duk_safe_call(ctx, run_microtasks, NULL, 0, 1) != 0) {
        eider_js_format_value(ctx, -1);
        eider_log(EIDER_LOG_ERROR, "microtask queue failed: %s", duk_get_string(ctx, -1));
        duk_pop(ctx);
    }
    duk_pop(ctx);
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
    { "timers",  eider_js_timers_init },
    { "process", eider_js_process_init },
    { "fetch",   eider_js_fetch_init },
    { "JSON",    eider_js_json_init },
    { "toFixed, Object.keys", eider_js_builtins_init },
    { "Error.prototype.stack", eider_js_sourcemap_init },
    { "String.prototype.normalize", eider_js_normalize_init },
    { "RegExp",  eider_js_regexp_init },   /* PCRE2, for prelude_regexp.js */
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
        /* ES module syntax: `export default function (req, res)` or
         * `export default { GET, POST }` when nothing else is exported. */
        if (js->methods[i] == 0 && duk_is_object(ctx, -1)) {
            duk_get_prop_string(ctx, -1, "default");
            if ((js->methods[i] = methods_of(ctx, -1)) != 0)
                duk_remove(ctx, -2);
            else
                duk_pop(ctx);
        }
        if (js->methods[i] == 0) {
            snprintf(a->err, a->errlen, "%s: exports no handler: use module.exports = "
                     "function (req, res) {...} or exports.GET = function (req, res) {...}", file);
            return DUK_RET_ERROR;
        }
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    js->handlers = duk_get_heapptr(ctx, -1);   /* the stash keeps it alive */
    duk_put_prop_string(ctx, -2, STASH_HANDLERS);
    duk_pop(ctx);
    return 0;
}

static void js_destroy(void *rt);

static void *js_create(const struct eider_runtime_env *env, char *err, size_t errlen)
{
    const struct eider_config *cfg = env->cfg;
    struct js_heap *heap = eider_calloc(1, sizeof(*heap));
    struct eider_js *js = &heap->js;
    struct load_args args = { js, err, errlen };
    duk_context *ctx;
    int rc;

    err[0] = '\0';
    js->cfg = cfg;
    js->router = env->router;
    js->sources = env->sources;
    js->lower = env->lower;
    js->prefetch = env->prefetch;
    js->base = env->base;
    js->script = env->script_argv != NULL;
    js->script_argv = env->script_argv;
    js->script_argc = env->script_argc;
    js->test_request = env->test_request;
    js->test_arg = env->test_arg;
    js->root = realpath(env->root ? env->root : cfg->handlers, NULL);
    js->nhandlers = env->router ? eider_router_count(env->router) : 0;
    js->methods = eider_calloc(js->nhandlers + 1, sizeof(unsigned));
    if (js->root == NULL) {
        snprintf(err, errlen, "%s directory %s: %m", env->root ? "script" : "handlers",
                 env->root ? env->root : cfg->handlers);
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
    if (js->test_request != NULL)
        eider_js_test_request_init(ctx);
    duk_push_heap_stash(ctx);
    duk_push_bare_object(ctx);
    duk_put_prop_string(ctx, -2, "waiting");   /* js_call.c */
    duk_pop(ctx);
    duk_set_top(ctx, 0);
    if (duk_safe_call(ctx, run_prelude, NULL, 0, 1) != 0) {
        eider_js_format_value(ctx, -1);
        snprintf(err, errlen, "prelude.js failed: %s", duk_get_string(ctx, -1));
        js_destroy(js);
        return NULL;
    }
    duk_pop(ctx);
    eider_js_enter(js);   /* module top-level code has the same limit */
    rc = duk_safe_call(ctx, load_handlers, &args, 0, 1);
    eider_js_leave(js);
    if (rc != 0) {
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
    /* Loading the prelude's bytecode and the modules leaves ~100 KB of
     * cyclic garbage (function templates and their prototypes) that
     * reference counting cannot free: collect it once, ~0.5 M
     * instructions, so the heap the status shows and the next collection
     * is paced from are the live size. */
    duk_gc(ctx, 0);
    js->gc_at = js->heap_bytes * 2 + GC_SLACK;
    return js;
}

static void js_destroy(void *rt)
{
    struct eider_js *js = rt;

    eider_js_timers_free(js);
    eider_js_fetch_free(js);
    eider_js_redis_free(js);
    eider_js_pg_free(js);
    eider_js_resolver_free(js);
    if (js->ctx) {
        eider_js_promise_free(js->ctx);
        duk_destroy_heap(js->ctx);
    }
    free(js->methods);
    free(js->scratch);
    free(js->json_out);
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

struct eider_js *eider_js_of(duk_context *ctx)
{
    duk_memory_functions funcs;
    duk_get_memory_functions(ctx, &funcs);
    return funcs.udata;
}

const struct eider_runtime_ops eider_js_runtime = {
    .name = "duktape",
    .create = js_create,
    .destroy = js_destroy,
    .methods = js_methods,
    .handle = eider_js_handle,
    .release = eider_js_release,
    .drain = eider_js_emit_drain,
    .heap_bytes = js_heap_bytes,
    .run = eider_js_run_script,
    .answered = eider_js_test_answered,
};
