/*
 * The evhttp glue: one eider_exchange per request, from dispatch (routing,
 * 404/405) to the last byte of the answer and the access log line.
 */
#ifndef EIDER_HTTP_H
#define EIDER_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "router.h"
#include "runtime.h"

struct evhttp_request;
struct evbuffer;
struct eider_worker;

struct eider_exchange {
    struct evhttp_request *req;
    struct eider_worker *worker;
    enum eider_method method;
    struct eider_match match;
    const char *path;          /* raw, without the query; owned by evhttp */
    const char *query;         /* raw, NULL if none */
    char id[17];               /* request id, 16 hex digits */
    struct timespec start;
    int status;                /* res.statusCode until the head is sent */
    char reason[64];           /* from writeHead(status, reason); "" = standard */
    unsigned head_sent : 1;    /* writeHead or the first write happened */
    unsigned chunked : 1;
    unsigned done : 1;
    size_t body_bytes;         /* for the access log */
};

/* The evhttp callback for every request (arg: the worker). */
void eider_http_dispatch(struct evhttp_request *req, void *arg);

/* Answers with STATUS and BODY (may be NULL), Content-Length set. */
void eider_http_send(struct eider_exchange *ex, int status, const void *body, size_t len);
/* Starts a chunked answer with ex->status and the headers set so far. */
void eider_http_start_chunked(struct eider_exchange *ex);
void eider_http_write_chunk(struct eider_exchange *ex, const void *data, size_t len);
/* Ends a chunked answer, after a last chunk of LEN bytes (may be 0). */
void eider_http_end_chunked(struct eider_exchange *ex, const void *data, size_t len);
/* Answers STATUS with eider's JSON error body; no-op if already answered. */
void eider_http_error(struct eider_exchange *ex, int status);

/* Request accessors shared by the bindings. */
const char *eider_http_peer(struct eider_exchange *ex);
struct evbuffer *eider_http_body(struct eider_exchange *ex);

#endif
