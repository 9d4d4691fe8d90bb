/*
 * The gate: every connection's bytes pass through it before evhttp sees
 * them. It is a filter bufferevent between the socket (or TLS) and evhttp
 * that reads the PROXY protocol header on listeners that expect one, runs
 * the strict request validator (http_strict.c), passes evhttp only the
 * normalized stream, and answers what it refuses itself: 400, 408, 413,
 * 414, 431, 501, 505 with eider's JSON error body, then closes.
 *
 * It also owns the per-connection limits evhttp 2.1 lacks: header and body
 * read timeouts, requests per keep-alive connection, and connections per
 * worker (accepting pauses at worker_connections).
 *
 * Layering: the connection layer (with conns.h, gate_read.c for a plain
 * socket's reads, gate_peer.c for the client's address, gate_send.c for
 * what waits in the socket's output). Below it:
 * http_strict.c, proxy_protocol.c, tls.c, http_answer.c's formatting and
 * the scoreboard; above it the HTTP glue (http.c), which finds a request's
 * gate and answers through it, and the worker, which hears of connections
 * through conns.h's hooks. It includes neither.
 */
#ifndef EIDER_GATE_H
#define EIDER_GATE_H

#include <stdint.h>

#include "http_strict.h"

struct bufferevent;
struct event;
struct event_base;
struct evbuffer;
struct evhttp_connection;
struct evhttp_request;
struct gather;
struct eider_listener;

struct eider_gate {
    struct eider_listener *listener;
    struct bufferevent *bev;        /* the filter evhttp reads from */
    struct bufferevent *under;      /* the socket's (or TLS) bufferevent */
    struct evhttp_connection *evcon; /* known from its first request */
    struct event *timer;            /* PROXY header, request head, body; NULL unarmed */
    struct event *later;            /* runs on_later outside a socket write; NULL idle */
    struct event *send_timer;       /* send_timeout; made once output waits */
    struct event *reader;           /* plain sockets: the gate's own read (gate_read.c) */
    struct evhttp_request *end_req; /* its answer ends once written */
    void (*drain_fn)(void *);       /* called once all is written ... */
    void *drain_arg;                /* ... with this (an exchange of http.c's) */
    struct evbuffer *dst;           /* evhttp's side, during a filter call */
    struct gather *gather;          /* ... and what is gathered for it */
    struct eider_strict strict;
    uint64_t serial;                /* tells a reused address from this gate */
    unsigned passed;                /* requests handed to evhttp whole */
    unsigned answered;              /* ... and answered */
    unsigned dispatched;            /* ... and given to a handler */
    int pending;                    /* error status to send once evhttp is idle */
    int phase;                      /* enum in gate.c */
    unsigned has_peer : 1;          /* peer came from a PROXY header */
    unsigned stop : 1;              /* pass nothing more to evhttp */
    unsigned closing : 1;           /* close once the output is written */
    unsigned owe_written : 1;       /* evhttp's output is not all written yet */
    unsigned timer_armed : 1;
    unsigned head_timed : 1;        /* the current head's timer is armed */
    unsigned peer_known : 1;        /* peer holds the socket peer */
    unsigned closed : 1;            /* evhttp has freed the connection */
    unsigned move_pending : 1;      /* evhttp wrote; on_later moves it down */
    unsigned idle : 1;              /* on the worker's idle list (conns.h) */
    unsigned send_timed : 1;        /* send_timer is armed */
    unsigned write_due : 1;         /* evhttp's write callback, once all is out */
    unsigned read_paused : 1;       /* reader off the socket until evhttp reads */
    unsigned send_watched : 1;      /* gate_send.c watches the socket's output */
    struct eider_gate *idle_prev, *idle_next;
    char peer[48];
};

/* evhttp's bufferevent callback (arg: the eider_listener): wraps a new
 * connection's socket or TLS bufferevent in a gate. NULL on failure. */
struct bufferevent *eider_gate_bevcb(struct event_base *base, void *arg);

/* The gate of EVCON's connection, or NULL; remembers EVCON in it. */
struct eider_gate *eider_gate_of(struct eider_listener *l, struct evhttp_connection *evcon);

/* The gate of the filter BEV if it is still the one with SERIAL, else
 * NULL (it closed). BEV is only compared, never dereferenced. */
struct eider_gate *eider_gate_find(struct eider_listener *l, const struct bufferevent *bev,
                                   uint64_t serial);

/* 1 if evhttp's output on G looks written (its buffer is empty) but is
 * not yet all out of the socket: an unchunked answer must not end now. */
int eider_gate_output_is_early(struct eider_gate *g);

/* Sends REQ's whole answer, HEAD (formatted by eider) and BODY, in one
 * write when the socket takes it, without evhttp's formatting; then ends
 * REQ with evhttp_send_reply_end once it is all written, so that evhttp
 * reads the next request or closes. The bytes are copied if they must
 * wait. */
void eider_gate_answer(struct eider_gate *g, struct evhttp_request *req, const void *head,
                       size_t head_len, const void *body, size_t body_len);

/* evhttp_send_reply_end(REQ) once the socket has taken what evhttp wrote
 * for it (see on_later in gate.c). */
void eider_gate_end_when_written(struct eider_gate *g, struct evhttp_request *req);

/* The bytes written on G that the client has not taken yet. */
size_t eider_gate_unsent(struct eider_gate *g);

/* Calls FN(ARG) once G has written everything, from the loop (never
 * under a socket callback). One at a time: a new one replaces the last. */
void eider_gate_drain_to(struct eider_gate *g, void (*fn)(void *), void *arg);
/* Forgets the call drain_to set up for ARG, if it is still to come. */
void eider_gate_drain_cancel(struct eider_gate *g, const void *arg);

/* A request of G's goes to a handler (it was counted at evhttp's
 * dispatch): from the first on, the wait for the next one is
 * keepalive_timeout. Returns 1 if it is the last keepalive_requests
 * allows, whose answer must say Connection: close. */
int eider_gate_dispatched(struct eider_gate *g);

/* A request of G's has been answered: an error waiting for evhttp to be
 * idle may go out now. */
void eider_gate_answered(struct eider_gate *g);

/* Closes G, an idle keep-alive connection (on the worker's idle list), to
 * make room for a new one at worker_connections. */
void eider_gate_reclaim(struct eider_gate *g);

/* A draining worker's connection: closed in SECONDS if it stays idle.
 * (Not at once: a request may be on its way, and is better answered with
 * Connection: close than lost.) */
void eider_gate_shorten(struct eider_gate *g, int seconds);

/* For the connection layer's own files (gate_send.c): everything written
 * on G is out of the socket, so what waited for that goes on (may run
 * inside the socket's write; what may free the connection is deferred);
 * and G closes now, as if the client had closed it (deferred too). */
void eider_gate_written(struct eider_gate *g);
void eider_gate_drop(struct eider_gate *g);

/* Copies the client address of G into out: the PROXY header's source if
 * there was one, else the socket peer ("unix:" for a unix socket). */
void eider_gate_peer(struct eider_gate *g, char *out, size_t len);

#endif
