/*
 * Layering: the HTTP glue, above the connection layer (gate.h, conns.h)
 * and http_answer.c's formatting, below the worker (worker.h) and the
 * status endpoint (status.h), which it reaches only through the
 * status_answer pointer the worker sets.
 *
 * The evhttp glue: one eider_exchange per request, from dispatch (routing,
 * 404/405) to the last byte of the answer and the access log line.
 *
 * An exchange may outlive its dispatch: a handler can answer from a timer
 * or an I/O callback. It is freed once it is answered and no handler code
 * is running for it; the runtime is told (release) so that JS objects
 * still pointing at it let go.
 */
#ifndef EIDER_HTTP_H
#define EIDER_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "router.h"
#include "runtime.h"

struct evhttp_request;
struct evbuffer;
struct event;
struct event_base;
struct eider_capture;
struct eider_config;
struct eider_conns;
struct eider_exchange;
struct eider_listener;
struct eider_router;
struct eider_slot;
struct bufferevent;

/* The HTTP glue's state in one worker (or one eider call, eider test):
 * what it routes to, the runtime it hands requests to, the exchanges it
 * holds. The worker embeds it and fills it in; nothing in it points up. */
struct eider_http {
    struct event_base *base;
    const struct eider_config *cfg;
    const struct eider_router *router;
    const struct eider_runtime_ops *rt_ops;
    void *rt;
    struct eider_conns *conns;      /* request ids; the send buffer's level */
    struct eider_slot *slot;        /* this worker's scoreboard slot, or NULL */
    const struct eider_slot *board; /* everyone's, for the status endpoint */
    /* status_path's answer (status.c, set by the worker); NULL: none. */
    void (*status_answer)(struct eider_exchange *ex);
    int inflight;                   /* requests not yet answered */
    int draining;                   /* stopping: every answer closes */
    LIST_HEAD(, eider_exchange) waiting;   /* left unanswered by their handler */
    TAILQ_HEAD(, eider_exchange) parked;   /* held for the send buffer, oldest first */
    /* eider call: requests come with no connection and their answers go
     * here (http_capture.c); NULL in a serving worker. */
    struct eider_capture *capture;
};

struct eider_exchange {
    struct evhttp_request *req;    /* NULL once answered (evhttp owns it) */
    struct eider_http *glue;
    struct eider_listener *listener;
    /* Its connection's gate, found again by these (never dereferenced:
     * the connection may be gone by the time the answer is written). */
    const struct bufferevent *gate_bev;
    uint64_t gate_serial;
    enum eider_method method;
    struct eider_match match;
    const char *path;          /* raw, without the query; owned by evhttp */
    const char *query;         /* raw, NULL if none */
    char id[17];               /* request id, 16 hex digits */
    char peer[48];             /* client address (after trusted_proxies) */
    int https;                 /* X-Forwarded-Proto: https from a trusted proxy */
    struct timespec start;
    int status;                /* res.statusCode until the head is sent */
    char reason[64];           /* from writeHead(status, reason); "" = standard */
    unsigned head_sent : 1;    /* writeHead or the first write happened */
    unsigned chunked : 1;
    unsigned done : 1;
    unsigned in_handler : 1;   /* handler code is on the stack for it */
    unsigned waiting : 1;      /* on the worker's waiting list */
    unsigned parked : 1;       /* held until worker_max_send_buffer frees up */
    /* X-Request-Id and Date are not in evhttp's output list yet: the head
     * writes them first, unless eider_http_headers() put them there. */
    unsigned own_headers : 1;
    LIST_ENTRY(eider_exchange) wait_link;   /* in the worker's waiting list */
    TAILQ_ENTRY(eider_exchange) park_link;  /* in the worker's parked list */
    size_t body_bytes;         /* for the access log */
    struct event *timeout;     /* request_timeout, armed once it waits */
    int rt_ref;                /* the runtime's handle while it waits */
};

/* The evhttp callback for every request (arg: the eider_listener). */
void eider_http_dispatch(struct evhttp_request *req, void *arg);

/* Answers with STATUS and BODY (may be NULL), Content-Length set. */
void eider_http_send(struct eider_exchange *ex, int status, const void *body, size_t len);
/* The same with Content-Type TYPE unless the answer's headers have one. */
void eider_http_send_typed(struct eider_exchange *ex, int status, const char *type,
                           const void *body, size_t len);
/* The answer's header list (evhttp's output headers of EX's request),
 * with X-Request-Id and Date put in first if they are still only the
 * head's to write: for code that reads or changes the list (res's header
 * methods); code that only adds other headers may use evhttp's list. */
struct evkeyvalq *eider_http_headers(struct eider_exchange *ex);
/* Starts a chunked answer with ex->status and the headers set so far. */
void eider_http_start_chunked(struct eider_exchange *ex);
/* Writes a chunk of the answer (starting it if need be). Returns 1, or 0
 * when the client lags: its connection holds more than
 * EIDER_WRITE_HIGH_WATER bytes unsent, or the worker is at
 * worker_max_send_buffer; the runtime's drain then runs once the
 * connection has written everything. */
int eider_http_write_chunk(struct eider_exchange *ex, const void *data, size_t len);
#define EIDER_WRITE_HIGH_WATER (16 * 1024)   /* Node's highWaterMark */
/* The gate has written everything EX wrote after a write returned 0. */
void eider_http_drained(struct eider_exchange *ex);
/* Ends a chunked answer, after a last chunk of LEN bytes (may be 0). */
void eider_http_end_chunked(struct eider_exchange *ex, const void *data, size_t len);
/* Answers STATUS with eider's JSON error body through eider_http_send, or
 * ends a chunked answer already started (too late for a status); no-op if
 * already answered. */
void eider_http_error(struct eider_exchange *ex, int status);
/* The same with BODY (LEN bytes of JSON, copied) instead of the standard
 * one: watch mode's error answers, which add the message and stack. */
void eider_http_error_json(struct eider_exchange *ex, int status, const char *body, size_t len);

/* Called by the runtime when a handler call for ex returns: frees an
 * answered exchange, or arms request_timeout (504) for one left waiting
 * and puts it on the worker's waiting list until it is freed. */
void eider_http_handler_returned(struct eider_exchange *ex);

/* At worker exit, after its loop: answers every exchange its handler left
 * waiting with 503 and Connection: close, which frees it, and frees
 * evhttp's request too (evhttp keeps one whose client left until it is
 * answered). The loop does not run again, so the client may not see it. */
void eider_http_close_waiting(struct eider_http *h);

/* Runs the handlers of the requests held while the worker's unread
 * answers were at worker_max_send_buffer, oldest first, as long as they
 * stay below it. From the worker's loop, never under a socket callback. */
void eider_http_unpark(struct eider_http *h);

/* 1 if H holds worker_max_send_buffer bytes of answers or more for
 * clients that have not read them yet: a new request waits (the parked
 * list) rather than be answered into memory. */
int eider_http_send_buffer_full(const struct eider_http *h);


/* eider call (http_capture.c): the answer to a request that came with no
 * connection, as curl -i prints it, kept until the command prints it. */
struct eider_capture {
    struct event_base *base;   /* stopped once the answer is complete */
    struct evbuffer *out;      /* status line, headers, blank line, body */
    int status;                /* 0 until the head is written */
    int no_body;               /* HEAD, 1xx, 204 or 304: chunks are dropped */
    int done;
    /* Called when the answer is complete instead of stopping the loop
     * (eider test, whose loop goes on); NULL: stop it. */
    void (*on_end)(struct eider_capture *c);
    void *arg;
};
/* Writes the head of REQ's answer: STATUS, REASON, its output headers, and
 * Transfer-Encoding: chunked if CHUNKED, else Content-Length: LENGTH where
 * a length belongs (not 1xx, 204 or 304). */
void eider_capture_head(struct eider_capture *c, struct evhttp_request *req, int status,
                        const char *reason, int chunked, size_t length);
/* Appends LEN bytes of body (de-chunked, as curl prints it). */
void eider_capture_body(struct eider_capture *c, const void *data, size_t len);
/* The answer is complete: frees REQ (no connection owns it) and stops the
 * loop, or calls on_end if set. */
void eider_capture_end(struct eider_capture *c, struct evhttp_request *req);

/* Request accessors shared by the bindings. */
const char *eider_http_peer(struct eider_exchange *ex);
struct evbuffer *eider_http_body(struct eider_exchange *ex);

#endif
