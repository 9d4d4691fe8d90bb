/*
 * eider call [-c FILE] [-g DIRECTIVES] METHOD PATH [-H 'Name: value']...
 * [-d BODY | -d @FILE]: one request through the handler routing picks,
 * with no listener and no socket: an evhttp_request with no connection
 * goes through http.c's dispatch like one from a client, and its answer
 * comes back through the worker's capture (http_capture.c). Prints it as
 * curl -i would; exits 0 for 2xx/3xx, 1 for 4xx, 2 for 5xx. Runs the
 * handlers with a worker's rights (drops privileges when root).
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "check.h"
#include "cmd.h"
#include "config.h"
#include "daemon.h"
#include "file.h"
#include "http.h"
#include "lower.h"
#include "router.h"
#include "runtime.h"
#include "shdict.h"
#include "sources.h"
#include "worker.h"

#define CALL_USAGE "Usage: eider call [-c FILE] [-g DIRECTIVES] METHOD PATH " \
                   "[-H 'Name: value']... [-d BODY | -d @FILE]\n"
#define MAX_HEADERS 64

static const struct {
    const char *name;
    enum evhttp_cmd_type cmd;
} methods[] = {
    { "GET", EVHTTP_REQ_GET }, { "HEAD", EVHTTP_REQ_HEAD }, { "POST", EVHTTP_REQ_POST },
    { "PUT", EVHTTP_REQ_PUT }, { "PATCH", EVHTTP_REQ_PATCH }, { "DELETE", EVHTTP_REQ_DELETE },
    { "OPTIONS", EVHTTP_REQ_OPTIONS },
};

/* What the command line asked for. */
struct call {
    const char *conf_file, *extra;
    const char *method, *target;
    const char *headers[MAX_HEADERS];   /* "Name: value" */
    int nheaders;
    char *body;                          /* malloc'd, or NULL */
    size_t bodylen;
};

/* Parses ARGV into C. Returns -1 to go on, or the exit status. */
static int parse(int argc, char **argv, struct call *c)
{
    int opt;

    optind = 1;
    while ((opt = getopt(argc, argv, "c:g:H:d:h")) != -1) {
        switch (opt) {
        case 'c': c->conf_file = optarg; break;
        case 'g': c->extra = optarg; break;
        case 'H':
            if (c->nheaders == MAX_HEADERS || strchr(optarg, ':') == NULL) {
                fprintf(stderr, "eider call: -H '%s': give 'Name: value', at most %d of them\n",
                        optarg, MAX_HEADERS);
                return 2;
            }
            c->headers[c->nheaders++] = optarg;
            break;
        case 'd':
            free(c->body);
            if (optarg[0] == '@') {
                if ((c->body = eider_read_file(optarg + 1, &c->bodylen)) == NULL) {
                    fprintf(stderr, "eider call: -d %s: cannot read %s: %m\n", optarg, optarg + 1);
                    return 1;
                }
            } else {
                c->bodylen = strlen(optarg);
                c->body = eider_strdup(optarg);
            }
            break;
        case 'h': fputs(CALL_USAGE, stdout); return 0;
        default:  fputs(CALL_USAGE, stderr); return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "eider call: give a METHOD and a PATH, e.g. eider call GET /hello\n"
                CALL_USAGE);
        return 2;
    }
    c->method = argv[optind];
    c->target = argv[optind + 1];
    return -1;
}

struct evhttp_request *eider_call_request(const char *method, const char *target,
                                         const char *const *headers, int nheaders,
                                         const char *body, size_t bodylen, char *err, size_t errlen)
{
    struct evhttp_request *req;
    struct evkeyvalq *in;
    size_t m;
    int host = 0;

    for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
        if (strcasecmp(method, methods[m].name) == 0)
            break;
    if (m == sizeof(methods) / sizeof(methods[0])) {
        snprintf(err, errlen, "method %s: use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS",
                 method);
        return NULL;
    }
    if (target[0] != '/') {
        snprintf(err, errlen, "path %s: give it from the root, as /hello", target);
        return NULL;
    }
    if ((req = evhttp_request_new(NULL, NULL)) == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    req->kind = EVHTTP_REQUEST;
    req->type = methods[m].cmd;
    req->major = 1;
    req->minor = 1;
    req->uri = eider_strdup(target);
    req->uri_elems = evhttp_uri_parse_with_flags(target, EVHTTP_URI_NONCONFORMANT);
    if (req->uri_elems == NULL) {
        snprintf(err, errlen, "path %s: not a valid request target", target);
        evhttp_request_free(req);
        return NULL;
    }
    in = evhttp_request_get_input_headers(req);
    for (int i = 0; i < nheaders; i++) {
        char name[256];
        const char *colon = strchr(headers[i], ':'), *value = colon + 1;
        size_t n = (size_t)(colon - headers[i]);
        if (n == 0 || n >= sizeof(name)) {
            snprintf(err, errlen, "-H '%s': give 'Name: value'", headers[i]);
            evhttp_request_free(req);
            return NULL;
        }
        memcpy(name, headers[i], n);
        name[n] = '\0';
        value += strspn(value, " \t");
        host |= strcasecmp(name, "Host") == 0;
        evhttp_add_header(in, name, value);
    }
    if (!host)
        evhttp_add_header(in, "Host", "localhost");
    if (body != NULL) {
        char len[24];
        snprintf(len, sizeof(len), "%zu", bodylen);
        evhttp_remove_header(in, "Content-Length");
        evhttp_add_header(in, "Content-Length", len);
        evbuffer_add(evhttp_request_get_input_buffer(req), body, bodylen);
    }
    return req;
}

int eider_call_worker(struct eider_worker *w, struct eider_capture *cap,
                      const struct eider_config *cfg, const struct eider_router *router,
                      struct eider_sources *sources, char *err, size_t errlen)
{
    struct eider_runtime_env env = { .cfg = cfg, .router = router, .sources = sources,
                                     .base = w->base, .lower = eider_lower_one };

    w->cfg = cfg;
    w->conns.cfg = cfg;
    w->glue.base = w->base;
    w->glue.cfg = cfg;
    w->glue.conns = &w->conns;
    LIST_INIT(&w->glue.waiting);
    TAILQ_INIT(&w->glue.parked);
    w->glue.router = router;
    w->glue.rt_ops = &eider_js_runtime;
    w->conns.id_state = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    w->listeners[0].glue = &w->glue;
    w->listeners[0].conns = &w->conns;
    w->listeners[0].cfg = &cfg->listens[0];   /* as if to the first listener */
    w->listeners[0].access_sink = -1;
    w->nlisteners = 1;
    w->glue.capture = cap;
    cap->base = w->base;
    if ((cap->out = evbuffer_new()) == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return (w->glue.rt = w->glue.rt_ops->create(&env, err, errlen)) == NULL ? -1 : 0;
}

/* Runs REQ through a worker on CFG, ROUTER and SOURCES with no listener,
 * then prints the answer. Takes REQ. Returns the exit status. */
static int call(const struct eider_config *cfg, const struct eider_router *router,
                struct eider_sources *sources, struct evhttp_request *req)
{
    static struct eider_worker w;   /* big: not on the stack */
    struct eider_capture cap = { 0 };
    char err[2048];
    int rc = 2;

    w.base = event_base_new();
    if (w.base == NULL) {
        fprintf(stderr, "eider call: out of memory\n");
        evhttp_request_free(req);
    } else if (eider_call_worker(&w, &cap, cfg, router, sources, err, sizeof(err)) < 0) {
        fprintf(stderr, "eider call: %s\n", err);
        evhttp_request_free(req);
    } else {
        eider_http_dispatch(req, &w.listeners[0]);
        if (!cap.done)
            event_base_dispatch(w.base);   /* until the answer is complete */
        /* Answers left waiting (none unless the loop ran dry). */
        eider_http_close_waiting(&w.glue);
        fwrite(evbuffer_pullup(cap.out, -1), 1, evbuffer_get_length(cap.out), stdout);
        fflush(stdout);
        rc = cap.status >= 200 && cap.status < 400 ? 0 : cap.status >= 400 && cap.status < 500 ? 1 : 2;
        w.glue.rt_ops->destroy(w.glue.rt);
    }
    if (cap.out != NULL)
        evbuffer_free(cap.out);
    if (w.base != NULL)
        event_base_free(w.base);
    return rc;
}

int eider_cmd_call(int argc, char **argv)
{
    struct call c = { 0 };
    struct eider_config *cfg = NULL;
    struct eider_router *router = NULL;
    struct eider_sources *sources = NULL;
    struct evhttp_request *req = NULL;
    char err[2048];
    int rc = 1;

    if ((rc = parse(argc, argv, &c)) >= 0) {
        free(c.body);
        return rc;
    }
    rc = 1;
    if ((cfg = eider_config_load(c.conf_file, c.extra, err, sizeof(err))) == NULL
        || eider_shdict_zones_sync(cfg, err, sizeof(err)) < 0
        || eider_handlers_check(cfg, &router, &sources, err, sizeof(err)) < 0
        || (req = eider_call_request(c.method, c.target, (const char *const *)c.headers, c.nheaders, c.body,
                                    c.bodylen, err, sizeof(err))) == NULL
        /* Then no handler code runs privileged, as in a worker. */
        || eider_drop_privileges(cfg, err, sizeof(err)) < 0)
        fprintf(stderr, "eider call: %s\n", err);
    else
        rc = call(cfg, router, sources, req), req = NULL;
    if (req != NULL)
        evhttp_request_free(req);
    eider_lower_stop();
    eider_router_free(router);
    eider_sources_free(sources);
    if (cfg != NULL)
        eider_config_free(cfg);
    free(c.body);
    return rc;
}
