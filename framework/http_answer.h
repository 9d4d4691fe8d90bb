#ifndef EIDER_HTTP_ANSWER_H
#define EIDER_HTTP_ANSWER_H

#include <stddef.h>

struct evhttp_request;

/* The head of one answer: status line, headers, blank line. Small heads
 * (all but the rarest) live in the struct itself, on the caller's stack. */
struct eider_answer_head {
    char *data;
    size_t len;
    char small[1024];
};

/* Formats into H the head of the answer to REQ: STATUS and REASON, the
 * headers in REQ's output list (its Content-Length ignored) and then
 * Content-Length: CONTENT_LENGTH, except for 1xx and 204, which must not
 * carry one (RFC 9110 8.6), and 304. First settles the Connection header in that
 * list as evhttp does, so that evhttp keeps or closes the connection as
 * the head says. Returns 0, or -1 when out of memory. */
int eider_answer_head(struct eider_answer_head *h, struct evhttp_request *req, int status,
                      const char *reason, size_t content_length);

/* Frees what eider_answer_head allocated, if anything. */
void eider_answer_head_free(struct eider_answer_head *h);

/* 1 if an answer with STATUS has a body (not 1xx, 204 or 304). */
int eider_answer_body_allowed(int status);

#endif
