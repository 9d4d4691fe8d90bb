/*
 * One PostgreSQL connection (libpq) on a libevent loop, never blocking it:
 * connect with PQconnectStartParams/PQconnectPoll, queries with
 * PQsendQueryParams in non-blocking mode, PQflush on write readiness,
 * PQconsumeInput/PQisBusy/PQgetResult on read readiness. The pool, type
 * parsing and errors as JavaScript sees them are js_pg.c's and
 * framework/js/lib/pg.js's; this file only moves bytes and PGresults.
 */
#ifndef EIDER_PG_CONN_H
#define EIDER_PG_CONN_H

#include <libpq-fe.h>
#include <stddef.h>

struct event_base;
struct eider_resolver;
struct pg_conn;

/* The end of a connect or a query. ERROR is NULL on success, else what
 * went wrong with the connection (it is then broken: pg_conn_alive() says
 * 0). A query's RESULTS (NRESULTS, one per statement; a failed statement is
 * a PGRES_FATAL_ERROR result, the connection still fine) belong to
 * pg_conn and are cleared after the callback returns. The callback may
 * start the next query or free the connection. */
typedef void pg_conn_done_fn(PGresult *const *results, int nresults, const char *error, void *arg);

/* Starts connecting on BASE with libpq's KEYS/VALUES (NULL-terminated;
 * "dbname" may be a connection string; copied as needed). One host given
 * by name is looked up first with RESOLVER (resolve.h), without blocking
 * (pg_conn.c says which hosts). DONE(ARG) is called from the loop once
 * connected or failed (a name that does not resolve: "could not translate
 * host name ..."); TIMEOUT_MS > 0 bounds the whole connect, lookup
 * included. Returns the connection, or NULL with the reason in err. */
struct pg_conn *pg_conn_start(struct event_base *base, struct eider_resolver *resolver,
                              const char *const *keys, const char *const *values, long timeout_ms,
                              pg_conn_done_fn *done, void *arg, char *err, size_t errlen);

/* Sends TEXT on idle connection C. NPARAMS < 0 uses the simple protocol
 * (several statements, no parameters); else VALUES/LENGTHS/FORMATS are
 * the parameters (a NULL value is SQL NULL, format 1 is binary). DONE(ARG)
 * gets the results from the loop; past TIMEOUT_MS (> 0) it gets an error
 * and the connection is closed: libpq 15's PQcancel would block the loop,
 * so a timed-out query is never waited for. Returns 0, or -1 with the
 * reason in err (nothing will be called). */
int pg_conn_query(struct pg_conn *c, const char *text, int nparams, const char *const *values,
                  const int *lengths, const int *formats, long timeout_ms, pg_conn_done_fn *done,
                  void *arg, char *err, size_t errlen);

/* 1 if C is connected and not broken (an idle connection is watched, so
 * a server that went away shows here), else 0. */
int pg_conn_alive(const struct pg_conn *c);

/* libpq's transaction status of C (PQTRANS_UNKNOWN once broken). */
PGTransactionStatusType pg_conn_tx_status(const struct pg_conn *c);

/* Closes C and frees it; no callback is called any more. NULL is fine. */
void pg_conn_free(struct pg_conn *c);

#endif
