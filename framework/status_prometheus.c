/*
 * The status endpoint in the Prometheus text exposition format 0.0.4.
 * The same families are written twice: per worker, named eider_* with a
 * worker="N" label (N is the worker's scoreboard slot, stable while it
 * lives, reused by a later worker), and for the whole server, named
 * eider_server_* without it. The server's counters include workers that
 * have exited, so they only grow while the master runs; a worker's start
 * from 0 with the worker, which rate() takes as a counter reset. The
 * families are listed in man/eider.conf.5 (status_path).
 */
#include "status_internal.h"

#include <event2/buffer.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "autoconfig.h"

/* Writes the samples of family NAME for R; LABELS is "" or the row's own
 * labels without braces, like worker="3". */
typedef void sample_fn(struct evbuffer *out, const char *name, const char *labels,
                       const struct status_row *r, size_t offset);

/* One sample NAME{LABELS,EXTRA} VALUE; either label part may be "". */
static void sample(struct evbuffer *out, const char *name, const char *labels, const char *extra,
                   uint64_t value)
{
    if (*labels == '\0' && *extra == '\0')
        evbuffer_add_printf(out, "%s %" PRIu64 "\n", name, value);
    else
        evbuffer_add_printf(out, "%s{%s%s%s} %" PRIu64 "\n", name, labels,
                            *labels != '\0' && *extra != '\0' ? "," : "", extra, value);
}

/* A uint64_t of the row, at OFFSET. */
static void write_field(struct evbuffer *out, const char *name, const char *labels,
                        const struct status_row *r, size_t offset)
{
    sample(out, name, labels, "", *(const uint64_t *)((const char *)r + offset));
}

static void write_classes(struct evbuffer *out, const char *name, const char *labels,
                          const struct status_row *r, size_t offset)
{
    char code[16];

    (void)offset;
    for (int k = 1; k <= 5; k++) {
        snprintf(code, sizeof(code), "code=\"%dxx\"", k);
        sample(out, name, labels, code, r->n.answered[k]);
    }
}

static void write_conns(struct evbuffer *out, const char *name, const char *labels,
                        const struct status_row *r, size_t offset)
{
    (void)offset;
    sample(out, name, labels, "state=\"active\"", r->conns.active);
    sample(out, name, labels, "state=\"reading\"", r->conns.reading);
    sample(out, name, labels, "state=\"writing\"", r->conns.writing);
    sample(out, name, labels, "state=\"idle\"", r->conns.idle);
}

/* Cumulative buckets, then _sum and _count. Requests the gate refused
 * are not in it (scoreboard.h), so _count counts the others. */
static void write_histogram(struct evbuffer *out, const char *name, const char *labels,
                            const struct status_row *r, size_t offset)
{
    char metric[96], le[32];
    uint64_t cumulative = 0;

    (void)offset;
    snprintf(metric, sizeof(metric), "%s_bucket", name);
    for (int k = 0; k < EIDER_DURATION_BUCKETS; k++) {
        cumulative += r->n.duration[k];
        if (k < EIDER_DURATION_BUCKETS - 1)
            snprintf(le, sizeof(le), "le=\"%g\"", eider_duration_bounds[k]);
        else
            snprintf(le, sizeof(le), "le=\"+Inf\"");
        sample(out, metric, labels, le, cumulative);
    }
    if (*labels != '\0')
        evbuffer_add_printf(out, "%s_sum{%s} %.6f\n", name, labels, (double)r->n.duration_us / 1e6);
    else
        evbuffer_add_printf(out, "%s_sum %.6f\n", name, (double)r->n.duration_us / 1e6);
    snprintf(metric, sizeof(metric), "%s_count", name);
    sample(out, metric, labels, "", cumulative);
}

/* The families every worker and the server have; the name follows
 * "eider_" or "eider_server_". */
static const struct family {
    const char *name, *type, *help;
    sample_fn *write;
    size_t offset;                  /* for write_field */
} families[] = {
    { "requests_total", "counter", "Requests answered, by status class.", write_classes, 0 },
    { "requests_in_progress", "gauge", "Requests begun and not answered yet.", write_field,
      offsetof(struct status_row, in_progress) },
    { "errors_total", "counter", "Lines logged at error level or above: uncaught exceptions, "
      "handlers stopped at js_time_limit, 5xx answers of handlers.", write_field,
      offsetof(struct status_row, n.errors) },
    { "connections", "gauge", "Open connections: active = reading + writing + idle (idle: keep-alive, "
      "waiting for the next request).", write_conns, 0 },
    { "received_bytes_total", "counter", "Request body bytes received.", write_field,
      offsetof(struct status_row, n.bytes_in) },
    { "sent_bytes_total", "counter", "Answer body bytes sent (as the access log counts them).",
      write_field, offsetof(struct status_row, n.bytes_out) },
    { "js_heap_bytes", "gauge", "JavaScript heap in use.", write_field,
      offsetof(struct status_row, heap_bytes) },
    { "request_duration_seconds", "histogram", "Time from a request's dispatch to its answer's "
      "last byte handed to the connection.", write_histogram, 0 },
};

/* # HELP and # TYPE of family PREFIX NAME. */
static void family_head(struct evbuffer *out, const char *prefix, const char *name, const char *type,
                        const char *help)
{
    evbuffer_add_printf(out, "# HELP %s%s %s\n# TYPE %s%s %s\n", prefix, name, help, prefix, name, type);
}

/* The server's scalars, from the master's counters. */
static void server_scalars(const struct status_view *v, struct evbuffer *out)
{
    const struct {
        const char *name, *type, *help;
        uint64_t value;
    } rows[] = {
        { "eider_server_workers", "gauge", "Worker processes alive (serving or draining).",
          (uint64_t)v->nrows },
        { "eider_server_restarts_total", "counter", "Workers that died and were replaced.",
          v->server->restarts },
        { "eider_server_reloads_total", "counter", "Reloads whose new workers took over.",
          v->server->reloads },
        { "eider_server_reload_failures_total", "counter", "Reloads refused or aborted (the old "
          "workers kept serving).", v->server->reload_failures },
        { "eider_server_start_time_seconds", "gauge", "When the master started, in seconds since "
          "the Unix epoch.", (uint64_t)v->server->started },
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        family_head(out, "", rows[i].name, rows[i].type, rows[i].help);
        sample(out, rows[i].name, "", "", rows[i].value);
    }
    family_head(out, "", "eider_build_info", "gauge", "Always 1; the version in a label.");
    evbuffer_add_printf(out, "eider_build_info{version=\"%s\"} 1\n", PACKAGE_VERSION);
}

/* Per worker: what identifies it, besides the families. */
static void worker_scalars(const struct status_view *v, struct evbuffer *out)
{
    family_head(out, "", "eider_worker_info", "gauge", "Always 1; the worker's pid, generation "
                "and state (serving or draining) in labels.");
    for (int i = 0; i < v->nrows; i++)
        evbuffer_add_printf(out, "eider_worker_info{worker=\"%d\",pid=\"%d\",generation=\"%d\","
                            "state=\"%s\"} 1\n", v->rows[i].slot, v->rows[i].pid, v->rows[i].generation,
                            v->rows[i].draining ? "draining" : "serving");
    family_head(out, "", "eider_worker_start_time_seconds", "gauge", "When the worker started, in "
                "seconds since the Unix epoch.");
    for (int i = 0; i < v->nrows; i++)
        evbuffer_add_printf(out, "eider_worker_start_time_seconds{worker=\"%d\"} %" PRId64 "\n",
                            v->rows[i].slot, v->rows[i].started);
    family_head(out, "", "eider_worker_restarts_total", "counter", "Times this worker's "
                "predecessors in its slot died and were replaced (since the last reload).");
    for (int i = 0; i < v->nrows; i++)
        evbuffer_add_printf(out, "eider_worker_restarts_total{worker=\"%d\"} %d\n", v->rows[i].slot,
                            v->rows[i].restarts);
}

void status_prometheus(const struct status_view *v, struct evbuffer *out)
{
    struct status_row server = { .n = v->total, .conns = v->conns, .in_progress = v->in_progress,
                                 .heap_bytes = v->heap_bytes };
    char name[96], labels[32];

    server_scalars(v, out);
    for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
        family_head(out, "eider_server_", families[f].name, families[f].type, families[f].help);
        snprintf(name, sizeof(name), "eider_server_%s", families[f].name);
        families[f].write(out, name, "", &server, families[f].offset);
    }
    worker_scalars(v, out);
    for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
        family_head(out, "eider_", families[f].name, families[f].type, families[f].help);
        snprintf(name, sizeof(name), "eider_%s", families[f].name);
        for (int i = 0; i < v->nrows; i++) {
            snprintf(labels, sizeof(labels), "worker=\"%d\"", v->rows[i].slot);
            families[f].write(out, name, labels, &v->rows[i], families[f].offset);
        }
    }
}
