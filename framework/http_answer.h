#ifndef EIDER_HTTP_ANSWER_H
#define EIDER_HTTP_ANSWER_H

#include <stddef.h>

struct evhttp_request;
struct evkeyvalq;

/* eider_answer_format's CONTENT_LENGTH when the head carries none (1xx,
 * 204, 304; a chunked answer), and when the one in HEADERS is the truth. */
#define EIDER_ANSWER_NO_LENGTH ((size_t)-1)
#define EIDER_ANSWER_LISTED_LENGTH ((size_t)-2)

/* The head of one answer: status line, headers, blank line. Small heads
 * (all but the rarest) live in the struct itself, on the caller's stack. */
struct eider_answer_head {
    char *data;
    size_t len;
    char small[1024];
};

/* Header lines eider writes itself without putting them in an evhttp
 * list first (callgrind: ~1k instructions a request for the list's
 * allocations): X-Request-Id ID and Date DATE before the list's lines,
 * Content-Type TYPE after them unless the list has a Content-Type. NULL:
 * that line is left out. */
struct eider_answer_own {
    const char *id;
    const char *date;
    const char *type;
};

/* The one writer of an answer head. Formats into H "HTTP/1.MINOR STATUS
 * REASON" (MINOR 0 or 1), then OWN's id and date (OWN may be NULL), then
 * HEADERS in their order, OWN's type, and "Content-Length:
 * CONTENT_LENGTH" last. A Content-Length in HEADERS is left out, unless
 * CONTENT_LENGTH is EIDER_ANSWER_LISTED_LENGTH: then HEADERS are written
 * as they are. EIDER_ANSWER_NO_LENGTH writes none. Names and values are
 * written as given: callers pass only what evhttp's header checks (no CR
 * or LF) or eider itself produced. H owns the text until
 * eider_answer_head_free. Returns 0, or -1 when a head too big for
 * H->small cannot be allocated. */
int eider_answer_format(struct eider_answer_head *h, int minor, int status, const char *reason,
                        const struct eider_answer_own *own, const struct evkeyvalq *headers,
                        size_t content_length);

/* Formats into H the head of the answer to REQ: STATUS and REASON, OWN's
 * lines (may be NULL) and the headers in REQ's output list (its
 * Content-Length ignored) and then Content-Length: CONTENT_LENGTH, except
 * for 1xx and 204, which must not carry one (RFC 9110 8.6), and 304.
 * First settles the Connection header in that list as evhttp does, so
 * that evhttp keeps or closes the connection as the head says. Returns 0,
 * or -1 when out of memory. */
int eider_answer_head(struct eider_answer_head *h, struct evhttp_request *req, int status,
                      const char *reason, const struct eider_answer_own *own,
                      size_t content_length);

/* Frees what eider_answer_head allocated, if anything. */
void eider_answer_head_free(struct eider_answer_head *h);

/* 1 if an answer with STATUS has a body (not 1xx, 204 or 304). */
int eider_answer_body_allowed(int status);

/* The standard reason phrase of STATUS (a generic one for the class when
 * STATUS has none); a static string. */
const char *eider_http_reason(int status);

/* The Date header value for now (formatted at most once a second). */
const char *eider_http_date(void);

/* Appends one access log line to SINK (a listener's access log; nothing
 * if it is off): combined format, request time, request id. REQUEST is the
 * request line as the client sent it, "-" for an answer given without a
 * request; it, REFERER and AGENT (NULL: "-") are escaped here as nginx
 * escapes them, so that a client cannot forge fields or lines. */
void eider_answer_log_line(int sink, const char *peer, const char *request, int status,
                           size_t bytes, const char *referer, const char *agent, double elapsed,
                           const char *id);

/* Writes eider's JSON error body for STATUS and request ID into OUT (LEN
 * bytes): {"error":REASON,"status":STATUS,"requestId":ID} and a newline.
 * Returns its length as snprintf does. */
int eider_http_error_body(int status, const char *id, char *out, size_t len);

#endif
