/*
 * A libpq connection driven by the worker's libevent loop (pg_conn.h).
 *
 * One persistent event watches the connection's socket; it is remade when
 * libpq changes the socket (it may between PQconnectPoll calls, trying the
 * next address) or when the directions wanted change. An idle connection
 * is watched for reading too, so that a server that closes it (restart,
 * idle timeout, pg_terminate_backend) marks it broken at once rather than
 * failing the next query. Timeouts (connect, query) are one timer.
 *
 * Host names: PQconnectStartParams() and PQconnectPoll() resolve a host
 * name with getaddrinfo() on the loop's thread, which stalls the worker
 * while the DNS server answers (or never does). So when the options name
 * one host by name and no hostaddr, resolve.h looks it up first, and
 * libpq gets its addresses as hostaddr next to the host (kept for TLS
 * verification, .pgpass and messages): several addresses become as many
 * entries of the host list, tried in turn as libpq would. A hostaddr
 * given, a Unix socket directory, a literal address and a host list
 * (comma-separated) go to libpq unchanged.
 */
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "log.h"
#include "pg_conn.h"
#include "resolve.h"

enum pg_state { PG_CONNECTING, PG_IDLE, PG_BUSY, PG_BROKEN };

struct pg_conn {
    PGconn *pg;                 /* NULL once closed */
    struct event_base *base;
    struct event *ev;           /* on fd for events */
    struct event *timer;        /* connect or query timeout */
    struct event *rearm;        /* adds ev a turn later (see arm) */
    int fd;
    ino_t ino;                  /* fd's socket, while connecting */
    short events;
    enum pg_state state;
    int flushing;               /* PQflush said 1: wait for write readiness */
    pg_conn_done_fn *done;
    void *arg;
    PGresult **results;         /* of the query in flight */
    int nresults, cap;
    /* while the host name is looked up (pg is NULL): */
    struct eider_lookup *lookup;
    char **keys, **values;      /* the options, copied, NULL-terminated */
    char *host;                 /* the name looked up */
    int starting;               /* inside pg_conn_start */
    char start_err[512];        /* a failure while starting */
};

static void on_io(evutil_socket_t fd, short what, void *arg);

/* The inode of socket FD, which tells a new socket from a closed one
 * whose number it reuses; 0 if FD is not open. */
static ino_t socket_ino(int fd)
{
    struct stat st;

    return fd >= 0 && fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* The rearm timer: adds the event that arm() held back. */
static void on_rearm(evutil_socket_t fd, short what, void *arg)
{
    struct pg_conn *c = arg;

    (void)fd, (void)what;
    if (c->ev != NULL && !event_pending(c->ev, EV_READ | EV_WRITE, NULL))
        event_add(c->ev, NULL);
}

/* Watches C's current socket for EVENTS (EV_READ, EV_WRITE or both),
 * remaking the event only when the socket or the directions changed.
 * While connecting, libpq closes a socket that failed and opens the next
 * address's, often under the same number: epoll forgot the closed one,
 * and the worker's changelist would merge the old event's removal and the
 * new one's addition into no change at all, leaving the new socket
 * unwatched until the timeout. So a new socket under the old number is
 * added one turn of the loop later, after the removal reached epoll. */
static void arm(struct pg_conn *c, short events)
{
    int fd = c->pg ? PQsocket(c->pg) : -1;
    ino_t ino = c->state == PG_CONNECTING ? socket_ino(fd) : c->ino;
    int reused = c->ev != NULL && fd == c->fd && ino != c->ino;
    struct timeval now = { 0, 0 };

    if (c->ev != NULL && fd == c->fd && !reused && events == c->events)
        return;
    if (c->ev != NULL)
        event_free(c->ev);
    c->ev = NULL;
    c->fd = fd;
    c->ino = ino;
    c->events = events;
    if (fd < 0)
        return;
    c->ev = event_new(c->base, fd, events | EV_PERSIST, on_io, c);
    if (c->ev == NULL)
        eider_oom(sizeof(struct event *));
    if (reused)
        evtimer_add(c->rearm, &now);
    else
        event_add(c->ev, NULL);
}

/* Clears the results gathered so far. */
static void clear_results(struct pg_conn *c)
{
    for (int i = 0; i < c->nresults; i++)
        PQclear(c->results[i]);
    c->nresults = 0;
}

/* Forgets the copied options and the lookup, if any. */
static void forget_lookup(struct pg_conn *c)
{
    if (c->lookup != NULL)
        eider_lookup_cancel(c->lookup);
    c->lookup = NULL;
    for (int i = 0; c->keys && c->keys[i]; i++) {
        free(c->keys[i]);
        free(c->values[i]);
    }
    free(c->keys);
    free(c->values);
    free(c->host);
    c->keys = c->values = NULL;
    c->host = NULL;
}

/* Marks C broken: closes the socket now (the server sees the end of the
 * session at once), stops watching. */
static void close_broken(struct pg_conn *c)
{
    forget_lookup(c);
    c->state = PG_BROKEN;
    if (c->ev != NULL)
        event_free(c->ev);
    c->ev = NULL;
    c->fd = -1;
    evtimer_del(c->timer);
    if (c->pg != NULL)
        PQfinish(c->pg);
    c->pg = NULL;
    clear_results(c);
}

/* Ends the connect or query in flight with ERROR (NULL: success). C's
 * state is settled before the callback, which may reuse or free C: it is
 * not touched afterwards. The results move to the stack first. */
static void finish(struct pg_conn *c, const char *error)
{
    pg_conn_done_fn *done = c->done;
    void *arg = c->arg;
    PGresult **results = c->results;
    int n = c->nresults;
    char msg[512];

    c->done = NULL;
    c->results = NULL;
    c->nresults = c->cap = 0;
    evtimer_del(c->timer);
    if (error != NULL) {
        snprintf(msg, sizeof(msg), "%s", error);   /* PQerrorMessage dies with PQfinish */
        close_broken(c);
        error = msg;
    } else {
        c->state = PG_IDLE;
        arm(c, EV_READ);
    }
    if (done != NULL)
        done(results, n, error, arg);
    for (int i = 0; i < n; i++)
        PQclear(results[i]);
    free(results);
}

/* libpq's last error text without its trailing newline, or FALLBACK. */
static const char *pq_error(struct pg_conn *c, const char *fallback, char *buf, size_t len)
{
    const char *e = c->pg ? PQerrorMessage(c->pg) : "";
    size_t n;

    if (e == NULL || *e == '\0')
        return fallback;
    snprintf(buf, len, "%s", e);
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return buf;
}

/* PQconnectPoll went one step further: watch what it asks, or end. */
static void step_connect(struct pg_conn *c)
{
    char buf[512];

    switch (PQconnectPoll(c->pg)) {
    case PGRES_POLLING_READING:
        arm(c, EV_READ);
        return;
    case PGRES_POLLING_WRITING:
        arm(c, EV_WRITE);
        return;
    case PGRES_POLLING_OK:
        if (PQsetnonblocking(c->pg, 1) != 0) {
            finish(c, pq_error(c, "cannot make the connection non-blocking", buf, sizeof(buf)));
            return;
        }
        finish(c, NULL);
        return;
    default:
        finish(c, pq_error(c, "connection failed", buf, sizeof(buf)));
        return;
    }
}

/* Reads what arrived for the query in flight and gathers its results;
 * ends it once libpq has no more (PQgetResult gives NULL). */
static void step_query(struct pg_conn *c)
{
    char buf[512];

    if (!PQconsumeInput(c->pg)) {
        finish(c, pq_error(c, "Connection terminated unexpectedly", buf, sizeof(buf)));
        return;
    }
    while (!PQisBusy(c->pg)) {
        PGresult *r = PQgetResult(c->pg);
        ExecStatusType st;

        if (r == NULL) {
            finish(c, NULL);
            return;
        }
        st = PQresultStatus(r);
        if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
            PQclear(r);
            finish(c, "COPY is not supported: use INSERT with parameters");
            return;
        }
        if (c->nresults == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 2;
            c->results = eider_realloc(c->results, (size_t)c->cap * sizeof(*c->results));
        }
        c->results[c->nresults++] = r;
    }
}

/* Sends what libpq still holds; then only reading is wanted. Returns -1
 * (C finished with an error) if the connection failed. */
static int flush(struct pg_conn *c)
{
    char buf[512];
    int r = PQflush(c->pg);

    if (r < 0) {
        finish(c, pq_error(c, "Connection terminated unexpectedly", buf, sizeof(buf)));
        return -1;
    }
    c->flushing = r == 1;
    arm(c, c->flushing ? EV_READ | EV_WRITE : EV_READ);
    return 0;
}

/* The socket is ready: move the connect or the query on. An idle
 * connection that becomes readable was closed by the server, or got a
 * notice: consume it, and close a connection that ended. */
static void on_io(evutil_socket_t fd, short what, void *arg)
{
    struct pg_conn *c = arg;

    (void)fd;
    switch (c->state) {
    case PG_CONNECTING:
        step_connect(c);
        break;
    case PG_BUSY:
        if ((what & EV_WRITE) && c->flushing && flush(c) < 0)
            return;
        if (what & EV_READ)
            step_query(c);
        break;
    case PG_IDLE:
        if (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK) {
            close_broken(c);
            break;
        }
        for (PGnotify *n; (n = PQnotifies(c->pg)) != NULL;)
            PQfreemem(n);
        break;
    case PG_BROKEN:
        break;
    }
}

/* The connect or the query took too long. */
static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct pg_conn *c = arg;

    (void)fd, (void)what;
    finish(c, c->state == PG_CONNECTING ? "timeout expired while connecting"
                                        : "Query read timeout");
}

/* libpq's notices (NOTICE, WARNING from the server) go to the debug log,
 * not to the worker's stderr. */
static void on_notice(void *arg, const char *message)
{
    (void)arg;
    eider_log(EIDER_LOG_DEBUG, "postgresql: %s", message);
}

/* Arms the timeout timer for TIMEOUT_MS (> 0). */
static void arm_timeout(struct pg_conn *c, long timeout_ms)
{
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

    if (timeout_ms > 0)
        evtimer_add(c->timer, &tv);
}

/* The connection string in a "dbname" value that libpq expands: a URI or
 * keyword=value pairs (libpq's recognized_connection_string()). */
static int is_conninfo(const char *v)
{
    return strncmp(v, "postgresql://", 13) == 0 || strncmp(v, "postgres://", 11) == 0 ||
           strchr(v, '=') != NULL;
}

/* The host and hostaddr libpq would use with KEYS/VALUES (expand_dbname
 * set): the first dbname that is a connection string sets what it holds,
 * the other keywords set theirs in order, PGHOST/PGHOSTADDR fill what is
 * left. Copies them into HOST and HOSTADDR (LEN bytes each, "" for none).
 * A service file's host is not seen (libpq then resolves it). */
static void effective_host(const char *const *keys, const char *const *values, char *host,
                           char *hostaddr, size_t len)
{
    int expanded = 0;

    host[0] = hostaddr[0] = '\0';
    for (int i = 0; keys[i] != NULL; i++) {
        if (values[i] == NULL || values[i][0] == '\0')
            continue;
        if (strcmp(keys[i], "dbname") == 0 && !expanded && is_conninfo(values[i])) {
            PQconninfoOption *opts = PQconninfoParse(values[i], NULL);
            expanded = 1;
            for (PQconninfoOption *o = opts; o && o->keyword; o++)
                if (o->val != NULL && strcmp(o->keyword, "host") == 0)
                    snprintf(host, len, "%s", o->val);
                else if (o->val != NULL && strcmp(o->keyword, "hostaddr") == 0)
                    snprintf(hostaddr, len, "%s", o->val);
            PQconninfoFree(opts);
        } else if (strcmp(keys[i], "host") == 0) {
            snprintf(host, len, "%s", values[i]);
        } else if (strcmp(keys[i], "hostaddr") == 0) {
            snprintf(hostaddr, len, "%s", values[i]);
        }
    }
    if (host[0] == '\0' && getenv("PGHOST"))
        snprintf(host, len, "%s", getenv("PGHOST"));
    if (hostaddr[0] == '\0' && getenv("PGHOSTADDR"))
        snprintf(hostaddr, len, "%s", getenv("PGHOSTADDR"));
}

/* Starts libpq's connect with KEYS/VALUES. Returns 0, or -1 with the
 * reason in err (C has no PGconn then). */
static int begin(struct pg_conn *c, const char *const *keys, const char *const *values, char *err,
                 size_t errlen)
{
    char buf[512];

    c->pg = PQconnectStartParams(keys, values, 1);
    if (c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD) {
        snprintf(err, errlen, "%s", c->pg ? pq_error(c, "cannot connect", buf, sizeof(buf))
                                          : "out of memory");
        if (c->pg != NULL)
            PQfinish(c->pg);
        c->pg = NULL;
        return -1;
    }
    PQsetNoticeProcessor(c->pg, on_notice, NULL);
    arm(c, EV_WRITE);   /* libpq: behave as if the last poll said PGRES_POLLING_WRITING */
    return 0;
}

/* Ends the start of C with ERR: kept for pg_conn_start to return while
 * inside it, else DONE gets it from here (the loop). */
static void start_failed(struct pg_conn *c, const char *err)
{
    if (c->starting) {
        snprintf(c->start_err, sizeof(c->start_err), "%s", err);
        return;
    }
    finish(c, err);
}

/* N copies of NAME joined by commas, malloc'd ("" for N 0). */
static char *repeat_list(const char *name, int n)
{
    size_t len = strlen(name) + 1;
    char *s = eider_malloc(len * (size_t)(n > 0 ? n : 1));

    s[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i > 0)
            strcat(s, ",");
        strcat(s, name);
    }
    return s;
}

/* The host name's addresses (resolve.h): libpq connects with them as
 * hostaddr, the name as host, one entry per address; or the connect fails
 * as libpq says a name it cannot resolve. */
static void on_resolved(void *arg, const struct sockaddr_storage *addrs, int naddrs, const char *error)
{
    struct pg_conn *c = arg;
    char err[512], ip[64], hostaddr[EIDER_RESOLVE_MAX * 64] = "";
    const char **keys, **values;
    int n = 0, rc;

    c->lookup = NULL;
    if (error != NULL) {
        snprintf(err, sizeof(err), "could not translate host name \"%s\" to address: %s", c->host, error);
        start_failed(c, err);
        return;
    }
    for (int i = 0; i < naddrs; i++)
        snprintf(hostaddr + strlen(hostaddr), sizeof(hostaddr) - strlen(hostaddr), "%s%s",
                 i ? "," : "", eider_addr_text(&addrs[i], ip, sizeof(ip)));
    while (c->keys[n] != NULL)
        n++;
    keys = eider_calloc((size_t)n + 3, sizeof(*keys));
    values = eider_calloc((size_t)n + 3, sizeof(*values));
    memcpy(keys, c->keys, (size_t)n * sizeof(*keys));
    memcpy(values, c->values, (size_t)n * sizeof(*values));
    keys[n] = "host";       /* later keywords win: these override what came before */
    values[n] = repeat_list(c->host, naddrs);
    keys[n + 1] = "hostaddr";
    values[n + 1] = hostaddr;
    rc = begin(c, keys, values, err, sizeof(err));
    free((char *)values[n]);
    free(keys);
    free(values);
    forget_lookup(c);
    if (rc < 0)
        start_failed(c, err);
}

/* Looks C's host name up when libpq would resolve one by itself (see the
 * top): copies the options for later and starts the lookup. Returns 1 if
 * it did (and the connect goes on in on_resolved), 0 if libpq can be
 * given the options as they are. */
static int resolve_first(struct pg_conn *c, struct eider_resolver *resolver,
                         const char *const *keys, const char *const *values)
{
    char host[256], hostaddr[256];
    struct eider_lookup *q;
    int n = 0;

    effective_host(keys, values, host, hostaddr, sizeof(host));
    if (resolver == NULL || hostaddr[0] != '\0' || host[0] == '\0' || host[0] == '/' ||
        host[0] == '@' || strchr(host, ',') != NULL || eider_is_ip_literal(host))
        return 0;
    while (keys[n] != NULL)
        n++;
    c->keys = eider_calloc((size_t)n + 1, sizeof(*c->keys));
    c->values = eider_calloc((size_t)n + 1, sizeof(*c->values));
    for (int i = 0; i < n; i++) {
        c->keys[i] = eider_strdup(keys[i]);
        c->values[i] = eider_strdup(values[i] ? values[i] : "");
    }
    c->host = eider_strdup(host);
    q = eider_resolve(resolver, host, 5432, on_resolved, c);
    if (q != NULL)
        c->lookup = q;
    return 1;
}

struct pg_conn *pg_conn_start(struct event_base *base, struct eider_resolver *resolver,
                              const char *const *keys, const char *const *values, long timeout_ms,
                              pg_conn_done_fn *done, void *arg, char *err, size_t errlen)
{
    struct pg_conn *c = eider_calloc(1, sizeof(*c));

    c->base = base;
    c->fd = -1;
    c->state = PG_CONNECTING;
    c->timer = evtimer_new(base, on_timeout, c);
    c->rearm = evtimer_new(base, on_rearm, c);
    if (c->timer == NULL || c->rearm == NULL)
        eider_oom(sizeof(struct event *));
    c->starting = 1;
    if (!resolve_first(c, resolver, keys, values))
        begin(c, keys, values, c->start_err, sizeof(c->start_err));
    c->starting = 0;
    if (c->pg == NULL && c->lookup == NULL) {
        snprintf(err, errlen, "%s", c->start_err[0] ? c->start_err : "cannot connect");
        pg_conn_free(c);
        return NULL;
    }
    c->done = done;
    c->arg = arg;
    arm_timeout(c, timeout_ms);
    return c;
}

int pg_conn_query(struct pg_conn *c, const char *text, int nparams, const char *const *values,
                  const int *lengths, const int *formats, long timeout_ms, pg_conn_done_fn *done,
                  void *arg, char *err, size_t errlen)
{
    char buf[512];
    int ok;

    if (c->state != PG_IDLE) {
        snprintf(err, errlen, "%s", c->state == PG_BUSY ? "the connection is busy with another query"
                                                        : "Connection terminated unexpectedly");
        return -1;
    }
    ok = nparams < 0 ? PQsendQuery(c->pg, text)
                     : PQsendQueryParams(c->pg, text, nparams, NULL, values, lengths, formats, 0);
    if (!ok) {
        snprintf(err, errlen, "%s", pq_error(c, "cannot send the query", buf, sizeof(buf)));
        if (PQstatus(c->pg) != CONNECTION_OK)
            close_broken(c);
        return -1;
    }
    /* Flushed here rather than through flush(), whose failure would call
     * DONE before the caller has anything waiting. */
    ok = PQflush(c->pg);
    if (ok < 0) {
        snprintf(err, errlen, "%s", pq_error(c, "Connection terminated unexpectedly", buf, sizeof(buf)));
        close_broken(c);
        return -1;
    }
    c->state = PG_BUSY;
    c->done = done;
    c->arg = arg;
    c->flushing = ok == 1;
    arm_timeout(c, timeout_ms);
    arm(c, c->flushing ? EV_READ | EV_WRITE : EV_READ);
    return 0;
}

int pg_conn_alive(const struct pg_conn *c)
{
    return c->state != PG_BROKEN && c->state != PG_CONNECTING && c->pg != NULL &&
           PQstatus(c->pg) == CONNECTION_OK;
}

PGTransactionStatusType pg_conn_tx_status(const struct pg_conn *c)
{
    return c->pg ? PQtransactionStatus(c->pg) : PQTRANS_UNKNOWN;
}

void pg_conn_free(struct pg_conn *c)
{
    if (c == NULL)
        return;
    if (c->ev != NULL)
        event_free(c->ev);
    if (c->timer != NULL)
        event_free(c->timer);
    if (c->rearm != NULL)
        event_free(c->rearm);
    if (c->pg != NULL)
        PQfinish(c->pg);
    forget_lookup(c);
    clear_results(c);
    free(c->results);
    free(c);
}
