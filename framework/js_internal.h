/*
 * Shared between the js_*.c files, which together implement the Duktape
 * runtime behind runtime.h. Nothing outside js_*.c includes this.
 */
#ifndef EIDER_JS_INTERNAL_H
#define EIDER_JS_INTERNAL_H

#include <stddef.h>
#include <sys/queue.h>

#include "js_engine.h"
#include "runtime.h"

struct eider_config;
struct eider_router;
struct eider_exchange;
struct eider_sources;
struct event_base;
struct fetch_op;
struct hc_client;
struct js_timer;
struct redis_client;

/* One runtime: one Duktape heap per worker. */
struct eider_js {
    duk_context *ctx;
    const struct eider_config *cfg;
    const struct eider_router *router;
    struct eider_sources *sources;  /* module texts of this generation */
    eider_lower_fn *lower;     /* for modern JavaScript and TypeScript */
    eider_prefetch_fn *prefetch;  /* in a check: lower required modules ahead */
    int lowered;               /* some module was lowered: map stack lines */
    struct event_base *base;   /* NULL in a check: timers never fire */
    int next_ref;              /* keys of waiting exchanges in the stash */
    char *root;                /* handlers root, realpath'd */
    int script;                /* eider run: see runtime.h's script_argv */
    const char *const *script_argv;
    int script_argc;
    int script_failed;         /* an uncaught error ended the script */
    eider_test_request_fn *test_request;   /* eider test's request(), or NULL */
    void *test_arg;
    unsigned *methods;         /* per handler, 1 << enum eider_method */
    size_t nhandlers;
    size_t heap_bytes;         /* counted by the allocator */
    size_t gc_at;              /* run mark-and-sweep past this many bytes */
    long long deadline_ms;     /* js_time_limit of the current entry; 0: none */
    int depth;                 /* nesting of eider_js_enter() */
    int timed_out;             /* the engine stopped code at the deadline */
    /* Per-request lookups, done once: objects the stash keeps alive. */
    void *handlers;            /* the array of handler exports, by router index */
    /* The exchange whose handler call is running and its req and res:
     * bound by these pointers, not by a property, unless they outlive
     * the call (eider_js_exchange_of). */
    struct eider_exchange *cur_ex;
    void *cur_req, *cur_res;
    /* A req and a res whose handler answered and kept nothing of them,
     * kept (in the stash) for the next handler call, or NULL; busy while
     * a call uses them (calls nest under eider test). */
    void *spare_req, *spare_res;
    int spare_busy;
    void *req_proto;           /* prototype of every req */
    void *res_proto;           /* prototype of every res */
    void *object_proto;        /* Object.prototype, for js_json.c */
    void *array_proto;         /* Array.prototype, for js_json.c */
    char *scratch;             /* js_json.c's, for strings with escapes */
    size_t scratch_cap;
    char *json_out;            /* res.json()'s text (EIDER_JS_JSON_OUT), made on first use */
    /* js_util.c's: keys of deferred Promises in the stash */
    int next_deferred;
    /* js_timers.c's: every live timer (freed with the heap), the last id */
    LIST_HEAD(eider_js_timers, js_timer) timers;
    unsigned next_timer_id;
    /* js_fetch.c's: the HTTP client, made on the first fetch, and every
     * fetch in flight */
    struct hc_client *fetch_client;
    LIST_HEAD(eider_js_fetches, fetch_op) fetches;
    /* the loop's resolver (resolve.h) of fetch, Redis and PostgreSQL */
    struct eider_resolver *resolver;
    /* js_redis.c's: open Redis connections, the last number given */
    LIST_HEAD(eider_js_redis, redis_client) redis_clients;
    int next_redis_id;
    /* js_pg.c's: every PostgreSQL connection of the heap, the last id */
    LIST_HEAD(eider_js_pgs, js_pg_conn) pgs;
    int next_pg_id;
};

/* Hidden property holding the C pointer behind a req or res object. */
#define EIDER_JS_EXCHANGE DUK_HIDDEN_SYMBOL("ex")
/* Hidden property on an Error saying which status it answers (400 for a
 * body that is not JSON); absent means 500. */
#define EIDER_JS_STATUS DUK_HIDDEN_SYMBOL("status")

/* The runtime a context belongs to (the allocator's udata). */
struct eider_js *eider_js_of(duk_context *ctx);

/* Runs queued Promise jobs (microtasks). Every entry into JS from the
 * event loop (handler call, timer, I/O callback) ends with it. */
void eider_js_drain(duk_context *ctx);

/* Around every entry into JS from the loop (handler call, timer, settled
 * Promise, module loading): the outermost one arms js_time_limit, which
 * Duktape's interrupt hook enforces by throwing inside the running code. */
void eider_js_enter(struct eider_js *js);
void eider_js_leave(struct eider_js *js);
/* Time spent out of JavaScript inside an entry (lowering a required
 * module) does not count: eider_js_exclude(js, t), t from eider_js_clock()
 * before it, moves the deadline (and the watchdog's start) past it. */
long long eider_js_clock(void);
void eider_js_exclude(struct eider_js *js, long long since);

/* Called after every entry into JS from the loop: runs Duktape's
 * mark-and-sweep when the heap has grown enough since the last one. */
void eider_js_maybe_gc(struct eider_js *js);

/* js_script.c: the runtime_ops run (eider run). */
int eider_js_run_script(void *rt, const char *path);

/* js_call.c: the runtime_ops handle and release. */
void eider_js_handle(void *rt, struct eider_exchange *ex);
void eider_js_release(void *rt, struct eider_exchange *ex);
void eider_js_emit_drain(void *rt, struct eider_exchange *ex);

/* An error reached the top of a callback or a Promise went unhandled:
 * in a script (eider run) that ends it with exit status 1, as in Node. */
void eider_js_uncaught(struct eider_js *js);

/* Logs an error thrown by JS code at idx with its stack; WHAT says where
 * (e.g. "setTimeout callback"). */
void eider_js_log_error(duk_context *ctx, duk_idx_t idx, const char *what);

/* Binding initialisers, run once per heap in js_runtime.c's table. Each
 * takes the context with the global object at index 0. */
void eider_js_console_init(duk_context *ctx);
void eider_js_request_init(duk_context *ctx);
void eider_js_response_init(duk_context *ctx);
void eider_js_module_init(duk_context *ctx, const char *root);
void eider_js_timers_init(duk_context *ctx);
void eider_js_process_init(duk_context *ctx);
void eider_js_json_init(duk_context *ctx);      /* JSON.parse, faster */
void eider_js_builtins_init(duk_context *ctx);  /* toFixed, Object.keys, faster */
void eider_js_normalize_init(duk_context *ctx); /* String.prototype.normalize */
void eider_js_regexp_init(duk_context *ctx);    /* js_regexp.c: PCRE2 */
/* Built-in modules: push the exports of require('crypto') / ('fs'). */
void eider_js_crypto_push(duk_context *ctx);
void eider_js_fs_push(duk_context *ctx);
void eider_js_eider_push(duk_context *ctx);   /* js_shared.c: require('eider') */

/* js_pg.c: require('eider/pg-native'), the natives of require('pg')
 * (framework/js/lib/pg.js); frees the heap's connections at its end. */
void eider_js_pg_push(duk_context *ctx);
void eider_js_pg_free(struct eider_js *js);

/* Global fetch(); installed like the other bindings. */
void eider_js_fetch_init(duk_context *ctx);
/* Frees fetches still in flight (at heap destruction). */
void eider_js_fetch_free(struct eider_js *js);
/* The resolver of js's loop (resolve.h) for fetch, Redis and PostgreSQL,
 * made on first use with the resolver directive's nameservers. */
struct eider_resolver *eider_js_resolver(struct eider_js *js);
/* Frees it, after everything that used it (at heap destruction). */
void eider_js_resolver_free(struct eider_js *js);

/* require('eider/redis'), the native half of require('redis'). */
void eider_js_redis_push(duk_context *ctx);
/* Closes Redis connections still open, without callbacks (at heap
 * destruction). */
void eider_js_redis_free(struct eider_js *js);

/* Stash keys of the Promise core's native.newPromise,
 * native.settlePromise and native.awaitValue (js_promise.h; set by
 * run_prelude, used by the eider/promise module). */
#define EIDER_STASH_NEW_PROMISE "newPromise"
#define EIDER_STASH_SETTLE_PROMISE "settlePromise"
#define EIDER_STASH_AWAIT_VALUE "awaitValue"
#define EIDER_STASH_PROMISE_THEN "promiseThen"   /* Promise.prototype.then */

/* Pushes a new pending Promise and keeps it in the stash under a fresh
 * number, returned. Settle it later with eider_js_settle(). */
int eider_js_deferred(duk_context *ctx);
/* Settles deferred REF with the value on top (popped): resolves, or
 * rejects if REJECT; then drains microtasks. */
void eider_js_settle(duk_context *ctx, int ref, int reject);

/* eider test (js_test_request.c): defines request()'s native, and settles
 * its Promise with an answer. */
void eider_js_test_request_init(duk_context *ctx);
void eider_js_test_answered(void *rt, int ref, const char *answer, size_t len);

/* Frees the C side of every timer of JS (at heap destruction). */
void eider_js_timers_free(struct eider_js *js);

/* Pushes a new req / res object, bound to no exchange: the caller makes
 * it js->cur_req / cur_res for the handler's call, or binds it. */
void eider_js_push_request(duk_context *ctx);
void eider_js_push_response(duk_context *ctx);
/* Binds the req or res object at idx to EX (NULL: unbinds it, and later
 * calls on it see no exchange). */
void eider_js_bind(duk_context *ctx, duk_idx_t idx, struct eider_exchange *ex);
void eider_js_detach(duk_context *ctx, duk_idx_t idx);
/* The exchange of the req or res object at idx (or of one inheriting
 * from it), or NULL once it is answered or unbound. */
struct eider_exchange *eider_js_exchange_of(duk_context *ctx, duk_idx_t idx);
/* The same for `this`. */
struct eider_exchange *eider_js_this_exchange(duk_context *ctx);

/* js_load.c: pushes the compiled module wrapper of the file at the real
 * path PATH, taken from the generation's sources or read (and lowered)
 * now. Returns 0, or -1 with the error (file:line:column) on top. */
int eider_js_load_module(duk_context *ctx, const char *path);
/* Compiles SRC (a module body named NAME; MAP its source map or NULL) into
 * its wrapper on top. Returns 0, or -1 with the SyntaxError on top. */
int eider_js_compile_module(duk_context *ctx, const char *name, const char *src, size_t len,
                            const char *map, size_t maplen);
/* Makes the heap's stash entry for modules compiled ahead (in a check) and
 * not yet required; once per heap, before any load. */
void eider_js_load_init(duk_context *ctx);
/* js_module.c: 1 if ID (maybe "node:ID") names a built-in module. */
int eider_js_is_builtin(const char *id);
/* Resolves ID required from DIR to a real path in out (PATH_MAX bytes)
 * inside the handlers root: 0, or -1. */
int eider_js_resolve(duk_context *ctx, const char *dir, const char *id, char *out);
/* Pushes the exports of built-in module ID ("util" or "node:util"), as
 * require(ID) gives them (made on first use, then the same object).
 * Returns 1, 0 if ID names none, or -1 with the error on top. */
int eider_js_push_builtin(duk_context *ctx, const char *id);

/* Loads the module at the absolute PATH (through the module cache) and
 * pushes its exports. Returns 0, or -1 with the error on the stack. */
int eider_js_require_path(duk_context *ctx, const char *path);

/* js_sourcemap.c: the line and column (1-based) that generated LINE of a
 * lowered file comes from, by its source map MAP. Returns 0, or -1 if the
 * map says nothing of it. */
int eider_sourcemap_lookup(const char *map, size_t maplen, int line, int *oline, int *ocol);
/* Rewrites the stack text on top: each "(FILE:LINE)" of a lowered file
 * becomes "(FILE:LINE:COLUMN)" of the user's text. */
void eider_js_map_stack(duk_context *ctx);
/* Makes Error.prototype.stack read mapped, as eider_js_map_stack maps. */
void eider_js_sourcemap_init(duk_context *ctx);

/* Formats the value at idx as console.log would (strings as they are,
 * errors with their stack, other values as JSON) and pushes the string. */
void eider_js_format_value(duk_context *ctx, duk_idx_t idx);

/* Replaces the JSON text on top with its value; returns 0, or -1 with
 * the SyntaxError on top instead. */
int eider_js_json_decode(duk_context *ctx);

/* js_json.c: replaces the value at idx (made a string) with what
 * JSON.parse makes of it; throws JSON.parse's SyntaxError. */
void eider_js_json_parse(duk_context *ctx, duk_idx_t idx);

/* Pushes the value of the JSON text in LEN bytes of UTF-8 at DATA, as
 * JSON.parse would make it of the text eider_js_push_utf8 makes of them,
 * without making that text; returns 0. Returns -1 with nothing pushed if
 * the parse needs the text (invalid JSON, or a rare mix of escapes and
 * other than ASCII in one string). */
int eider_js_json_parse_utf8(duk_context *ctx, const char *data, size_t len);
/* js_json.c: JSON.stringify of the plain data at idx (*len bytes, valid
 * until the next call), or NULL when JSON.stringify must do it. */
const char *eider_js_json_plain(duk_context *ctx, duk_idx_t idx, size_t *len);
#define EIDER_JS_JSON_OUT (16 * 1024)   /* longer texts go to JSON.stringify */

/* Pushes a new object with prototype PROTO (a heap pointer to an object
 * the stash keeps alive). */
void eider_js_push_with_proto(duk_context *ctx, void *proto);

/* Pushes LEN bytes of DATA as a string, decoded as UTF-8 the way Node
 * does (invalid sequences become U+FFFD). */
void eider_js_push_utf8(duk_context *ctx, const char *data, size_t len);

/* The bytes of the Buffer-or-string at idx (a string as UTF-8; one with
 * surrogate pairs is replaced at idx by a buffer of its UTF-8), valid
 * while that value stays on the stack; NULL if neither. */
const char *eider_js_bytes(duk_context *ctx, duk_idx_t idx, size_t *len);

#endif
