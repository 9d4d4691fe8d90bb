/*
 * An HTTP/1.1 and HTTPS client on a libevent loop, with no JavaScript in
 * it: js_fetch.c binds it to fetch().
 *
 * One hc_client per event loop (per worker) uses the loop's resolver
 * (resolve.h), owns the TLS context (created on first use) and a
 * keep-alive pool of idle connections keyed by scheme, host and port. A request runs the whole
 * exchange (DNS, connect, TLS handshake with certificate and host name
 * verification, request, response parsed by http-parser, redirects) and
 * ends with exactly one call of its callback, from a libevent callback
 * and never from inside hc_request_start(), unless it is cancelled.
 */
#ifndef EIDER_HTTP_CLIENT_H
#define EIDER_HTTP_CLIENT_H

#include <stddef.h>

struct event_base;
struct evbuffer;
struct eider_resolver;
struct hc_client;
struct hc_request;

/* A header as sent or received: NUL-terminated name and value. */
struct hc_header {
    char *name;
    char *value;
};

struct hc_client_opts {
    const char *ca_file;        /* extra trusted CAs (PEM), or NULL */
    const char *user_agent;     /* sent unless the request sets its own */
    /* Close each connection after its request instead of keeping it idle
     * for the next: a script's loop (eider run) ends once nothing is
     * pending, and a pooled connection would hold it for its idle time. */
    int no_pool;
    /* The loop's resolver (resolve.h), which must outlive the client; NULL:
     * the client makes its own on its first lookup. */
    struct eider_resolver *resolver;
};

enum hc_redirect {
    HC_REDIRECT_FOLLOW,         /* up to HC_MAX_REDIRECTS */
    HC_REDIRECT_ERROR,          /* a redirect fails the request */
    HC_REDIRECT_MANUAL,         /* a redirect is the response */
};

#define HC_MAX_REDIRECTS 20

struct hc_request_opts {
    const char *url;            /* absolute http: or https: URL */
    const char *method;         /* e.g. "GET"; sent as given */
    const struct hc_header *headers;   /* copied; Host, User-Agent, Accept, */
    size_t nheaders;                   /* Connection default if absent */
    const void *body;           /* copied; NULL for none */
    size_t body_len;
    long timeout_ms;            /* whole exchange incl. redirects; 0: none */
    size_t max_response_size;   /* body bytes; 0: no limit */
    enum hc_redirect redirect;
};

/* What the callback gets on success; valid during the call only. */
struct hc_response {
    int status;
    const char *status_text;
    const char *url;            /* final URL, after redirects */
    int redirected;             /* a redirect was followed */
    const struct hc_header *headers;   /* in the order received */
    size_t nheaders;
    struct evbuffer *body;      /* the callback may drain it */
};

/* Called once per request: resp on success, else error is a message
 * ("connection refused", "timed out after 100 ms", ...). The request is
 * freed when it returns. It may start other requests. */
typedef void (*hc_done_cb)(const struct hc_response *resp, const char *error, void *arg);

/* A client on base (must outlive it). Never NULL but on out-of-memory. */
struct hc_client *hc_client_new(struct event_base *base, const struct hc_client_opts *opts);
/* Cancels every request still running (no callbacks), closes the pooled
 * connections and frees the resolver and TLS context. */
void hc_client_free(struct hc_client *c);

/* Starts a request. Returns it, or NULL with a message in err (a bad URL
 * or method, an unsupported scheme) and then no callback. */
struct hc_request *hc_request_start(struct hc_client *c, const struct hc_request_opts *opts,
                                    hc_done_cb cb, void *arg, char *err, size_t errlen);
/* Stops a running request and frees it; its callback is not called. */
void hc_request_cancel(struct hc_request *r);

#endif
