/*
 * The status endpoint. Any worker can answer for all: the scoreboard is
 * shared memory, so the numbers of the other workers are read, not asked
 * for. Reads are not synchronised; a counter may be one request stale.
 *
 * One endpoint, three formats, chosen by the first media type of the
 * Accept header that names one (or ?format=): JSON by default, the
 * Prometheus text format for scrapers, the live page for browsers.
 *
 * Layering: an endpoint above the HTTP glue (http.h), which reaches it
 * only through the status_answer pointer the worker sets; it calls down
 * into the glue and reads the scoreboard.
 */
#include "alloc.h"
#include "status.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "http.h"
#include "proxy.h"
#include "scoreboard.h"
#include "status_internal.h"

enum status_format { FORMAT_JSON, FORMAT_PROMETHEUS, FORMAT_HTML };

static const struct {
    const char *media;              /* in Accept */
    const char *query;              /* ?format= */
    enum status_format format;
    const char *content_type;
} formats[] = {
    { "application/json", "json", FORMAT_JSON, "application/json" },
    { "text/plain", "prometheus", FORMAT_PROMETHEUS, "text/plain; version=0.0.4; charset=utf-8" },
    /* Prometheus asks for OpenMetrics first; the 0.0.4 text it also
     * accepts is what it gets. */
    { "application/openmetrics-text", NULL, FORMAT_PROMETHEUS,
      "text/plain; version=0.0.4; charset=utf-8" },
    { "text/html", "html", FORMAT_HTML, "text/html; charset=utf-8" },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* The formats[] row for QUERY's format=NAME, else the first media type
 * in ACCEPT that is a row's (q-values are not weighed: browsers and
 * Prometheus list what they prefer first), else JSON's. */
static size_t negotiate(const char *query, const char *accept)
{
    const char *p;

    if (query != NULL && (p = strstr(query, "format=")) != NULL && (p == query || p[-1] == '&')) {
        p += strlen("format=");
        for (size_t i = 0; i < NFORMATS; i++) {
            size_t n = formats[i].query != NULL ? strlen(formats[i].query) : 0;
            if (n > 0 && strncmp(p, formats[i].query, n) == 0 && (p[n] == '\0' || p[n] == '&'))
                return i;
        }
    }
    for (p = accept; p != NULL && *p != '\0'; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        size_t n;
        p += strspn(p, " \t");
        n = strcspn(p, ",; \t");
        for (size_t i = 0; i < NFORMATS; i++)
            if (strlen(formats[i].media) == n && strncasecmp(p, formats[i].media, n) == 0)
                return i;
    }
    return 0;
}

void status_view_take(struct status_view *v, const struct eider_slot *board)
{
    int live = 0;

    *v = (struct status_view){ .now = time(NULL), .master_pid = (int)getppid(),
                               .server = eider_scoreboard_server(board) };

    /* pid 0: free, or its worker exited and the master folded its
     * counters into server->gone (eider_scoreboard_fold). A worker forked
     * between the two passes waits for the next request. */
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        live += board[i].pid > 0;
    v->rows = eider_calloc(live > 0 ? (size_t)live : 1, sizeof(*v->rows));
    v->total = v->server->gone;
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS && v->nrows < live; i++) {
        const struct eider_slot *s = &board[i];
        struct status_row *r = &v->rows[v->nrows];
        uint64_t busy;

        if (s->pid <= 0)
            continue;
        *r = (struct status_row){ .slot = i, .pid = (int)s->pid, .generation = s->generation,
                                  .restarts = s->restarts, .draining = s->draining,
                                  .started = s->started, .heap_bytes = s->heap_bytes };
        r->n = s->n;
        busy = s->busy > 0 ? (uint64_t)s->busy : 0;
        r->in_progress = busy;
        r->conns.active = s->connections;
        r->conns.idle = s->idle < r->conns.active ? s->idle : r->conns.active;
        /* A request the gate refuses is "in progress" for an instant
         * without a connection of evhttp's: never more writing than open. */
        r->conns.writing = busy < r->conns.active - r->conns.idle ? busy : r->conns.active - r->conns.idle;
        r->conns.reading = r->conns.active - r->conns.idle - r->conns.writing;
        eider_counters_add(&v->total, &r->n);
        v->conns.active += r->conns.active;
        v->conns.reading += r->conns.reading;
        v->conns.writing += r->conns.writing;
        v->conns.idle += r->conns.idle;
        v->in_progress += r->in_progress;
        v->heap_bytes += r->heap_bytes;
        v->nrows++;
    }
}

void status_view_free(struct status_view *v)
{
    free(v->rows);
    v->rows = NULL;
}

void eider_status_answer(struct eider_exchange *ex)
{
    const struct eider_http *h = ex->glue;
    struct evkeyvalq *headers = evhttp_request_get_output_headers(ex->req);
    size_t f;
    struct evbuffer *out;
    struct status_view v;

    if (!eider_cidr_match(&h->cfg->status_allow, ex->peer)) {
        eider_http_error(ex, 403);
        return;
    }
    f = negotiate(ex->query, evhttp_find_header(evhttp_request_get_input_headers(ex->req), "Accept"));
    if ((out = evbuffer_new()) == NULL)
        eider_oom(sizeof(v));
    if (formats[f].format == FORMAT_HTML) {
        evbuffer_add_reference(out, eider_status_page_html, strlen(eider_status_page_html), NULL, NULL);
        /* Everything is inline; it reads only this endpoint. */
        evhttp_add_header(headers, "Content-Security-Policy", "default-src 'none'; "
                          "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                          "connect-src 'self'");
    } else {
        status_view_take(&v, h->board);
        (formats[f].format == FORMAT_JSON ? status_json : status_prometheus)(&v, out);
        status_view_free(&v);
    }
    evhttp_add_header(headers, "Content-Type", formats[f].content_type);
    evhttp_add_header(headers, "Cache-Control", "no-store");
    evhttp_add_header(headers, "Vary", "Accept");
    eider_http_send(ex, 200, evbuffer_pullup(out, -1), evbuffer_get_length(out));
    evbuffer_free(out);
}
