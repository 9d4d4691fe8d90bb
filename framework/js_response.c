/*
 * The res object: Node's ServerResponse subset the SPEC lists. Headers go
 * straight into evhttp's output headers, so nothing is copied twice.
 * Setting headers checks names and values, so a handler cannot split a
 * response with CR/LF taken from user input.
 */
#include <ctype.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <strings.h>
#include <sys/queue.h>
#include <string.h>

#include "http.h"
#include "js_internal.h"
#include "log.h"

#define STASH_RES_PROTO "resProto"

/* The EventEmitter subset res needs for 'drain' (Node's res is a stream):
 * on/addListener, once, off/removeListener, emit, listenerCount. Plain
 * ES5, run once per heap on res's prototype; listeners live in a
 * non-enumerable _events of each res. */
static const char res_emitter_js[] =
    "(function (proto) {\n"
    "  function list(self, name, make) {\n"
    "    var all = self._events;\n"
    "    if (!all) {\n"
    "      if (!make) return null;\n"
    "      all = {};\n"
    "      Object.defineProperty(self, '_events', { value: all, configurable: true });\n"
    "    }\n"
    "    if (!all[name] && make) all[name] = [];\n"
    "    return all[name] || null;\n"
    "  }\n"
    "  function check(fn) {\n"
    "    if (typeof fn !== 'function')\n"
    "      throw new TypeError('The \"listener\" argument must be of type function');\n"
    "  }\n"
    "  function def(name, fn) {\n"
    "    Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });\n"
    "  }\n"
    "  function on(name, fn) { check(fn); list(this, name, true).push(fn); return this; }\n"
    "  function off(name, fn) {\n"
    "    var l = list(this, name, false);\n"
    "    for (var i = l ? l.length - 1 : -1; i >= 0; i--)\n"
    "      if (l[i] === fn || l[i].listener === fn) { l.splice(i, 1); break; }\n"
    "    return this;\n"
    "  }\n"
    "  def('on', on);\n"
    "  def('addListener', on);\n"
    "  def('off', off);\n"
    "  def('removeListener', off);\n"
    "  def('once', function (name, fn) {\n"
    "    var self = this;\n"
    "    check(fn);\n"
    "    function once() { off.call(self, name, once); return fn.apply(self, arguments); }\n"
    "    once.listener = fn;\n"
    "    return on.call(this, name, once);\n"
    "  });\n"
    "  def('emit', function (name) {\n"
    "    var l = list(this, name, false), args = Array.prototype.slice.call(arguments, 1);\n"
    "    if (!l || !l.length) return false;\n"
    "    l = l.slice();\n"
    "    for (var i = 0; i < l.length; i++) l[i].apply(this, args);\n"
    "    return true;\n"
    "  });\n"
    "  def('listenerCount', function (name) {\n"
    "    var l = list(this, name, false);\n"
    "    return l ? l.length : 0;\n"
    "  });\n"
    "})";

/* The exchange behind `this`, or NULL (logged at debug) after the end. */
static struct eider_exchange *live_exchange(duk_context *ctx)
{
    struct eider_exchange *ex = eider_js_this_exchange(ctx);

    if (ex == NULL && eider_log_enabled(EIDER_LOG_DEBUG))
        eider_log(EIDER_LOG_DEBUG, "a res call after the answer (or after the client left) "
                  "was ignored");
    return ex;
}

/* 1 if S is a non-empty HTTP token (RFC 9110 tchar), the only
 * header names put on the wire. */
static int valid_header_name(const char *s)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~";
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')
              || strchr(tchar, *s)))
            return 0;
    return 1;
}

/* 1 if the LEN bytes at S hold no CR, LF or NUL: a value that cannot
 * split the head into more headers. */
static int valid_header_value(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
            return 0;
    return 1;
}

/* Adds header NAME with the value at idx (string, number, or array of
 * them for a repeated header). Throws TypeError on invalid input. */
static void add_header(duk_context *ctx, struct evkeyvalq *out, const char *name, duk_idx_t idx)
{
    duk_size_t len;
    const char *v;

    if (duk_is_array(ctx, idx)) {
        duk_size_t n = duk_get_length(ctx, idx);
        for (duk_size_t i = 0; i < n; i++) {
            duk_get_prop_index(ctx, idx, (duk_uarridx_t)i);
            add_header(ctx, out, name, duk_get_top_index(ctx));
            duk_pop(ctx);
        }
        return;
    }
    if (!duk_is_string(ctx, idx) && !duk_is_number(ctx, idx))
        (void)duk_type_error(ctx, "header %s: value must be a string, a number or an array", name);
    duk_dup(ctx, idx);
    v = duk_to_lstring(ctx, -1, &len);
    if (!valid_header_value(v, len))
        (void)duk_type_error(ctx, "header %s: value contains CR, LF or NUL", name);
    evhttp_add_header(out, name, v);
    duk_pop(ctx);
}

#define RES_SET_VALUES DUK_HIDDEN_SYMBOL("setValues")
#define JSON_TYPE "application/json; charset=utf-8"   /* res.json()'s Content-Type */

/* Pushes res's table of header values set as numbers or arrays, by
 * lower-case name, and returns 1; made now if res has none and MAKE is
 * set, else pushes undefined and returns 0. Most answers set strings
 * only and never make one. */
static int push_set_values(duk_context *ctx, int make)
{
    duk_push_this(ctx);
    if (!duk_get_prop_string(ctx, -1, RES_SET_VALUES) && make) {
        duk_pop(ctx);
        duk_push_bare_object(ctx);
        duk_dup_top(ctx);
        duk_put_prop_string(ctx, -3, RES_SET_VALUES);
    }
    duk_remove(ctx, -2);
    return duk_is_object(ctx, -1);
}

/* Pushes NAME in lower case. */
static void push_lower(duk_context *ctx, const char *name)
{
    char low[256];
    size_t i;

    for (i = 0; name[i] != '\0' && i < sizeof(low); i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    if (name[i] != '\0')
        duk_push_string(ctx, name);    /* too long to be a header anyone gets */
    else
        duk_push_lstring(ctx, low, i);
}

/* Keeps the value at idx, set for NAME, for res.getHeader() when it is a
 * number or an array: Node gives back what was set, and only the wire
 * holds text. A string (what evhttp keeps already) or none (idx is
 * DUK_INVALID_INDEX: the header was removed) drops the entry. */
static void keep_set_value(duk_context *ctx, const char *name, duk_idx_t idx)
{
    int keep = idx != DUK_INVALID_INDEX && !duk_is_string(ctx, idx);

    if (keep)
        idx = duk_normalize_index(ctx, idx);
    if (push_set_values(ctx, keep)) {
        push_lower(ctx, name);
        if (keep) {
            duk_dup(ctx, idx);
            duk_put_prop(ctx, -3);
        } else {
            duk_del_prop(ctx, -2);
        }
    }
    duk_pop(ctx);
}

/* Replaces header NAME of ex's answer with the value(s) at idx. Throws
 * a TypeError for an invalid name or value, an Error once the head is sent. */
static void set_header(duk_context *ctx, struct eider_exchange *ex, const char *name, duk_idx_t idx)
{
    struct evkeyvalq *out = eider_http_headers(ex);

    if (!valid_header_name(name))
        (void)duk_type_error(ctx, "invalid header name \"%s\"", name);
    if (ex->head_sent)
        (void)duk_error(ctx, DUK_ERR_ERROR, "cannot set header %s: the response head was already sent", name);
    evhttp_remove_header(out, name);
    add_header(ctx, out, name, idx);
    keep_set_value(ctx, name, idx);
}

/* res.setHeader(name, value): as set_header; returns res, for chaining.
 * Ignored (debug log) once the exchange is over. */
static duk_ret_t res_set_header(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);
    const char *name = duk_require_string(ctx, 0);

    if (ex != NULL)
        set_header(ctx, ex, name, 1);
    duk_push_this(ctx);
    return 1;
}

/* res.getHeader(name), case-insensitive: the value as set (a number or
 * an array as such), an array when evhttp holds several, or undefined
 * (also once the exchange is over). */
static duk_ret_t res_get_header(duk_context *ctx)
{
    struct eider_exchange *ex = eider_js_this_exchange(ctx);
    const char *name = duk_require_string(ctx, 0);
    struct evkeyval *kv;
    int n = 0;

    if (ex == NULL)
        return 0;
    if (push_set_values(ctx, 0)) {
        push_lower(ctx, name);
        if (duk_get_prop(ctx, -2))
            return 1;
        duk_pop(ctx);
    }
    duk_pop(ctx);
    /* One value as a string, several as an array. */
    duk_push_array(ctx);
    TAILQ_FOREACH(kv, eider_http_headers(ex), next) {
        if (strcasecmp(kv->key, name) == 0) {
            duk_push_string(ctx, kv->value);
            duk_put_prop_index(ctx, -2, (duk_uarridx_t)n++);
        }
    }
    if (n == 0)
        return 0;
    if (n == 1)
        duk_get_prop_index(ctx, -1, 0);
    return 1;
}

/* res.removeHeader(name): drops every value of NAME; nothing once the
 * head is sent or the exchange is over. */
static duk_ret_t res_remove_header(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);
    const char *name = duk_require_string(ctx, 0);

    if (ex != NULL && !ex->head_sent) {
        evhttp_remove_header(eider_http_headers(ex), name);
        keep_set_value(ctx, name, DUK_INVALID_INDEX);
    }
    return 0;
}

/* Sets ex's status from the value at idx. Throws a RangeError unless it
 * is an integer from 200 to 999. */
static void set_status(duk_context *ctx, struct eider_exchange *ex, duk_idx_t idx)
{
    duk_double_t d = duk_to_number(ctx, idx);
    /* 1xx is not a final answer: the client would wait for the real one. */
    if (!(d >= 200 && d <= 999) || d != (duk_double_t)(int)d)
        (void)duk_range_error(ctx, "invalid status code %s (200 to 999)", duk_safe_to_string(ctx, idx));
    ex->status = (int)d;
}

/* writeHead(status[, reason][, headers]) as in Node; the head itself
 * leaves with the first write() or end(), so Content-Length can be set. */
static duk_ret_t res_write_head(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);
    duk_idx_t headers = duk_is_string(ctx, 1) ? 2 : 1;

    if (ex == NULL)
        return 0;
    set_status(ctx, ex, 0);
    if (headers == 2) {
        duk_size_t len;
        const char *reason = duk_get_lstring(ctx, 1, &len);
        if (!valid_header_value(reason, len) || len >= sizeof(ex->reason))
            return duk_type_error(ctx, "invalid reason phrase");
        memcpy(ex->reason, reason, len + 1);
    }
    if (duk_is_object(ctx, headers)) {
        duk_enum(ctx, headers, DUK_ENUM_OWN_PROPERTIES_ONLY);
        while (duk_next(ctx, -1, 1)) {
            set_header(ctx, ex, duk_get_string(ctx, -2), duk_get_top_index(ctx));
            duk_pop_2(ctx);
        }
        duk_pop(ctx);
    }
    duk_push_this(ctx);
    return 1;
}

/* res.write(data): a string or bytes as the next chunk (the head leaves
 * with the first); returns true. TypeError for any other data. */
static duk_ret_t res_write(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);
    const char *data;
    size_t len;

    if (ex == NULL)
        return 0;
    data = eider_js_bytes(ctx, 0, &len);
    if (data == NULL)
        return duk_type_error(ctx, "res.write() takes a string or a Buffer");
    /* false: the client has not taken what was written yet; 'drain'
     * follows once it has (Node's back-pressure contract). */
    duk_push_boolean(ctx, eider_http_write_chunk(ex, data, len));
    return 1;
}

/* Ends the exchange with the LEN bytes at DATA (NULL: no more body). */
static void end_bytes(struct eider_exchange *ex, const char *data, size_t len)
{
    if (ex->chunked)
        eider_http_end_chunked(ex, data, len);
    else
        eider_http_send(ex, ex->status, data, len);
}

/* Ends the exchange with the body at idx (or none if undefined). */
static void end_with(duk_context *ctx, struct eider_exchange *ex, duk_idx_t idx)
{
    const char *data = NULL;
    size_t len = 0;

    if (!duk_is_undefined(ctx, idx) && !duk_is_null(ctx, idx)
        && (data = eider_js_bytes(ctx, idx, &len)) == NULL)
        (void)duk_type_error(ctx, "res.end() takes a string or a Buffer");
    end_bytes(ex, data, len);
}

/* res.end([data]): the last of the body, or all of it; returns res.
 * Ignored once the exchange is over. */
static duk_ret_t res_end(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);

    if (ex != NULL)
        end_with(ctx, ex, 0);
    duk_push_this(ctx);
    return 1;
}

/* res.json(value[, status]): the value as JSON, with an
 * application/json Content-Type unless one is set; ends the exchange. */
static duk_ret_t res_json(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);
    struct evkeyvalq *out;
    const char *text;
    size_t len;

    if (ex == NULL)
        return 0;
    if (!duk_is_undefined(ctx, 1))
        set_status(ctx, ex, 1);
    /* Plain data cannot throw: its Content-Type goes straight to the
     * head, unless the handler set one, without a turn in evhttp's list. */
    if ((text = eider_js_json_plain(ctx, 0, &len)) != NULL && !ex->chunked) {
        eider_http_send_typed(ex, ex->status, JSON_TYPE, text, len);
        return 0;
    }
    /* JSON.stringify may throw (a cycle, a toJSON): the type is set first,
     * as a handler that catches it and answers otherwise would see it. */
    out = eider_http_headers(ex);
    if (evhttp_find_header(out, "Content-Type") == NULL)
        evhttp_add_header(out, "Content-Type", JSON_TYPE);
    if (text != NULL) {
        end_bytes(ex, text, len);
        return 0;
    }
    duk_dup(ctx, 0);
    duk_json_encode(ctx, -1);
    end_with(ctx, ex, -1);
    return 0;
}

/* res.redirect(location[, status]): a bodiless answer (302 by default)
 * with that Location; ends the exchange. */
static duk_ret_t res_redirect(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);

    if (ex == NULL)
        return 0;
    if (duk_is_undefined(ctx, 1))
        ex->status = 302;
    else
        set_status(ctx, ex, 1);
    set_header(ctx, ex, "Location", 0);
    eider_http_send(ex, ex->status, NULL, 0);
    return 0;
}

/* Getter of res.statusCode: the status to send (undefined once over). */
static duk_ret_t res_get_status(duk_context *ctx)
{
    struct eider_exchange *ex = eider_js_this_exchange(ctx);

    if (ex == NULL)
        return 0;
    duk_push_int(ctx, ex->status);
    return 1;
}

/* Setter of res.statusCode: as set_status, ignored once the head is sent. */
static duk_ret_t res_set_status(duk_context *ctx)
{
    struct eider_exchange *ex = live_exchange(ctx);

    if (ex != NULL && !ex->head_sent)
        set_status(ctx, ex, 0);
    return 0;
}

/* Getter of res.headersSent: true once the head left (or the exchange
 * is over). */
static duk_ret_t res_headers_sent(duk_context *ctx)
{
    struct eider_exchange *ex = eider_js_this_exchange(ctx);

    duk_push_boolean(ctx, ex == NULL || ex->head_sent);
    return 1;
}

static const duk_function_list_entry res_methods[] = {
    { "setHeader", res_set_header, 2 },
    { "getHeader", res_get_header, 1 },
    { "removeHeader", res_remove_header, 1 },
    { "writeHead", res_write_head, 3 },
    { "write", res_write, 1 },
    { "end", res_end, 1 },
    { "json", res_json, 2 },
    { "redirect", res_redirect, 2 },
    { NULL, NULL, 0 }
};

/* Makes the prototype of every res (its methods, statusCode and
 * headersSent), kept in the stash and in the runtime's res_proto. */
void eider_js_response_init(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, res_methods);
    duk_push_string(ctx, "statusCode");
    duk_push_c_function(ctx, res_get_status, 0);
    duk_push_c_function(ctx, res_set_status, 1);
    duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER
                 | DUK_DEFPROP_SET_ENUMERABLE);
    duk_push_string(ctx, "headersSent");
    duk_push_c_function(ctx, res_headers_sent, 0);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_SET_ENUMERABLE);
    duk_eval_string(ctx, res_emitter_js);
    duk_dup(ctx, -2);
    duk_call(ctx, 1);
    duk_pop(ctx);
    eider_js_of(ctx)->res_proto = duk_get_heapptr(ctx, -1);
    duk_put_prop_string(ctx, -2, STASH_RES_PROTO);
    duk_pop(ctx);
}

/* Pushes a new res object (js_internal.h). */
void eider_js_push_response(duk_context *ctx)
{
    eider_js_push_with_proto(ctx, eider_js_of(ctx)->res_proto);
}
