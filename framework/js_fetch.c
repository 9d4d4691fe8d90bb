/*
 * fetch(), Headers and Response: the JavaScript binding of the HTTP client
 * in http_client.c, on the worker's event loop.
 *
 * The JS half, framework/js/fetch.js (argument checks, Headers, Response
 * and its body readers), is loaded as bytecode once per heap and calls
 * these natives: request()
 * starts an hc_request and returns a deferred Promise (eider_js_deferred)
 * that on_done() settles from the loop with the Response the JS half's
 * response() makes (eider_js_settle, which drains the microtasks);
 * decode() turns body bytes into a string; promise() gives the runtime's
 * Promise; plainUrl() spares the usual URL its clean-up. The whole
 * response is read before the Promise resolves, so the body readers
 * resolve at once.
 *
 * fetch(url, {method, headers, body, timeout, redirect, signal}): headers an
 * object, array of pairs or Headers; body a string (UTF-8, Content-Type
 * text/plain;charset=UTF-8 unless set), Buffer, typed array or
 * ArrayBuffer; timeout in ms for the whole exchange including redirects
 * (0: none; default fetch_timeout); redirect "follow" (at most 20),
 * "error" or "manual"; signal an AbortSignal, whose abort rejects the
 * Promise with its reason and cancels the request. Failures reject with
 * a TypeError "fetch failed: <what happened>".
 *
 * C state, in the runtime (struct eider_js): its hc_client, made on the
 * first fetch, and the list of fetch_ops in flight; eider_js_fetch_free()
 * cancels and frees them all when the heap goes. A configuration check (no event loop)
 * rejects every fetch.
 */
#include "alloc.h"
#include "autoconfig.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http_client.h"
#include "js_internal.h"
#include "js_lib.h"
#include "log.h"
#include "resolve.h"

/* A fetch in flight: the deferred Promise it settles. An aborted one has
 * no request any more, only the event that rejects its Promise from the
 * loop. */
struct fetch_op {
    struct eider_js *js;
    LIST_ENTRY(fetch_op) link;         /* in js->fetches */
    struct hc_request *req;
    struct event *aborted;
    int ref;
};

#define STASH_RESPONSE "fetchResponse"   /* native.response of the JS half */

/* framework/js/fetch.js as bytecode (jsbc table: the one row "fetch"). */
extern const struct eider_js_lib eider_fetch_js[];

struct eider_resolver *eider_js_resolver(struct eider_js *js)
{
    if (js->resolver == NULL)
        js->resolver = eider_resolver_new(js->base, js->cfg ? js->cfg->resolvers : NULL,
                                          js->cfg ? js->cfg->nresolvers : 0);
    return js->resolver;
}

void eider_js_resolver_free(struct eider_js *js)
{
    eider_resolver_free(js->resolver);
    js->resolver = NULL;
}

/* The client of js, made on first use. NULL only when out of memory. */
static struct hc_client *client_of(struct eider_js *js)
{
    struct hc_client_opts opts = {
        .ca_file = js->cfg ? js->cfg->fetch_ca_file : NULL,
        .user_agent = "eider/" PACKAGE_VERSION,
        .no_pool = js->script,
        .resolver = eider_js_resolver(js),
    };

    if (js->fetch_client == NULL)
        js->fetch_client = hc_client_new(js->base, &opts);
    return js->fetch_client;
}

/* Pushes header name NAME lower-cased. Names are tokens (http_parser
 * refuses any other byte), so ASCII folding is what toLowerCase() does.
 * The usual short name is folded on the C stack. */
static void push_lower(duk_context *ctx, const char *name)
{
    char buf[64];
    size_t len = strlen(name);
    char *p = len <= sizeof(buf) ? buf : duk_push_fixed_buffer(ctx, len);

    for (size_t i = 0; i < len; i++)
        p[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
    if (p == buf)
        duk_push_lstring(ctx, buf, len);
    else
        duk_buffer_to_string(ctx, -1);
}

/* Pushes what settles a fetch: the Response, which the JS half's
 * native.response makes from the raw response ({status, statusText,
 * url, redirected, headers: [[lower-case name, value], ...], body:
 * ArrayBuffer}), or the TypeError. Runs under duk_safe_call, as the body
 * may not fit in the heap. Settling the Promise with the Response itself
 * spares a then() and a microtask per fetch; the drain that follows
 * starts with an empty queue, so no other job can tell the difference. */
struct outcome {
    const struct hc_response *resp;
    const char *error;
};

/* duk_safe_call body: pushes the Response or the TypeError of UDATA (a
 * struct outcome), as said above. */
static duk_ret_t push_outcome(duk_context *ctx, void *udata)
{
    const struct outcome *o = udata;
    const struct hc_response *resp = o->resp;
    size_t len;
    void *data;

    if (o->error) {
        duk_push_error_object(ctx, DUK_ERR_TYPE_ERROR, "fetch failed: %s", o->error);
        return 1;
    }
    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, STASH_RESPONSE);
    duk_remove(ctx, -2);
    duk_push_object(ctx);
    duk_push_int(ctx, resp->status);
    duk_put_prop_literal(ctx, -2, "status");
    eider_js_push_utf8(ctx, resp->status_text, strlen(resp->status_text));
    duk_put_prop_literal(ctx, -2, "statusText");
    eider_js_push_utf8(ctx, resp->url, strlen(resp->url));
    duk_put_prop_literal(ctx, -2, "url");
    duk_push_boolean(ctx, resp->redirected);
    duk_put_prop_literal(ctx, -2, "redirected");
    duk_push_array(ctx);
    for (size_t i = 0; i < resp->nheaders; i++) {
        duk_push_array(ctx);
        push_lower(ctx, resp->headers[i].name);
        duk_put_prop_index(ctx, -2, 0);
        eider_js_push_utf8(ctx, resp->headers[i].value, strlen(resp->headers[i].value));
        duk_put_prop_index(ctx, -2, 1);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    duk_put_prop_literal(ctx, -2, "headers");
    len = evbuffer_get_length(resp->body);
    data = duk_push_fixed_buffer(ctx, len);
    evbuffer_remove(resp->body, data, len);
    duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_ARRAYBUFFER);
    duk_remove(ctx, -2);
    duk_put_prop_literal(ctx, -2, "body");
    duk_call(ctx, 1);                  /* native.response(raw) */
    return 1;
}

/* The request of op ended: settle its Promise (from the loop). */
static void on_done(const struct hc_response *resp, const char *error, void *arg)
{
    struct fetch_op *op = arg;
    struct eider_js *op_js = op->js;
    duk_context *ctx = op_js->ctx;
    struct outcome o = { resp, error };
    int ref = op->ref, rc;

    LIST_REMOVE(op, link);
    free(op);
    eider_js_enter(op_js);             /* push_outcome runs the Response constructor */
    rc = duk_safe_call(ctx, push_outcome, &o, 0, 1);
    eider_js_settle(ctx, ref, rc != 0 || error != NULL);
    eider_js_leave(op_js);
}

/* native.request(url, method, [name, value, ...], body, timeoutMs, mode,
 * [handle]): starts the request and returns its Promise, and puts the
 * number native.abort() takes in handle.ref; throws a TypeError if it
 * cannot start. timeoutMs < 0 means the configured fetch_timeout. */
static duk_ret_t native_request(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    struct hc_request_opts opts;
    struct hc_header *headers;
    struct hc_client *hc;
    struct fetch_op *op;
    size_t n;
    double timeout;
    char err[512];

    if (js->base == NULL)
        return duk_type_error(ctx, "fetch failed: fetch is unavailable while checking the configuration");
    memset(&opts, 0, sizeof(opts));
    opts.url = duk_require_string(ctx, 0);
    opts.method = duk_require_string(ctx, 1);
    n = duk_get_length(ctx, 2) / 2;
    if (!duk_is_null_or_undefined(ctx, 3)) {
        opts.body = eider_js_bytes(ctx, 3, &opts.body_len);
        if (opts.body == NULL)
            return duk_type_error(ctx, "fetch failed: the body must be a string or bytes");
    }
    timeout = duk_get_number_default(ctx, 4, -1);
    if (timeout < 0)
        timeout = js->cfg ? (double)js->cfg->fetch_timeout * 1000 : 0;
    opts.timeout_ms = (long)timeout;
    opts.max_response_size = js->cfg ? js->cfg->fetch_max_response_size : 0;
    opts.redirect = (enum hc_redirect)duk_get_int_default(ctx, 5, HC_REDIRECT_FOLLOW);
    if (opts.redirect > HC_REDIRECT_MANUAL)
        opts.redirect = HC_REDIRECT_FOLLOW;

    /* The strings stay alive in the array at index 2 meanwhile. */
    headers = eider_calloc(n + 1, sizeof(*headers));
    op = eider_calloc(1, sizeof(*op));
    hc = client_of(js);
    if (hc == NULL) {
        free(headers);
        free(op);
        return duk_error(ctx, DUK_ERR_RANGE_ERROR, "fetch failed: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        duk_get_prop_index(ctx, 2, (duk_uarridx_t)(2 * i));
        duk_get_prop_index(ctx, 2, (duk_uarridx_t)(2 * i + 1));
        headers[i].name = (char *)duk_get_string(ctx, -2);
        headers[i].value = (char *)duk_get_string(ctx, -1);
        duk_pop_2(ctx);
        if (headers[i].name == NULL || headers[i].value == NULL) {
            free(headers);
            free(op);
            return duk_type_error(ctx, "fetch failed: header names and values must be strings");
        }
    }
    opts.headers = headers;
    opts.nheaders = n;
    op->js = js;
    op->req = hc_request_start(hc, &opts, on_done, op, err, sizeof(err));
    free(headers);
    if (op->req == NULL) {
        free(op);
        return duk_type_error(ctx, "fetch failed: %s", err);
    }
    /* Linked before the Promise exists: the callback comes from the loop
     * only, and settling an unknown ref does nothing. */
    LIST_INSERT_HEAD(&js->fetches, op, link);
    op->ref = eider_js_deferred(ctx);
    if (duk_is_object(ctx, 6)) {
        duk_push_int(ctx, op->ref);
        duk_put_prop_string(ctx, 6, "ref");
    }
    return 1;
}

/* The aborted fetch op's event: reject its Promise (the JavaScript half
 * already rejected the one fetch() returned) and free it. */
static void on_aborted(evutil_socket_t fd, short what, void *arg)
{
    struct fetch_op *op = arg;
    duk_context *ctx = op->js->ctx;
    int ref = op->ref;

    (void)fd;
    (void)what;
    LIST_REMOVE(op, link);
    event_free(op->aborted);
    free(op);
    duk_push_error_object(ctx, DUK_ERR_TYPE_ERROR, "fetch failed: aborted");
    eider_js_settle(ctx, ref, 1);
}

/* native.abort(ref): cancels the fetch whose handle.ref is ref, if still
 * in flight. Its Promise is rejected from the loop, not here: settling
 * drains the microtasks, which must not run inside the abort() call. */
static duk_ret_t native_abort(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    int ref = duk_get_int(ctx, 0);
    static const struct timeval now = { 0, 0 };

    struct fetch_op *op;

    LIST_FOREACH(op, &js->fetches, link) {
        if (op->ref != ref || op->req == NULL)
            continue;
        op->aborted = evtimer_new(js->base, on_aborted, op);
        if (op->aborted == NULL)
            return duk_error(ctx, DUK_ERR_RANGE_ERROR, "fetch: out of memory");
        hc_request_cancel(op->req);
        op->req = NULL;
        evtimer_add(op->aborted, &now);
        break;
    }
    return 0;
}

/* native.decode(arrayBuffer): the bytes as UTF-8 text (U+FFFD for
 * invalid sequences). */
static duk_ret_t native_decode(duk_context *ctx)
{
    duk_size_t len = 0;
    const char *data = duk_get_buffer_data(ctx, 0, &len);

    eider_js_push_utf8(ctx, data ? data : "", data ? len : 0);
    return 1;
}

#define ASCII_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))

/* True if s is a scheme ([a-zA-Z][a-zA-Z0-9+.-]* ":") followed by
 * printable ASCII only (0x21-0x7e): then the JS half's cleanUrl() (trim,
 * check, percent-encode) would return it unchanged. */
static int is_plain_url(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || !ASCII_ALPHA(s[0]))
        return 0;
    for (i = 1; i < len && s[i] != ':'; i++)
        if (!ASCII_ALPHA(s[i]) && !(s[i] >= '0' && s[i] <= '9') && s[i] != '+' && s[i] != '.' && s[i] != '-')
            return 0;
    if (i == len)                      /* no ':' */
        return 0;
    for (i++; i < len; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

/* native.plainUrl(string): is_plain_url, so that the usual URL skips the
 * three regular expression scans of cleanUrl() (about 40,000 instructions
 * in Duktape for a short URL). */
static duk_ret_t native_plain_url(duk_context *ctx)
{
    duk_size_t len;
    const char *s = duk_require_lstring(ctx, 0, &len);

    duk_push_boolean(ctx, is_plain_url(s, len));
    return 1;
}

/* native.promise(): the Promise the prelude installed (even if a handler
 * replaced the global one). */
static duk_ret_t native_promise(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, "Promise");
    return 1;
}

/* Compiles the JS half, hands it the natives and puts fetch, Headers
 * and Response on the global object. Under duk_safe_call. */
static duk_ret_t install(duk_context *ctx, void *udata)
{
    (void)udata;
    memcpy(duk_push_fixed_buffer(ctx, eider_fetch_js[0].len), eider_fetch_js[0].code,
           eider_fetch_js[0].len);
    duk_load_function(ctx);
    duk_call(ctx, 0);                  /* evaluates to the function */
    duk_push_object(ctx);
    duk_dup_top(ctx);                  /* native, for native.response below */
    duk_insert(ctx, -3);
    duk_push_c_function(ctx, native_request, 7);
    duk_put_prop_string(ctx, -2, "request");
    duk_push_c_function(ctx, native_decode, 1);
    duk_put_prop_string(ctx, -2, "decode");
    duk_push_c_function(ctx, native_promise, 0);
    duk_put_prop_string(ctx, -2, "promise");
    duk_push_c_function(ctx, native_plain_url, 1);
    duk_put_prop_string(ctx, -2, "plainUrl");
    duk_push_c_function(ctx, native_abort, 1);
    duk_put_prop_string(ctx, -2, "abort");
    duk_call(ctx, 1);                  /* [native {fetch, Headers, Response}] */
    duk_push_global_object(ctx);
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = { "fetch", "Headers", "Response" };
        duk_get_prop_string(ctx, -2, names[i]);
        duk_put_prop_string(ctx, -2, names[i]);
    }
    duk_pop_2(ctx);
    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -2, "response");
    duk_put_prop_literal(ctx, -2, STASH_RESPONSE);
    duk_pop_2(ctx);
    return 0;
}

/* A failure is logged and leaves the heap without fetch (it cannot
 * happen short of out of memory: the source is ours). */
void eider_js_fetch_init(duk_context *ctx)
{
    if (duk_safe_call(ctx, install, NULL, 0, 1) != 0) {
        eider_js_format_value(ctx, -1);
        eider_log(EIDER_LOG_ERROR, "cannot install fetch(): %s", duk_get_string(ctx, -1));
        duk_pop(ctx);
    }
    duk_pop(ctx);
}

/* Cancels js's fetches without settling them (the heap goes next) and
 * frees its client: pooled connections, resolver, TLS context. */
void eider_js_fetch_free(struct eider_js *js)
{
    while (!LIST_EMPTY(&js->fetches)) {
        struct fetch_op *op = LIST_FIRST(&js->fetches);

        LIST_REMOVE(op, link);
        if (op->req != NULL)
            hc_request_cancel(op->req);
        if (op->aborted != NULL)
            event_free(op->aborted);
        free(op);
    }
    hc_client_free(js->fetch_client);
    js->fetch_client = NULL;
}
