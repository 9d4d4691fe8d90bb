/*
 * require('eider/pg-native'): the natives under require('pg')
 * (framework/js/lib/pg.js, which holds the Pool, Client, type parsers and
 * errors). Each connection is a pg_conn.h connection on the worker's loop,
 * known to JavaScript by a number; a connect or query returns a deferred
 * Promise (eider_js_deferred) that the loop settles; a query calls back the
 * function pg.js gives it (its Promise is pg.js's).
 *
 * What C does for speed: rows are built here as objects (or arrays in
 * rowMode 'array'), NULL as null, bool, int2/int4/oid/float4/float8 as
 * numbers and json/jsonb parsed; every other type is the server's text,
 * which pg.js's parsers turn into Date, Buffer or arrays by type OID. A
 * failed statement rejects with an Error carrying node-postgres's fields
 * (code = SQLSTATE, detail, constraint, ...). Parameters are passed apart
 * from the text (PQsendQueryParams): a string as text, a Buffer as binary,
 * null as SQL NULL; nothing is ever put into the SQL text here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "config.h"
#include "js_internal.h"
#include "pg_conn.h"

/* A connection of the heap, and the Promise of what it is doing. */
struct js_pg_conn {
    struct eider_js *js;
    LIST_ENTRY(js_pg_conn) link;   /* in js->pgs */
    struct pg_conn *conn;
    int id;
    int ref;                       /* deferred Promise of the connect; 0: none */
    int array_mode;                /* rows as arrays */
};

/* Type OIDs whose values C converts (pg_type.dat). */
enum {
    OID_BOOL = 16, OID_INT2 = 21, OID_INT4 = 23, OID_OID = 26, OID_JSON = 114,
    OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_JSONB = 3802,
};

/* node-postgres's names for the error fields of a PGresult. */
static const struct {
    int field;
    const char *name;
} error_fields[] = {
    { PG_DIAG_SEVERITY, "severity" },
    { PG_DIAG_SQLSTATE, "code" },
    { PG_DIAG_MESSAGE_DETAIL, "detail" },
    { PG_DIAG_MESSAGE_HINT, "hint" },
    { PG_DIAG_STATEMENT_POSITION, "position" },
    { PG_DIAG_INTERNAL_POSITION, "internalPosition" },
    { PG_DIAG_INTERNAL_QUERY, "internalQuery" },
    { PG_DIAG_CONTEXT, "where" },
    { PG_DIAG_SCHEMA_NAME, "schema" },
    { PG_DIAG_TABLE_NAME, "table" },
    { PG_DIAG_COLUMN_NAME, "column" },
    { PG_DIAG_DATATYPE_NAME, "dataType" },
    { PG_DIAG_CONSTRAINT_NAME, "constraint" },
    { PG_DIAG_SOURCE_FILE, "file" },
    { PG_DIAG_SOURCE_LINE, "line" },
    { PG_DIAG_SOURCE_FUNCTION, "routine" },
};

/* The connection numbered by argument IDX, or a TypeError. */
static struct js_pg_conn *conn_arg(duk_context *ctx, duk_idx_t idx)
{
    struct eider_js *js = eider_js_of(ctx);
    int id = duk_get_int(ctx, idx);
    struct js_pg_conn *p;

    LIST_FOREACH(p, &js->pgs, link)
        if (p->id == id)
            return p;
    (void)duk_type_error(ctx, "pg: this connection was closed");
    return NULL;
}

/* Forgets P and closes its connection. */
static void drop(struct js_pg_conn *p)
{
    LIST_REMOVE(p, link);
    pg_conn_free(p->conn);
    free(p);
}

/* Pushes the Error of failed result R with node-postgres's fields. */
static void push_db_error(duk_context *ctx, const PGresult *r)
{
    const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

    duk_push_error_object(ctx, DUK_ERR_ERROR, "%s", msg ? msg : PQresultErrorMessage(r));
    for (size_t i = 0; i < sizeof(error_fields) / sizeof(error_fields[0]); i++) {
        const char *v = PQresultErrorField(r, error_fields[i].field);
        if (v == NULL)
            continue;
        duk_push_string(ctx, v);
        duk_put_prop_string(ctx, -2, error_fields[i].name);
    }
}

/* Pushes column C of row ROW of R as JavaScript sees it (see the top). */
static void push_value(duk_context *ctx, const PGresult *r, int row, int c, Oid type)
{
    const char *v = PQgetvalue(r, row, c);
    size_t len = (size_t)PQgetlength(r, row, c);

    if (PQgetisnull(r, row, c)) {
        duk_push_null(ctx);
        return;
    }
    switch (type) {
    case OID_BOOL:
        duk_push_boolean(ctx, v[0] == 't');
        return;
    case OID_INT2: case OID_INT4: case OID_OID: case OID_FLOAT4: case OID_FLOAT8:
        duk_push_number(ctx, strtod(v, NULL));   /* also NaN, Infinity, -Infinity */
        return;
    case OID_JSON: case OID_JSONB:
        if (eider_js_json_parse_utf8(ctx, v, len) != 0) {
            eider_js_push_utf8(ctx, v, len);
            eider_js_json_parse(ctx, -1);
        }
        return;
    default:
        eider_js_push_utf8(ctx, v, len);
        return;
    }
}

/* Pushes { command, rowCount, oid, fields, rows } of successful result R;
 * ARRAY_MODE makes each row an array. */
static void push_result(duk_context *ctx, const PGresult *r, int array_mode)
{
    int nrows = PQntuples(r), ncols = PQnfields(r);
    const char *status = PQcmdStatus((PGresult *)r), *tuples = PQcmdTuples((PGresult *)r);
    duk_idx_t names;

    duk_push_object(ctx);
    duk_push_lstring(ctx, status, strcspn(status, " "));
    duk_put_prop_string(ctx, -2, "command");
    if (*tuples)
        duk_push_number(ctx, strtod(tuples, NULL));
    else
        duk_push_null(ctx);
    duk_put_prop_string(ctx, -2, "rowCount");
    if (PQoidValue(r) != InvalidOid)
        duk_push_number(ctx, PQoidValue(r));
    else
        duk_push_null(ctx);
    duk_put_prop_string(ctx, -2, "oid");
    names = duk_push_array(ctx);   /* the column names, interned once */
    duk_push_array(ctx);
    for (int c = 0; c < ncols; c++) {
        duk_push_string(ctx, PQfname(r, c));
        duk_dup_top(ctx);
        duk_put_prop_index(ctx, names, (duk_uarridx_t)c);
        duk_push_object(ctx);
        duk_swap_top(ctx, -2);
        duk_put_prop_string(ctx, -2, "name");
        duk_push_number(ctx, PQftable(r, c));
        duk_put_prop_string(ctx, -2, "tableID");
        duk_push_int(ctx, PQftablecol(r, c));
        duk_put_prop_string(ctx, -2, "columnID");
        duk_push_number(ctx, PQftype(r, c));
        duk_put_prop_string(ctx, -2, "dataTypeID");
        duk_push_int(ctx, PQfsize(r, c));
        duk_put_prop_string(ctx, -2, "dataTypeSize");
        duk_push_int(ctx, PQfmod(r, c));
        duk_put_prop_string(ctx, -2, "dataTypeModifier");
        duk_push_string(ctx, "text");
        duk_put_prop_string(ctx, -2, "format");
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)c);
    }
    duk_put_prop_string(ctx, -3, "fields");
    duk_push_array(ctx);
    for (int row = 0; row < nrows; row++) {
        if (array_mode)
            duk_push_array(ctx);
        else
            duk_push_object(ctx);
        for (int c = 0; c < ncols; c++) {
            if (!array_mode)
                duk_get_prop_index(ctx, names, (duk_uarridx_t)c);
            push_value(ctx, r, row, c, PQftype(r, c));
            if (array_mode)
                duk_put_prop_index(ctx, -2, (duk_uarridx_t)c);
            else
                duk_put_prop(ctx, -3);
        }
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)row);
    }
    duk_put_prop_string(ctx, -3, "rows");
    duk_pop(ctx);                  /* names */
}

/* What a query ended with, for push_outcome under duk_safe_call. */
struct outcome {
    PGresult *const *results;
    int n;
    int array_mode;
    int failed;                    /* out: a statement failed */
};

/* duk_safe_call body: pushes the result (an array of them for several
 * statements) or the Error of the first failed statement. */
static duk_ret_t push_outcome(duk_context *ctx, void *udata)
{
    struct outcome *o = udata;

    for (int i = 0; i < o->n; i++) {
        ExecStatusType st = PQresultStatus(o->results[i]);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
            push_db_error(ctx, o->results[i]);
            o->failed = 1;
            return 1;
        }
    }
    if (o->n == 1) {
        push_result(ctx, o->results[0], o->array_mode);
        return 1;
    }
    duk_push_array(ctx);
    for (int i = 0; i < o->n; i++) {
        push_result(ctx, o->results[i], o->array_mode);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    return 1;
}

#define STASH_AFTER "pgAfter"   /* connection id -> after() of its query */

/* Pushes and forgets the after() native.query got for connection ID;
 * returns 0 (nothing pushed) if it got none. */
static int take_after(duk_context *ctx, int id)
{
    duk_push_heap_stash(ctx);
    if (!duk_get_prop_literal(ctx, -1, STASH_AFTER)) {
        duk_pop_2(ctx);
        return 0;
    }
    duk_get_prop_index(ctx, -1, (duk_uarridx_t)id);
    duk_del_prop_index(ctx, -2, (duk_uarridx_t)id);
    duk_remove(ctx, -2);
    duk_remove(ctx, -2);
    if (duk_is_function(ctx, -1))
        return 1;
    duk_pop(ctx);
    return 0;
}

/* A query of the connection ARG ended: call its after(value, failed)
 * from the loop, then run the microtasks. pg.js settles the query's
 * Promise in after(), so a query costs no then() and no Promise of C's.
 * P may be gone once after() returns. */
static void on_query(PGresult *const *results, int n, const char *error, void *arg)
{
    struct js_pg_conn *p = arg;
    struct eider_js *js = p->js;
    duk_context *ctx = js->ctx;
    struct outcome o = { results, n, p->array_mode, 0 };
    int rc = 0;

    if (error != NULL)
        duk_push_error_object(ctx, DUK_ERR_ERROR, "%s", error);
    else
        rc = duk_safe_call(ctx, push_outcome, &o, 0, 1);
    if (!take_after(ctx, p->id)) {             /* cannot happen: close() forgets the query */
        duk_pop(ctx);
        return;
    }
    duk_swap_top(ctx, -2);                     /* [after value] */
    duk_push_boolean(ctx, error != NULL || rc != 0 || o.failed);
    eider_js_enter(js);
    if (duk_pcall(ctx, 2) != 0)
        eider_js_log_error(ctx, -1, "the end of a pg query");
    duk_pop(ctx);
    eider_js_drain(ctx);
    eider_js_leave(js);
    eider_js_maybe_gc(js);
}

/* The connect of ARG ended: settle its Promise with the connection's
 * number, or reject it and forget the connection. */
static void on_connect(PGresult *const *results, int n, const char *error, void *arg)
{
    struct js_pg_conn *p = arg;
    duk_context *ctx = p->js->ctx;
    int ref = p->ref;

    (void)results, (void)n;
    p->ref = 0;
    if (error != NULL) {
        duk_push_error_object(ctx, DUK_ERR_ERROR, "%s", error);
        drop(p);
    } else {
        duk_push_int(ctx, p->id);
    }
    eider_js_settle(ctx, ref, error != NULL);
}

/* native.connect(keys, values, timeoutMs): a Promise of the number of a
 * new connection made with libpq's keywords KEYS and their VALUES. */
static duk_ret_t native_connect(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    duk_size_t n = duk_get_length(ctx, 0);
    const char **keys, **values;
    struct js_pg_conn *p;
    char err[512];

    if (js->base == NULL)
        return duk_error(ctx, DUK_ERR_ERROR, "pg: no database connections while checking the configuration");
    if (duk_get_length(ctx, 1) != n || n > 64)
        return duk_type_error(ctx, "pg: connection keywords and values do not pair");
    keys = eider_calloc(n + 1, sizeof(*keys));
    values = eider_calloc(n + 1, sizeof(*values));
    for (duk_size_t i = 0; i < n; i++) {
        duk_get_prop_index(ctx, 0, (duk_uarridx_t)i);
        duk_get_prop_index(ctx, 1, (duk_uarridx_t)i);
        keys[i] = duk_to_string(ctx, -2);   /* kept alive on the stack */
        values[i] = duk_to_string(ctx, -1);
    }
    p = eider_calloc(1, sizeof(*p));
    p->js = js;
    p->id = ++js->next_pg_id;
    p->conn = pg_conn_start(js->base, eider_js_resolver(js), keys, values,
                            (long)duk_get_number_default(ctx, 2, 0), on_connect, p, err, sizeof(err));
    free(keys);
    free(values);
    if (p->conn == NULL) {
        free(p);
        return duk_error(ctx, DUK_ERR_ERROR, "%s", err);
    }
    LIST_INSERT_HEAD(&js->pgs, p, link);
    p->ref = eider_js_deferred(ctx);
    return 1;
}

/* native.query(id, text, params, timeoutMs, arrayMode, after): sends the
 * query; AFTER is called from the loop with (result or error, failed).
 * PARAMS is an array of strings, Buffers and nulls ($1, $2, ...), or null
 * for the simple protocol (several statements, no parameters). */
static duk_ret_t native_query(duk_context *ctx)
{
    struct js_pg_conn *p = conn_arg(ctx, 0);
    const char *text = duk_require_string(ctx, 1);
    int nparams = duk_is_array(ctx, 2) ? (int)duk_get_length(ctx, 2) : -1;
    const char **values = NULL;
    int *lengths = NULL, *formats = NULL, rc;
    char err[512];

    duk_require_function(ctx, 5);
    if (nparams > 65535)
        return duk_range_error(ctx, "pg: at most 65535 parameters in one query");
    if (nparams > 0) {
        values = eider_calloc((size_t)nparams, sizeof(*values));
        lengths = eider_calloc((size_t)nparams, sizeof(*lengths));
        formats = eider_calloc((size_t)nparams, sizeof(*formats));
    }
    for (int i = 0; i < nparams; i++) {
        duk_size_t len = 0;
        duk_get_prop_index(ctx, 2, (duk_uarridx_t)i);   /* kept alive on the stack */
        if (duk_is_buffer_data(ctx, -1)) {
            void *data = duk_get_buffer_data(ctx, -1, &len);
            values[i] = data ? data : "";
            formats[i] = 1;
        } else if (!duk_is_null_or_undefined(ctx, -1)) {
            values[i] = duk_to_lstring(ctx, -1, &len);
        }
        lengths[i] = (int)len;
    }
    rc = pg_conn_query(p->conn, text, nparams, values, lengths, formats,
                       (long)duk_get_number_default(ctx, 3, 0), on_query, p, err, sizeof(err));
    free(values);
    free(lengths);
    free(formats);
    if (rc != 0)
        return duk_error(ctx, DUK_ERR_ERROR, "%s", err);
    p->array_mode = duk_to_boolean(ctx, 4);
    duk_push_heap_stash(ctx);
    if (!duk_get_prop_literal(ctx, -1, STASH_AFTER)) {
        duk_pop(ctx);
        duk_push_bare_object(ctx);
        duk_dup_top(ctx);
        duk_put_prop_literal(ctx, -3, STASH_AFTER);
    }
    duk_dup(ctx, 5);
    duk_put_prop_index(ctx, -2, (duk_uarridx_t)p->id);
    return 0;
}

/* native.alive(id): whether the connection can take a query. */
static duk_ret_t native_alive(duk_context *ctx)
{
    duk_push_boolean(ctx, pg_conn_alive(conn_arg(ctx, 0)->conn));
    return 1;
}

/* native.txStatus(id): 'idle', 'active', 'intrans', 'inerror' or
 * 'unknown' (libpq's PQtransactionStatus). */
static duk_ret_t native_tx_status(duk_context *ctx)
{
    static const char *const names[] = { "idle", "active", "intrans", "inerror", "unknown" };
    unsigned s = (unsigned)pg_conn_tx_status(conn_arg(ctx, 0)->conn);

    duk_push_string(ctx, s < 5 ? names[s] : "unknown");
    return 1;
}

/* native.close(id): closes the connection; a Promise it owed is never
 * settled (pg.js rejects its own). Unknown ids are ignored. */
static duk_ret_t native_close(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    int id = duk_get_int(ctx, 0);
    struct js_pg_conn *p;

    LIST_FOREACH(p, &js->pgs, link)
        if (p->id == id) {
            drop(p);
            if (take_after(ctx, id))           /* of a query it will never end */
                duk_pop(ctx);
            break;
        }
    return 0;
}

/* native.database(name): { connectionString, max } of pg_database NAME
 * in eider.conf, or undefined. */
static duk_ret_t native_database(duk_context *ctx)
{
    const struct eider_config *cfg = eider_js_of(ctx)->cfg;
    const char *name = duk_require_string(ctx, 0);

    for (size_t i = 0; cfg != NULL && i + 2 < cfg->npg_databases; i += 3) {
        if (strcmp(cfg->pg_databases[i], name) != 0)
            continue;
        duk_push_object(ctx);
        duk_push_string(ctx, cfg->pg_databases[i + 1]);
        duk_put_prop_string(ctx, -2, "connectionString");
        if (cfg->pg_databases[i + 2][0]) {
            duk_push_int(ctx, atoi(cfg->pg_databases[i + 2]));
            duk_put_prop_string(ctx, -2, "max");
        }
        return 1;
    }
    return 0;
}

static const duk_function_list_entry natives[] = {
    { "connect", native_connect, 3 },
    { "query", native_query, 6 },
    { "alive", native_alive, 1 },
    { "txStatus", native_tx_status, 1 },
    { "close", native_close, 1 },
    { "database", native_database, 1 },
    { NULL, NULL, 0 },
};

void eider_js_pg_push(duk_context *ctx)
{
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, natives);
}

/* Closes every connection of JS without settling anything (the heap goes
 * next). */
void eider_js_pg_free(struct eider_js *js)
{
    while (!LIST_EMPTY(&js->pgs))
        drop(LIST_FIRST(&js->pgs));
}
