/*
 * require('eider/redis'): the native half of require('redis')
 * (framework/js/lib/redis.js, which holds the API: createClient, the
 * command methods, multi, pub/sub, reconnecting). This file is the only
 * one that knows both redis_conn.c and Duktape: it opens connections for
 * a JS client object, sends commands as binary-safe argv and settles their
 * Promises with the replies made JS values, and calls the client object
 * back when its connection comes up, ends, or gets a pub/sub message.
 *
 * Replies: status and bulk strings become strings (bulk ones decoded as
 * UTF-8 as Node does), integers numbers, nil null, arrays arrays, an
 * error an Error whose message is Redis's ("WRONGTYPE ...", as
 * node-redis's ErrorReply): a top-level one rejects. A command that gets
 * no reply (connection lost, refused, timed out) rejects with an Error
 * that answers 503 if a handler lets it through (EIDER_JS_STATUS).
 *
 * C state, in the runtime (struct eider_js): the list of open
 * connections, each under a number that the JS object holds (never a
 * pointer: a stale number finds nothing). The client objects are kept in
 * the stash under the same number while their connection is open, which
 * keeps them alive for their callbacks. eider_js_redis_free() closes them
 * all silently with the heap. A configuration check (no loop) opens
 * nothing.
 */
#include "alloc.h"

#include <event2/event.h>
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "js_internal.h"
#include "log.h"
#include "redis_conn.h"

#define STASH_CLIENTS "redisClients"
#define UNAVAILABLE 503                /* the status a lost Redis answers */
#define ARGV_STACK 16

/* One open connection of a JS client object. */
struct redis_client {
    struct eider_js *js;
    LIST_ENTRY(redis_client) link;     /* in js->redis_clients */
    struct redis_conn *conn;
    int id;                            /* of the client object in the stash */
};

/* Pushes an Error with MESSAGE that answers 503 when a handler throws it. */
static void push_unavailable(duk_context *ctx, const char *message)
{
    duk_push_error_object(ctx, DUK_ERR_ERROR, "%s", message);
    duk_push_int(ctx, UNAVAILABLE);
    duk_put_prop_string(ctx, -2, EIDER_JS_STATUS);
}

/* Pushes reply R as a JS value (see the top). */
static void push_reply(duk_context *ctx, const redisReply *r)
{
    switch (r->type) {
    case REDIS_REPLY_STRING:
        eider_js_push_utf8(ctx, r->str, r->len);
        break;
    case REDIS_REPLY_STATUS:
        duk_push_lstring(ctx, r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        duk_push_number(ctx, (double)r->integer);
        break;
    case REDIS_REPLY_ERROR:
        duk_push_error_object(ctx, DUK_ERR_ERROR, "%.*s", (int)r->len, r->str);
        break;
    case REDIS_REPLY_ARRAY:
        duk_require_stack(ctx, 4);     /* hiredis nests at most 7 deep */
        duk_push_array(ctx);
        for (size_t i = 0; i < r->elements; i++) {
            push_reply(ctx, r->element[i]);
            duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
        }
        break;
    default:                           /* REDIS_REPLY_NIL */
        duk_push_null(ctx);
    }
}

/* duk_safe_call body: pushes UDATA (a redisReply) as a JS value; a reply
 * may not fit in the heap. */
static duk_ret_t push_reply_safe(duk_context *ctx, void *udata)
{
    push_reply(ctx, udata);
    return 1;
}

/* A command's reply, or NULL and why: settles its Promise REF. */
static void on_reply(void *arg, int ref, const struct redisReply *r, const char *why)
{
    struct eider_js *js = arg;
    duk_context *ctx = js->ctx;
    int reject = 1;

    eider_js_enter(js);
    if (r == NULL)
        push_unavailable(ctx, why);
    else if (duk_safe_call(ctx, push_reply_safe, (void *)r, 0, 1) == 0)
        reject = r->type == REDIS_REPLY_ERROR;
    eider_js_settle(ctx, ref, reject);
    eider_js_leave(js);
    eider_js_maybe_gc(js);
}

/* What a callback of the client object gets. */
struct callback {
    const char *method;                /* "_onConnect", "_onClose", "_onMessage" */
    int id;
    const redisReply *reply;           /* _onMessage's argument */
    const char *why;                   /* _onClose's: a string, or null if NULL */
};

/* duk_safe_call body: calls client[method](arg) as UDATA says. */
static duk_ret_t call_client(duk_context *ctx, void *udata)
{
    const struct callback *cb = udata;

    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, STASH_CLIENTS);
    if (!duk_get_prop_index(ctx, -1, (duk_uarridx_t)cb->id))
        return 0;
    duk_push_string(ctx, cb->method);
    if (cb->reply != NULL)
        push_reply(ctx, cb->reply);
    else if (cb->why != NULL)
        duk_push_string(ctx, cb->why);
    else
        duk_push_null(ctx);
    duk_call_prop(ctx, -3, 1);
    return 0;
}

/* Runs callback CB of client CL's object, as an entry from the loop:
 * what it throws is logged, the microtasks are drained. */
static void call(struct redis_client *cl, const struct callback *cb)
{
    struct eider_js *js = cl->js;
    duk_context *ctx = js->ctx;

    eider_js_enter(js);
    if (duk_safe_call(ctx, call_client, (void *)cb, 0, 1) != 0)
        eider_js_log_error(ctx, -1, "a Redis client callback");
    duk_pop(ctx);
    eider_js_drain(ctx);
    eider_js_leave(js);
    eider_js_maybe_gc(js);
}

static void on_connected(void *arg)
{
    struct redis_client *cl = arg;
    struct callback cb = { "_onConnect", cl->id, NULL, NULL };

    call(cl, &cb);
}

static void on_message(void *arg, const struct redisReply *reply)
{
    struct redis_client *cl = arg;
    struct callback cb = { "_onMessage", cl->id, reply, NULL };

    call(cl, &cb);
}

/* The connection ended: forget it, tell the object, then let the stash
 * drop the object (it reconnects under a new number if it wants). */
static void on_closed(void *arg, const char *why)
{
    struct redis_client *cl = arg;
    struct callback cb = { "_onClose", cl->id, NULL, why };
    duk_context *ctx = cl->js->ctx;

    LIST_REMOVE(cl, link);
    cl->conn = NULL;
    call(cl, &cb);
    duk_push_heap_stash(ctx);
    duk_get_prop_literal(ctx, -1, STASH_CLIENTS);
    duk_del_prop_index(ctx, -1, (duk_uarridx_t)cl->id);
    duk_pop_2(ctx);
    free(cl);
}

static const struct redis_conn_events events = { on_connected, on_message, on_closed };

/* The open connection number ID of this runtime, or NULL. */
static struct redis_client *client_of(struct eider_js *js, int id)
{
    struct redis_client *cl;

    LIST_FOREACH(cl, &js->redis_clients, link)
        if (cl->id == id)
            return cl;
    return NULL;
}

/* native.open(client, host, port, path, connectTimeoutMs,
 * commandTimeoutMs): connects for the client object and returns the
 * connection's number; throws (503) if it cannot even start. */
static duk_ret_t native_open(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    struct redis_conn_opts o = {
        .host = duk_get_string_default(ctx, 1, "127.0.0.1"),
        .port = duk_get_int_default(ctx, 2, 6379),
        .path = duk_get_string_default(ctx, 3, NULL),
        .connect_timeout_ms = (long)duk_get_number_default(ctx, 4, 0),
        .command_timeout_ms = (long)duk_get_number_default(ctx, 5, 0),
    };
    struct redis_client *cl;
    char err[256], msg[400];

    if (js->base == NULL)
        return duk_error(ctx, DUK_ERR_ERROR, "Redis is unavailable while checking the configuration");
    o.resolver = eider_js_resolver(js);
    cl = eider_calloc(1, sizeof(*cl));
    cl->js = js;
    cl->conn = redis_conn_open(js->base, &o, &events, cl, err, sizeof(err));
    if (cl->conn == NULL) {
        free(cl);
        if (o.path)
            snprintf(msg, sizeof(msg), "Redis %s: %s", o.path, err);
        else
            snprintf(msg, sizeof(msg), "Redis %s:%d: %s", o.host, o.port, err);
        push_unavailable(ctx, msg);
        return duk_throw(ctx);
    }
    cl->id = ++js->next_redis_id;
    LIST_INSERT_HEAD(&js->redis_clients, cl, link);
    duk_push_heap_stash(ctx);
    if (!duk_get_prop_literal(ctx, -1, STASH_CLIENTS)) {
        duk_pop(ctx);
        duk_push_bare_object(ctx);
        duk_dup_top(ctx);
        duk_put_prop_literal(ctx, -3, STASH_CLIENTS);
    }
    duk_dup(ctx, 0);
    duk_put_prop_index(ctx, -2, (duk_uarridx_t)cl->id);
    duk_push_int(ctx, cl->id);
    return 1;
}

/* Fills argv/lens with the elements of the array at IDX (strings as
 * UTF-8, buffers as they are, anything else made a string), each pushed
 * on the stack so that its bytes stay valid. Returns the count. */
static int collect_args(duk_context *ctx, duk_idx_t idx, const char ***argv, size_t **lens,
                        const char **sargv, size_t *slens)
{
    int n = (int)duk_get_length(ctx, idx);

    if (n < 1)
        (void)duk_range_error(ctx, "a Redis command needs at least its name");
    *argv = sargv;
    *lens = slens;
    if (n > ARGV_STACK) {
        /* The buffers are on the value stack, freed with it even if a
         * later element throws. */
        *argv = duk_push_fixed_buffer(ctx, (duk_size_t)n * sizeof(**argv));
        *lens = duk_push_fixed_buffer(ctx, (duk_size_t)n * sizeof(**lens));
    }
    duk_require_stack(ctx, n);
    for (int i = 0; i < n; i++) {
        duk_get_prop_index(ctx, idx, (duk_uarridx_t)i);
        (*argv)[i] = eider_js_bytes(ctx, -1, &(*lens)[i]);
        if ((*argv)[i] == NULL) {
            duk_to_string(ctx, -1);
            (*argv)[i] = eider_js_bytes(ctx, -1, &(*lens)[i]);
        }
    }
    return n;
}

/* native.send(id, [name, args...]): the command's Promise, or undefined when
 * connection ID is closed or closing (the JS half says why). */
static duk_ret_t native_send(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    struct redis_client *cl = client_of(js, duk_get_int(ctx, 0));
    const char *sargv[ARGV_STACK], **argv;
    size_t slens[ARGV_STACK], *lens;
    int n, ref;

    if (cl == NULL)
        return 0;
    n = collect_args(ctx, 1, &argv, &lens, sargv, slens);
    /* The Promise is made once the command is sent, so that a refusal
     * leaves none behind; its number is known ahead (eider_js_deferred
     * takes the next one), and no reply can come before this returns. */
    ref = js->next_deferred + 1;
    if (redis_conn_send(cl->conn, n, argv, lens, on_reply, js, ref) != 0)
        return 0;
    (void)eider_js_deferred(ctx);
    return 1;
}

/* native.subscribe(id, [SUBSCRIBE|PSUBSCRIBE|UNSUBSCRIBE|PUNSUBSCRIBE,
 * names...]): true if sent. What comes back goes to client._onMessage. */
static duk_ret_t native_subscribe(duk_context *ctx)
{
    struct redis_client *cl = client_of(eider_js_of(ctx), duk_get_int(ctx, 0));
    const char *sargv[ARGV_STACK], **argv;
    size_t slens[ARGV_STACK], *lens;
    int n;

    if (cl == NULL)
        return duk_push_false(ctx), 1;
    n = collect_args(ctx, 1, &argv, &lens, sargv, slens);
    duk_push_boolean(ctx, redis_conn_subscribe(cl->conn, n, argv, lens) == 0);
    return 1;
}

/* native.close(id, graceful): see redis_conn_close; _onClose(null)
 * follows from the loop. */
static duk_ret_t native_close(duk_context *ctx)
{
    struct redis_client *cl = client_of(eider_js_of(ctx), duk_get_int(ctx, 0));

    if (cl != NULL && cl->conn != NULL)
        redis_conn_close(cl->conn, duk_to_boolean(ctx, 1));
    return 0;
}

/* native.error(message): an Error that answers 503 (Redis unavailable). */
static duk_ret_t native_error(duk_context *ctx)
{
    push_unavailable(ctx, duk_to_string(ctx, 0));
    return 1;
}

static const duk_function_list_entry natives[] = {
    { "open", native_open, 6 },
    { "send", native_send, 2 },
    { "subscribe", native_subscribe, 2 },
    { "close", native_close, 2 },
    { "error", native_error, 1 },
    { NULL, NULL, 0 }
};

/* Pushes require('eider/redis'): the natives above, the configuration's
 * redis_url (configuredUrl, or null) and redis_timeout (timeoutMs), and
 * checking (true in a configuration check, where nothing connects). */
void eider_js_redis_push(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    const struct eider_config *cfg = js->cfg;

    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, natives);
    if (cfg != NULL && cfg->redis_url != NULL)
        duk_push_string(ctx, cfg->redis_url);
    else
        duk_push_null(ctx);
    duk_put_prop_string(ctx, -2, "configuredUrl");
    duk_push_number(ctx, cfg != NULL ? (double)cfg->redis_timeout * 1000 : 5000);
    duk_put_prop_string(ctx, -2, "timeoutMs");
    duk_push_boolean(ctx, js->base == NULL);
    duk_put_prop_string(ctx, -2, "checking");
}

/* Closes every connection of JS without a callback (the heap goes next). */
void eider_js_redis_free(struct eider_js *js)
{
    while (!LIST_EMPTY(&js->redis_clients)) {
        struct redis_client *cl = LIST_FIRST(&js->redis_clients);

        LIST_REMOVE(cl, link);
        redis_conn_free(cl->conn);
        free(cl);
    }
}
