/*
 * eider test: the native behind require('eider/test').request(). It hands
 * the request to the runtime's test_request hook (cmd_test.c sends it
 * through the handlers, in a runtime of their own on the same loop) and
 * returns a Promise that the answer settles, with the answer as eider call
 * prints it (lib/eider/test.js parses it). Only a runtime created with a
 * test_request hook has it, under Symbol.for('eider.test.request').
 */
#include <string.h>

#include "js_internal.h"

#define MAX_TEST_HEADERS 64

/* native(method, path, ["Name: value", ...], body) -> Promise<Uint8Array>.
 * BODY is a string, a buffer or undefined (no body). */
static duk_ret_t test_request(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    const char *headers[MAX_TEST_HEADERS];
    const char *method = duk_require_string(ctx, 0), *target = duk_require_string(ctx, 1);
    const char *body = NULL;
    duk_size_t bodylen = 0, n;
    char err[512];
    int ref;

    n = duk_is_array(ctx, 2) ? duk_get_length(ctx, 2) : 0;
    if (n > MAX_TEST_HEADERS)
        return duk_error(ctx, DUK_ERR_RANGE_ERROR, "request(): at most %d headers", MAX_TEST_HEADERS);
    for (duk_size_t i = 0; i < n; i++) {
        duk_get_prop_index(ctx, 2, (duk_uarridx_t)i);
        headers[i] = duk_require_string(ctx, -1);   /* the array keeps it alive */
        duk_pop(ctx);
    }
    if (duk_is_string(ctx, 3))
        body = duk_get_lstring(ctx, 3, &bodylen);
    else if (duk_is_buffer_data(ctx, 3)) {
        body = duk_get_buffer_data(ctx, 3, &bodylen);
        if (body == NULL)
            body = "";
    }
    ref = eider_js_deferred(ctx);   /* pushes the Promise */
    if (js->test_request(js->test_arg, js, ref, method, target, headers, (int)n, body,
                         (size_t)bodylen, err, sizeof(err)) < 0) {
        duk_push_error_object(ctx, DUK_ERR_TYPE_ERROR, "request(): %s", err);
        eider_js_settle(ctx, ref, 1);
    }
    return 1;
}

void eider_js_test_request_init(duk_context *ctx)
{
    duk_eval_string(ctx, "(function (f) { Object.defineProperty(globalThis, "
                         "Symbol.for('eider.test.request'), { value: f }); })");
    duk_push_c_function(ctx, test_request, 4);
    duk_call(ctx, 1);
    duk_pop(ctx);
}

void eider_js_test_answered(void *rt, int ref, const char *answer, size_t len)
{
    struct eider_js *js = rt;
    duk_context *ctx = js->ctx;

    if (answer == NULL)
        duk_push_error_object(ctx, DUK_ERR_ERROR, "request(): the handlers gave no answer");
    else {
        void *p = duk_push_fixed_buffer(ctx, len);
        if (len > 0)
            memcpy(p, answer, len);
        duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_UINT8ARRAY);
        duk_remove(ctx, -2);
    }
    eider_js_settle(ctx, ref, answer == NULL);
}
