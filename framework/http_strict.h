/*
 * Strict HTTP/1.x request validation (RFC 9110 / 9112) in front of evhttp.
 *
 * Every byte a client sends goes through a validator before evhttp reads
 * it. The validator frames each request itself and passes on a canonical
 * byte stream (single-space request line, "Name: value" fields without
 * surrounding whitespace, chunked bodies without extensions or trailers),
 * so evhttp's lenient parser can never frame a message differently from
 * how it was checked. Anything ambiguous ends the stream with a status.
 */
#ifndef EIDER_HTTP_STRICT_H
#define EIDER_HTTP_STRICT_H

#include <stddef.h>
#include <stdint.h>

struct eider_strict_hooks {
    void (*emit)(void *arg, const void *data, size_t len); /* normalized bytes for evhttp, in order */
    void (*begin)(void *arg);   /* first byte of a new request arrived (not for skipped empty lines) */
    void (*head)(void *arg);    /* a request head is complete, valid, and fully emitted */
    void (*done)(void *arg);    /* the request's body (if any) is complete and emitted */
    void *arg;
};

struct eider_strict_limits {
    size_t max_header;   /* request line + header fields + final CRLF, bytes (client_max_header_size) */
    uint64_t max_body;   /* client_max_body_size (0: no body); UINT64_MAX: no limit */
};

/* One per connection. Between requests it owns no heap memory; a line
 * buffer is malloc'd only when a head or trailer line arrives split across
 * feeds, and freed when that head or trailer section ends. Treat the
 * members as private. */
struct eider_strict {
    struct eider_strict_hooks hooks;
    size_t max_header;
    uint64_t max_body;
    unsigned char *line;        /* the partial line, or NULL */
    size_t line_len, line_cap;
    size_t count;               /* bytes of the current head / trailer section / chunk line */
    uint64_t left;              /* head: Content-Length; body: bytes left in it or in the chunk */
    uint64_t total;             /* chunked: body bytes so far */
    const char *why;
    uint16_t status;            /* 0, or the error the stream died with */
    uint8_t state;
    uint8_t version;            /* 10 or 11 */
    uint8_t flags;
    uint8_t empties;            /* empty lines skipped before this request line */
    uint8_t digits;             /* chunk-size digits so far */
};

enum eider_strict_phase { EIDER_STRICT_IDLE, EIDER_STRICT_HEAD, EIDER_STRICT_BODY };

/* Makes S ready for a connection's first request. Copies LIM and H (H->emit
 * must not be NULL; the other hooks may be). Allocates nothing. */
void eider_strict_init(struct eider_strict *s, const struct eider_strict_limits *lim,
                       const struct eider_strict_hooks *h);

/* Frees the line buffer S may hold. S may be re-inited afterwards. */
void eider_strict_free(struct eider_strict *s);

/* Feeds LEN bytes of the request stream. Returns 0 if all were consumed
 * (hooks called as things complete, in stream order, pipelined requests
 * included), or the HTTP status of the first error: 400, 413, 414, 417, 431,
 * 501 or 505 (500 only if malloc failed); then eider_strict_why(S) names the
 * problem and the stream is dead (further feeds return the same status).
 * The final CRLF of an invalid head is never emitted, so evhttp never sees
 * an invalid head complete. Hooks must not call back into feed. */
int eider_strict_feed(struct eider_strict *s, const void *data, size_t len);

/* The reason for the error status (a static string), or NULL if none. */
const char *eider_strict_why(const struct eider_strict *s);

/* Between requests (IDLE, also while skipping empty lines), reading a
 * request line or header fields (HEAD), or reading a body with its chunk
 * framing and trailers (BODY). After an error: where it happened (an error
 * before a request line counts as HEAD: begin was called for it). */
enum eider_strict_phase eider_strict_phase(const struct eider_strict *s);

/* HTTP version of the request being read or last read: 10 or 11 (11 until
 * a request line says otherwise), for the gate's error response. */
int eider_strict_version(const struct eider_strict *s);

#endif
