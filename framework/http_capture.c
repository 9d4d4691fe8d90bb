/*
 * eider call: the answer to a request that came with no connection,
 * written out as curl -i shows one (head with CRLFs, then the body,
 * de-chunked), for the command to print. http.c's send functions come
 * here instead of evhttp when the worker has a capture.
 */
#include "http.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <sys/queue.h>

void eider_capture_head(struct eider_capture *c, struct evhttp_request *req, int status,
                        const char *reason, int chunked, size_t length)
{
    struct evkeyval *kv;

    if (c->status != 0)
        return;
    c->status = status;
    evbuffer_add_printf(c->out, "HTTP/1.%d %d %s\r\n", req->minor == 0 ? 0 : 1, status, reason);
    TAILQ_FOREACH(kv, evhttp_request_get_output_headers(req), next)
        if (evutil_ascii_strcasecmp(kv->key, "Content-Length") != 0)
            evbuffer_add_printf(c->out, "%s: %s\r\n", kv->key, kv->value);
    /* As http_answer.c writes them on a connection. */
    if (chunked)
        evbuffer_add_printf(c->out, "Transfer-Encoding: chunked\r\n");
    else if (status >= 200 && status != 204 && status != 304)
        evbuffer_add_printf(c->out, "Content-Length: %zu\r\n", length);
    evbuffer_add(c->out, "\r\n", 2);
}

void eider_capture_body(struct eider_capture *c, const void *data, size_t len)
{
    if (data != NULL && len > 0)
        evbuffer_add(c->out, data, len);
}

void eider_capture_end(struct eider_capture *c, struct evhttp_request *req)
{
    c->done = 1;
    evhttp_request_free(req);
    if (c->on_end != NULL)
        c->on_end(c);
    else
        event_base_loopbreak(c->base);
}
