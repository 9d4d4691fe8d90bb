/*
 * The req object. Instances are empty objects holding a pointer to their
 * exchange; everything else is a getter on one shared prototype, computed
 * on first use and then cached on the instance as a plain property, so a
 * handler that reads only req.path pays only for req.path.
 *
 * req is also a stream.Readable of its (already read) body. The stream
 * methods start as stubs behind the prototype: the first call in a heap
 * loads the built-in 'stream', which makes Readable.prototype the parent
 * of req's prototype, and goes on with the real method. A worker whose
 * handlers never use req as a stream never loads it, and no request pays
 * for it. The globals URL and URLSearchParams are loaded as lazily.
 */
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "http.h"
#include "js_internal.h"
#include "url.h"

#define STASH_REQ_PROTO "reqProto"
#define STASH_STREAM_STUBS "reqStreamStubs"

/* Caches the value on top as an own property NAME of `this`; leaves it. */
static void cache_on_this(duk_context *ctx, const char *name)
{
    duk_push_this(ctx);
    duk_push_string(ctx, name);
    duk_dup(ctx, -3);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                 | DUK_DEFPROP_SET_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
    duk_pop(ctx);
}

/* req.method: pushes the method's name ("GET"...). */
static duk_ret_t get_method(duk_context *ctx, struct eider_exchange *ex)
{
    duk_push_string(ctx, eider_method_names[ex->method]);
    return 1;
}

/* The gate lets only ASCII into a request target; through
 * eider_js_push_utf8 all the same, so that nothing else has to hold for
 * TextEncoder to be safe on these (the fuzz_js target drives them with
 * any bytes). */
static duk_ret_t get_url(duk_context *ctx, struct eider_exchange *ex)
{
    const char *uri = evhttp_request_get_uri(ex->req);

    eider_js_push_utf8(ctx, uri, strlen(uri));
    return 1;
}

/* req.path: pushes the decoded path, without the query (UTF-8 made safe). */
static duk_ret_t get_path(duk_context *ctx, struct eider_exchange *ex)
{
    eider_js_push_utf8(ctx, ex->path, strlen(ex->path));
    return 1;
}

/* Decoded query keys and values, and route parameters, may hold any
 * bytes: they go in through eider_js_push_utf8, which makes invalid UTF-8
 * U+FFFD and characters past U+FFFF surrogate pairs, as Node has them. */
static int add_query_pair(const char *k, size_t klen, const char *v, size_t vlen, void *ud)
{
    duk_context *ctx = ud;

    eider_js_push_utf8(ctx, k, klen);              /* [query key] */
    duk_dup_top(ctx);
    if (!duk_get_prop(ctx, -3)) {                  /* [query key undefined] */
        duk_pop(ctx);
        eider_js_push_utf8(ctx, v, vlen);
        duk_put_prop(ctx, -3);
        return 0;
    }
    /* A repeated key becomes an array, in order. */
    if (!duk_is_array(ctx, -1)) {                  /* [query key first] */
        duk_push_array(ctx);
        duk_swap_top(ctx, -2);
        duk_put_prop_index(ctx, -2, 0);            /* [query key array] */
        duk_dup(ctx, -2);
        duk_dup(ctx, -2);
        duk_put_prop(ctx, -5);
    }
    eider_js_push_utf8(ctx, v, vlen);              /* [query key array value] */
    duk_put_prop_index(ctx, -2, (duk_uarridx_t)duk_get_length(ctx, -2));
    duk_pop_2(ctx);
    return 0;
}

/* req.query: pushes an object of the decoded query pairs (a repeated key
 * as an array), cached on req. */
static duk_ret_t get_query(duk_context *ctx, struct eider_exchange *ex)
{
    duk_push_bare_object(ctx);
    if (ex->query != NULL) {
        size_t len = strlen(ex->query);
        char *scratch = eider_malloc(len + 2);
        eider_query_foreach(ex->query, len, scratch, add_query_pair, ctx);
        free(scratch);
    }
    cache_on_this(ctx, "query");
    return 1;
}

/* req.params: pushes an object of the route's parameters, cached on req. */
static duk_ret_t get_params(duk_context *ctx, struct eider_exchange *ex)
{
    duk_push_bare_object(ctx);
    for (int i = 0; i < ex->match.nparams; i++) {
        eider_js_push_utf8(ctx, ex->match.params[i].value, ex->match.params[i].len);
        duk_put_prop_string(ctx, -2, ex->match.params[i].name);
    }
    cache_on_this(ctx, "params");
    return 1;
}

/* Room for the keys get_headers compares by pointer to find repeated
 * names; headers past this many are looked up in the object instead. */
#define HEADERS_TRACKED 64

/* Pushes NAME (LEN bytes, LEN < 256) lower-cased (ASCII only, as
 * tolower in the C locale eider runs in) as a string. */
static void push_lower_name(duk_context *ctx, const char *name, size_t len)
{
    char low[256];

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    duk_push_lstring(ctx, low, len);
}

/* How Node's IncomingMessage keeps a header that comes more than once
 * (_http_incoming.js, matchKnownFields): the first of these, the
 * others' values dropped... */
static const char *const FIRST_WINS[] = {
    "age", "authorization", "content-length", "content-type", "etag", "expires", "from",
    "host", "if-modified-since", "if-unmodified-since", "last-modified", "location",
    "max-forwards", "proxy-authorization", "referer", "retry-after", "server", "user-agent",
};

/* ...how a repeated NAME (LEN bytes, lower-case) is kept: 0 dropped, 1
 * joined with "; " (cookie), 2 joined with ", " (the rest). */
static int repeat_rule(const char *name, size_t len)
{
    if (len == 6 && memcmp(name, "cookie", 6) == 0)
        return 1;
    for (size_t i = 0; i < sizeof(FIRST_WINS) / sizeof(FIRST_WINS[0]); i++)
        if (strlen(FIRST_WINS[i]) == len && memcmp(FIRST_WINS[i], name, len) == 0)
            return 0;
    return 2;
}

/* Pushes header KV's value; set-cookie's as an array of it, as Node
 * gives set-cookie always. */
static void push_header_value(duk_context *ctx, const struct evkeyval *kv, int set_cookie)
{
    if (set_cookie)
        duk_push_array(ctx);
    eider_js_push_utf8(ctx, kv->value, strlen(kv->value));
    if (set_cookie)
        duk_put_prop_index(ctx, -2, 0);
}

/* req.headers: pushes an object of the request headers by lower-case
 * name (names of 256 bytes or more are left out), cached on req, with
 * Node's rules for repeats (repeat_rule; set-cookie an array). The
 * object is sized to the header count up front, and a name is looked up
 * in it only when its interned key (one string per content) already
 * appeared: most requests repeat no name and pay for no lookup, and a
 * new name is added without the checks of a put. */
static duk_ret_t get_headers(duk_context *ctx, struct eider_exchange *ex)
{
    struct evkeyvalq *in = evhttp_request_get_input_headers(ex->req);
    struct evkeyval *kv;
    void *seen[HEADERS_TRACKED];
    duk_uint32_t count = 0;
    int nseen = 0;

    TAILQ_FOREACH(kv, in, next)
        count++;
    eider_duk_push_object_sized(ctx, count);
    TAILQ_FOREACH(kv, in, next) {
        size_t n = strlen(kv->key);
        int look = nseen == HEADERS_TRACKED;   /* untracked: may be repeated */
        const char *low;
        int set_cookie;
        void *key;

        if (n >= 256)
            continue;
        push_lower_name(ctx, kv->key, n);            /* [headers name] */
        key = duk_get_heapptr(ctx, -1);
        low = duk_get_string(ctx, -1);
        if (n == 9 && memcmp(low, "__proto__", 9) == 0) {
            duk_pop(ctx);   /* Node's `headers[name] = value` sets nothing for it */
            continue;
        }
        set_cookie = n == 10 && memcmp(low, "set-cookie", 10) == 0;
        for (int i = 0; i < nseen && !look; i++)
            look = seen[i] == key;
        if (look) {
            duk_dup_top(ctx);
            if (duk_get_prop(ctx, -3)) {             /* [headers name old] */
                int rule = repeat_rule(low, n);
                if (set_cookie) {
                    eider_js_push_utf8(ctx, kv->value, strlen(kv->value));
                    duk_put_prop_index(ctx, -2, (duk_uarridx_t)duk_get_length(ctx, -2));
                    duk_pop_2(ctx);
                } else if (rule == 0) {
                    duk_pop_2(ctx);
                } else {
                    duk_push_string(ctx, rule == 1 ? "; " : ", ");
                    eider_js_push_utf8(ctx, kv->value, strlen(kv->value));
                    duk_concat(ctx, 3);
                    duk_put_prop(ctx, -3);
                }
                continue;
            }
            duk_pop(ctx);                            /* new after all */
        } else {
            seen[nseen++] = key;
        }
        push_header_value(ctx, kv, set_cookie);
        eider_duk_put_new_prop(ctx, -3);
    }
    cache_on_this(ctx, "headers");
    return 1;
}

/* req.body: pushes the whole body as a Buffer, or undefined when empty;
 * cached on req. */
static duk_ret_t get_body(duk_context *ctx, struct eider_exchange *ex)
{
    struct evbuffer *in = eider_http_body(ex);
    size_t len = evbuffer_get_length(in);
    void *data;

    if (len == 0) {
        duk_push_undefined(ctx);
    } else {
        data = duk_push_fixed_buffer(ctx, len);
        evbuffer_copyout(in, data, len);
        duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_NODEJS_BUFFER);
        duk_remove(ctx, -2);
    }
    cache_on_this(ctx, "body");
    return 1;
}

/* req.ip: pushes the client's address (after trusted_proxies). */
static duk_ret_t get_ip(duk_context *ctx, struct eider_exchange *ex)
{
    duk_push_string(ctx, eider_http_peer(ex));
    return 1;
}

/* req.protocol: pushes "https" or "http". */
static duk_ret_t get_protocol(duk_context *ctx, struct eider_exchange *ex)
{
    duk_push_string(ctx, ex->https ? "https" : "http");
    return 1;
}

/* req.id: pushes the request's id (the one the access log shows). */
static duk_ret_t get_id(duk_context *ctx, struct eider_exchange *ex)
{
    duk_push_string(ctx, ex->id);
    return 1;
}

typedef duk_ret_t (*req_getter)(duk_context *ctx, struct eider_exchange *ex);

static const struct {
    const char *name;
    req_getter get;
} getters[] = {
    { "method", get_method },
    { "url", get_url },
    { "path", get_path },
    { "query", get_query },
    { "params", get_params },
    { "headers", get_headers },
    { "body", get_body },
    { "ip", get_ip },
    { "protocol", get_protocol },
    { "id", get_id },
};

/* One C function serves every getter; its magic is the table index. */
static duk_ret_t req_get(duk_context *ctx)
{
    struct eider_exchange *ex = eider_js_this_exchange(ctx);

    if (ex == NULL)
        return 0;   /* after the answer: undefined, never a stale pointer */
    return getters[duk_get_current_magic(ctx)].get(ctx, ex);
}

/* The body of the exchange behind `this` in one piece: *DATA (NULL when
 * empty) and *LEN. Returns -1 after the answer, when there is none. */
static int body_bytes(duk_context *ctx, const char **data, size_t *len)
{
    struct eider_exchange *ex = eider_js_this_exchange(ctx);
    struct evbuffer *in;

    if (ex == NULL)
        return -1;
    in = eider_http_body(ex);
    *len = evbuffer_get_length(in);
    *data = (const char *)evbuffer_pullup(in, (ev_ssize_t)*len);
    return 0;
}

/* req.text(): the body as a UTF-8 string, "" when there is none. */
static duk_ret_t req_text(duk_context *ctx)
{
    const char *data;
    size_t len;

    if (body_bytes(ctx, &data, &len) < 0)
        return 0;
    eider_js_push_utf8(ctx, data, len);
    return 1;
}

/* req.json(): the parsed body; invalid JSON throws an error that answers
 * 400 if the handler lets it through. */
static duk_ret_t req_json(duk_context *ctx)
{
    const char *data;
    size_t len;

    if (body_bytes(ctx, &data, &len) < 0)
        return 0;
    if (len > 0 && eider_js_json_parse_utf8(ctx, data, len) == 0)
        return 1;
    req_text(ctx);
    if (duk_get_length(ctx, -1) == 0) {
        duk_push_undefined(ctx);   /* no body: nothing to parse */
        return 1;
    }
    if (eider_js_json_decode(ctx) != 0) {
        duk_push_error_object(ctx, DUK_ERR_SYNTAX_ERROR, "request body is not valid JSON: %s",
                              duk_safe_to_string(ctx, -1));
        duk_push_int(ctx, 400);
        duk_put_prop_string(ctx, -2, EIDER_JS_STATUS);
        return duk_throw(ctx);
    }
    return 1;
}

/* --- built-in JavaScript modules, from C --- */

/* Pushes the exports of built-in module ID (js_module.c's cache: a later
 * require() of it gets the same object). Returns 0, or -1 with the error
 * on top. */
static int push_lib(duk_context *ctx, const char *id)
{
    switch (eider_js_push_builtin(ctx, id)) {
    case 1:
        return 0;
    case 0:
        duk_push_error_object(ctx, DUK_ERR_ERROR, "Cannot find module '%s'", id);
        /* fall through */
    default:
        return -1;
    }
}

/* --- req as a stream.Readable --- */

/* The members of Readable (and EventEmitter) that lead to 'stream' when
 * first used on a req: methods first, then getters. */
static const char *const stream_methods[] = {
    "on", "addListener", "once", "prependListener", "prependOnceListener", "off",
    "removeListener", "removeAllListeners", "emit", "listeners", "rawListeners",
    "listenerCount", "eventNames", "setMaxListeners", "getMaxListeners", "pipe",
    "unpipe", "read", "resume", "pause", "isPaused", "setEncoding", "destroy",
    "unshift", "push", "iterator",
    DUK_GLOBAL_SYMBOL("eider.asyncIterator"),   /* under Symbol.asyncIterator */
};
#define N_METHODS (sizeof(stream_methods) / sizeof(stream_methods[0]))
#define ASYNC_ITERATOR_STUB (N_METHODS - 1)
static const char *const stream_getters[] = {
    "readable", "readableEnded", "readableFlowing", "readableLength",
    "readableEncoding", "readableObjectMode", "readableHighWaterMark", "destroyed",
};

/* Makes req's prototype inherit from stream.Readable.prototype (stream.js
 * does it, under a registered symbol), leaving the stubs behind. Returns 0,
 * or -1 with the error on top. */
static int adopt_stream(duk_context *ctx)
{
    if (push_lib(ctx, "stream") != 0)
        return -1;
    duk_get_prop_string(ctx, -1, "Readable");
    duk_get_prop_string(ctx, -1, DUK_GLOBAL_SYMBOL("eider.stream.adoptRequest"));
    duk_dup(ctx, -2);
    duk_push_heapptr(ctx, eider_js_of(ctx)->req_proto);
    if (duk_pcall_method(ctx, 1) != 0) {
        duk_remove(ctx, -2);
        duk_remove(ctx, -2);
        return -1;
    }
    duk_pop_3(ctx);
    return 0;
}

/* Pushes the key a stub stands for: its name, or Symbol.asyncIterator. */
static void push_stub_key(duk_context *ctx, int magic)
{
    if ((size_t)magic == ASYNC_ITERATOR_STUB) {
        duk_get_global_string(ctx, "Symbol");
        duk_get_prop_string(ctx, -1, "asyncIterator");
        duk_remove(ctx, -2);
    } else {
        duk_push_string(ctx, stream_methods[magic]);
    }
}

/* A stream method of req before 'stream' is loaded: loads it, then calls
 * the real method with the same this and arguments. */
static duk_ret_t stream_method_stub(duk_context *ctx)
{
    duk_idx_t nargs = duk_get_top(ctx);

    if (adopt_stream(ctx) != 0)
        return duk_throw(ctx);
    duk_push_this(ctx);
    push_stub_key(ctx, duk_get_current_magic(ctx));
    duk_get_prop(ctx, -2);                        /* [args this method] */
    duk_push_current_function(ctx);
    if (!duk_is_function(ctx, -2) || duk_samevalue(ctx, -1, -2))
        return duk_error(ctx, DUK_ERR_TYPE_ERROR, "not a request: no stream method here");
    duk_pop(ctx);
    duk_swap_top(ctx, -2);                        /* [args method this] */
    for (duk_idx_t i = 0; i < nargs; i++)
        duk_dup(ctx, i);
    duk_call_method(ctx, nargs);
    return 1;
}

/* A stream getter of req (req.readable ...) before 'stream' is loaded. */
static duk_ret_t stream_getter_stub(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_STREAM_STUBS);
    duk_push_heapptr(ctx, eider_js_of(ctx)->req_proto);
    if (duk_get_prototype(ctx, -1), !duk_samevalue(ctx, -1, -3))
        return 0;                                 /* adopted, yet here: not a req */
    if (adopt_stream(ctx) != 0)
        return duk_throw(ctx);
    duk_push_this(ctx);
    duk_get_prop_string(ctx, -1, stream_getters[duk_get_current_magic(ctx)]);
    return 1;
}

/* Puts the stubs in an object between req's prototype and Object.prototype. */
static void init_stream_stubs(duk_context *ctx, duk_idx_t proto)
{
    duk_idx_t stubs;

    proto = duk_normalize_index(ctx, proto);
    stubs = duk_push_object(ctx);
    for (size_t i = 0; i < N_METHODS; i++) {
        push_stub_key(ctx, (int)i);
        if ((size_t)i == ASYNC_ITERATOR_STUB && !duk_is_symbol(ctx, -1)) {
            duk_pop(ctx);
            continue;
        }
        duk_push_c_function(ctx, stream_method_stub, DUK_VARARGS);
        duk_set_magic(ctx, -1, (duk_int_t)i);
        duk_def_prop(ctx, stubs, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                     | DUK_DEFPROP_SET_CONFIGURABLE);
    }
    for (size_t i = 0; i < sizeof(stream_getters) / sizeof(stream_getters[0]); i++) {
        duk_push_string(ctx, stream_getters[i]);
        duk_push_c_function(ctx, stream_getter_stub, 0);
        duk_set_magic(ctx, -1, (duk_int_t)i);
        duk_def_prop(ctx, stubs, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_CONFIGURABLE);
    }
    duk_push_heap_stash(ctx);
    duk_dup(ctx, stubs);
    duk_put_prop_string(ctx, -2, STASH_STREAM_STUBS);
    duk_pop(ctx);
    duk_set_prototype(ctx, proto);
}

/* Duktape has no Symbol.asyncIterator, which for await...of (lowered to ES5)
 * and req's async iteration need: define it, as ES2018 does (fixed). */
static void define_async_iterator(duk_context *ctx)
{
    duk_get_global_string(ctx, "Symbol");
    if (!duk_has_prop_string(ctx, -1, "asyncIterator")) {
        duk_push_string(ctx, "asyncIterator");
        duk_push_string(ctx, DUK_WELLKNOWN_SYMBOL("Symbol.asyncIterator"));
        duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_CLEAR_WRITABLE
                     | DUK_DEFPROP_CLEAR_ENUMERABLE | DUK_DEFPROP_CLEAR_CONFIGURABLE);
    }
    duk_pop(ctx);
}

/* --- Globals made on first use: URL, URLSearchParams, crypto --- */

/* Each lazy global is a property of a built-in module: reading it loads
 * the module (once), as Node's globals are there without a require. */
static const struct lazy_global {
    const char *name;     /* the global */
    const char *module;   /* the built-in module that has it */
    const char *prop;     /* its name there */
} lazy_globals[] = {
    { "URL", "url", "URL" },
    { "URLSearchParams", "url", "URLSearchParams" },
    { "crypto", "crypto", "webcrypto" },   /* Node 20's global Web Crypto */
};

/* Replaces global NAME (an accessor) by a plain property holding the value
 * on top, as Node has it (writable, configurable, not enumerable). */
static void settle_global(duk_context *ctx, const char *name)
{
    duk_push_global_object(ctx);
    duk_push_string(ctx, name);
    duk_dup(ctx, -3);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                 | DUK_DEFPROP_CLEAR_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE
                 | DUK_DEFPROP_FORCE);
    duk_pop(ctx);
}

/* The getter of a lazy global: loads its module, makes every lazy global
 * of that module a plain global, and answers. */
static duk_ret_t lazy_global_get(duk_context *ctx)
{
    const struct lazy_global *g = &lazy_globals[duk_get_current_magic(ctx)];

    if (push_lib(ctx, g->module) != 0)
        return duk_throw(ctx);
    for (size_t i = 0; i < sizeof(lazy_globals) / sizeof(lazy_globals[0]); i++) {
        if (strcmp(lazy_globals[i].module, g->module) != 0)
            continue;
        duk_get_prop_string(ctx, -1, lazy_globals[i].prop);
        settle_global(ctx, lazy_globals[i].name);
        duk_pop(ctx);
    }
    duk_get_prop_string(ctx, -1, g->prop);
    return 1;
}

/* Assigning the global first (URL = x) just sets it, without loading 'url'. */
static duk_ret_t lazy_global_set(duk_context *ctx)
{
    duk_dup(ctx, 0);
    settle_global(ctx, lazy_globals[duk_get_current_magic(ctx)].name);
    return 0;
}

/* Defines the lazy globals (URL, URLSearchParams, crypto) on the global object
 * as accessors: reading one loads its module, assigning one just sets it. */
static void init_lazy_globals(duk_context *ctx)
{
    duk_push_global_object(ctx);
    for (size_t i = 0; i < sizeof(lazy_globals) / sizeof(lazy_globals[0]); i++) {
        duk_push_string(ctx, lazy_globals[i].name);
        duk_push_c_function(ctx, lazy_global_get, 0);
        duk_set_magic(ctx, -1, (duk_int_t)i);
        duk_push_c_function(ctx, lazy_global_set, 1);
        duk_set_magic(ctx, -1, (duk_int_t)i);
        duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER
                     | DUK_DEFPROP_CLEAR_ENUMERABLE | DUK_DEFPROP_SET_CONFIGURABLE);
    }
    duk_pop(ctx);
}

/* Makes the prototype of every req (its getters, text(), json(), async
 * iteration, stream stubs), kept in the stash and in the runtime's
 * req_proto, and defines the lazy globals. */
void eider_js_request_init(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_push_object(ctx);
    for (size_t i = 0; i < sizeof(getters) / sizeof(getters[0]); i++) {
        duk_push_string(ctx, getters[i].name);
        duk_push_c_function(ctx, req_get, 0);
        duk_set_magic(ctx, -1, (duk_int_t)i);
        duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_ENUMERABLE
                     | DUK_DEFPROP_SET_CONFIGURABLE);
    }
    duk_push_c_function(ctx, req_text, 0);
    duk_put_prop_string(ctx, -2, "text");
    duk_push_c_function(ctx, req_json, 0);
    duk_put_prop_string(ctx, -2, "json");
    define_async_iterator(ctx);
    init_stream_stubs(ctx, -1);
    eider_js_of(ctx)->req_proto = duk_get_heapptr(ctx, -1);
    duk_put_prop_string(ctx, -2, STASH_REQ_PROTO);
    duk_pop(ctx);
    init_lazy_globals(ctx);
}

/* Pushes a new req object (js_internal.h). */
void eider_js_push_request(duk_context *ctx)
{
    eider_js_push_with_proto(ctx, eider_js_of(ctx)->req_proto);
}
