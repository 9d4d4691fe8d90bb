/*
 * The status endpoint's JSON: the server's totals and one object per live
 * worker, with the same counter fields in both (man/eider.conf.5,
 * status_path, lists them).
 */
#include "status_internal.h"

#include <event2/buffer.h>
#include <inttypes.h>

#include "autoconfig.h"

/* The counter fields N and C share between a worker and the server,
 * without braces; the histogram's counts are cumulative, one per bound of
 * the top-level duration_bounds and a last one for +Inf (= all). */
static void counter_fields(struct evbuffer *out, const struct eider_counters *n,
                           const struct status_conns *c, uint64_t in_progress, uint64_t heap)
{
    uint64_t cumulative = 0;

    evbuffer_add_printf(out, "\"requests\":%" PRIu64 ",\"in_progress\":%" PRIu64, n->requests,
                        in_progress);
    for (int k = 1; k <= 5; k++)
        evbuffer_add_printf(out, ",\"status_%dxx\":%" PRIu64, k, n->answered[k]);
    evbuffer_add_printf(out, ",\"errors\":%" PRIu64 ",\"connections\":%" PRIu64
                        ",\"connections_reading\":%" PRIu64 ",\"connections_writing\":%" PRIu64
                        ",\"connections_idle\":%" PRIu64 ",\"bytes_received\":%" PRIu64
                        ",\"bytes_sent\":%" PRIu64 ",\"js_heap_bytes\":%" PRIu64
                        ",\"duration_seconds_sum\":%.6f,\"duration_buckets\":[",
                        n->errors, c->active, c->reading, c->writing, c->idle, n->bytes_in,
                        n->bytes_out, heap, (double)n->duration_us / 1e6);
    for (int k = 0; k < EIDER_DURATION_BUCKETS; k++) {
        cumulative += n->duration[k];
        evbuffer_add_printf(out, "%s%" PRIu64, k ? "," : "", cumulative);
    }
    evbuffer_add(out, "]", 1);
}

void status_json(const struct status_view *v, struct evbuffer *out)
{
    const struct eider_server *s = v->server;

    evbuffer_add_printf(out, "{\"version\":\"%s\",\"master_pid\":%d,\"uptime\":%lld,"
                        "\"reloads\":%" PRIu64 ",\"reload_failures\":%" PRIu64 ",\"restarts\":%" PRIu64
                        ",\"duration_bounds\":[", PACKAGE_VERSION, v->master_pid,
                        (long long)(v->now - s->started), s->reloads, s->reload_failures, s->restarts);
    for (int k = 0; k < EIDER_DURATION_BUCKETS - 1; k++)
        evbuffer_add_printf(out, "%s%g", k ? "," : "", eider_duration_bounds[k]);
    evbuffer_add_printf(out, "],\"server\":{\"workers\":%d,", v->nrows);
    counter_fields(out, &v->total, &v->conns, v->in_progress, v->heap_bytes);
    evbuffer_add(out, "},\"workers\":[", 13);
    for (int i = 0; i < v->nrows; i++) {
        const struct status_row *r = &v->rows[i];
        evbuffer_add_printf(out, "%s{\"worker\":%d,\"pid\":%d,\"generation\":%d,\"state\":\"%s\","
                            "\"uptime\":%lld,\"restarts\":%d,", i ? "," : "", r->slot, r->pid,
                            r->generation, r->draining ? "draining" : "serving",
                            (long long)(v->now - r->started), r->restarts);
        counter_fields(out, &r->n, &r->conns, r->in_progress, r->heap_bytes);
        evbuffer_add(out, "}", 1);
    }
    evbuffer_add(out, "]}\n", 3);
}
