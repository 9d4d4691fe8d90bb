/*
 * The status endpoint. Any worker can answer for all: the scoreboard is
 * shared memory, so the numbers of the other workers are read, not asked
 * for. Reads are not synchronised; a counter may be one request stale.
 *
 * Layering: an endpoint above the HTTP glue (http.h), which reaches it
 * only through the status_answer pointer the worker sets; it calls down
 * into the glue and reads the scoreboard.
 */
#include "alloc.h"
#include "status.h"

#include <errno.h>
#include <event2/http.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "autoconfig.h"
#include "config.h"
#include "http.h"
#include "proxy.h"
#include "scoreboard.h"

#define STATUS_MAX 65536

void eider_status_answer(struct eider_exchange *ex)
{
    const struct eider_http *h = ex->glue;
    const struct eider_config *cfg = h->cfg;
    char *buf;
    size_t n = 0;
    time_t now = time(NULL);
    int first = 1;

    if (!eider_cidr_match(&cfg->status_allow, ex->peer)) {
        eider_http_error(ex, 403);
        return;
    }
    buf = eider_malloc(STATUS_MAX);
    n += (size_t)snprintf(buf + n, STATUS_MAX - n, "{\"version\":\"%s\",\"master_pid\":%d,"
                          "\"workers\":[", PACKAGE_VERSION, (int)getppid());
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS && n < STATUS_MAX - 512; i++) {
        const struct eider_slot *s = &h->board[i];
        /* EPERM: alive, as another user (a later generation's). */
        if (s->pid <= 0 || (kill(s->pid, 0) < 0 && errno != EPERM))
            continue;
        n += (size_t)snprintf(buf + n, STATUS_MAX - n,
                              "%s{\"pid\":%d,\"generation\":%d,\"state\":\"%s\",\"uptime\":%lld,"
                              "\"requests\":%llu,\"status_4xx\":%llu,\"status_5xx\":%llu,"
                              "\"connections\":%llu,\"restarts\":%d,\"js_heap_bytes\":%llu}",
                              first ? "" : ",", (int)s->pid, s->generation,
                              s->draining ? "draining" : "serving", (long long)(now - s->started),
                              (unsigned long long)s->requests, (unsigned long long)s->status_4xx,
                              (unsigned long long)s->status_5xx, (unsigned long long)s->connections,
                              s->restarts, (unsigned long long)s->heap_bytes);
        first = 0;
    }
    n += (size_t)snprintf(buf + n, STATUS_MAX - n, "]}\n");
    evhttp_add_header(evhttp_request_get_output_headers(ex->req), "Content-Type", "application/json");
    evhttp_add_header(evhttp_request_get_output_headers(ex->req), "Cache-Control", "no-store");
    eider_http_send(ex, 200, buf, n);
    free(buf);
}
