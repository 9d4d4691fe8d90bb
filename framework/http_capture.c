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

#include "http_answer.h"

void eider_capture_head(struct eider_capture *c, struct evhttp_request *req, int status,
                        const char *reason, int chunked, size_t length)
{
    struct evkeyval te = { .key = "Transfer-Encoding", .value = "chunked" };
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    struct eider_answer_head head;
    int failed;

    if (c->status != 0)
        return;
    c->status = status;
    /* evhttp makes a streamed answer that has no body (HEAD, 1xx, 204,
     * 304) a plain head without Transfer-Encoding, and drops its chunks;
     * the capture answers as a connection does. */
    c->no_body = req->type == EVHTTP_REQ_HEAD || !eider_answer_body_allowed(status);
    /* As on a connection: http_answer.c's writer (evhttp writes a chunked
     * head there, with the same lines). */
    if (chunked) {
        if (!c->no_body)
            TAILQ_INSERT_TAIL(out, &te, next);
        failed = eider_answer_format(&head, req->minor, status, reason, NULL, out,
                                     EIDER_ANSWER_NO_LENGTH);
        if (!c->no_body)
            TAILQ_REMOVE(out, &te, next);
    } else {
        failed = eider_answer_head(&head, req, status, reason, NULL, length);
    }
    if (failed)
        evbuffer_add_printf(c->out, "HTTP/1.1 500 Internal Server Error\r\n\r\n");
    else
        evbuffer_add(c->out, head.data, head.len);
    eider_answer_head_free(&head);
}

void eider_capture_body(struct eider_capture *c, const void *data, size_t len)
{
    if (data != NULL && len > 0 && !c->no_body)
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
