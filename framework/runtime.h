/*
 * The language runtime seen from the server: the HTTP glue only calls
 * through this table, so nothing outside js_*.c knows about Duktape.
 */
#ifndef EIDER_RUNTIME_H
#define EIDER_RUNTIME_H

#include <stddef.h>

struct eider_config;
struct eider_router;
struct eider_exchange;
struct eider_sources;
struct event_base;

/* Request methods a handler can answer, as bits of a mask. */
enum eider_method {
    EIDER_GET, EIDER_HEAD, EIDER_POST, EIDER_PUT, EIDER_PATCH, EIDER_DELETE,
    EIDER_OPTIONS, EIDER_NMETHODS
};
extern const char *const eider_method_names[EIDER_NMETHODS];

/* Lowers modern JavaScript or TypeScript at PATH (its text SRC, LEN
 * bytes) to ES5: lower.h's eider_lower with the caller's cache. Returns 0
 * with malloc'd code and source map, or -1 with "PATH:LINE:COL: ..." in
 * err. */
typedef int eider_lower_fn(const struct eider_config *cfg, const char *path, const char *src,
                           size_t len, char **code, size_t *codelen, char **map, size_t *maplen,
                           char *err, size_t errlen);

/* Lowers the files of PATHS (N) into the cache ahead of their loading,
 * side by side (lower.h's eider_lower_prefetch with the caller's cache). */
typedef void eider_prefetch_fn(const struct eider_config *cfg, const char *const *paths, size_t n);

/* eider test: request() of require('eider/test') hands the request to
 * this (run by cmd_test.c), which sends the handler runtime's answer to
 * the script runtime RT's ops->answered(RT, REF, ...) on a later loop
 * turn. HEADERS are NHEADERS "Name: value" strings; BODY (BODYLEN bytes)
 * is NULL for none. Returns 0, or -1 with the problem in err. */
typedef int eider_test_request_fn(void *arg, void *rt, int ref, const char *method,
                                  const char *target, const char *const *headers, int nheaders,
                                  const char *body, size_t bodylen, char *err, size_t errlen);

/* What a runtime is created with. */
struct eider_runtime_env {
    const struct eider_config *cfg;
    const struct eider_router *router;
    /* Module texts: taken from here where present; every file read from
     * disk is added. */
    struct eider_sources *sources;
    /* The worker's loop for timers and I/O; NULL in a check (eider -t),
     * where timers are accepted but never fire. */
    struct event_base *base;
    /* For files Duktape cannot take as they are; NULL refuses them. */
    eider_lower_fn *lower;
    /* In a check, for the modules a file requires; NULL: none. */
    eider_prefetch_fn *prefetch;
    /* A script (eider run) rather than handlers: router is NULL, modules
     * resolve from ROOT instead of the handlers root, console writes to
     * stdout and stderr, process.argv is SCRIPT_ARGV (SCRIPT_ARGC strings:
     * eider, the script's real path, its arguments), process.env is the
     * whole environment and process.exit() ends the process. */
    const char *root;
    const char *const *script_argv;
    int script_argc;
    /* eider test: where request() goes (with TEST_ARG); NULL elsewhere. */
    eider_test_request_fn *test_request;
    void *test_arg;
};

struct eider_runtime_ops {
    const char *name;
    /* Creates a runtime and compiles every routed handler file. Returns
     * NULL with a message naming file:line:column in err on failure. */
    void *(*create)(const struct eider_runtime_env *env, char *err, size_t errlen);
    void (*destroy)(void *rt);
    /* Bit mask (1 << enum eider_method) of the methods handler H answers;
     * HEAD is included whenever GET is. */
    unsigned (*methods)(void *rt, int h);
    /* Runs the handler for ex. The handler may answer now or later (from
     * a timer, I/O, a Promise); the HTTP glue arms request_timeout. */
    void (*handle)(void *rt, struct eider_exchange *ex);
    /* ex's connection has written everything its res.write() calls gave
     * it after one returned false: emit 'drain' on its res. */
    void (*drain)(void *rt, struct eider_exchange *ex);
    /* ex is answered and about to be freed: drop every reference to it. */
    void (*release)(void *rt, struct eider_exchange *ex);
    /* Engine heap bytes in use, for status and recycling decisions. */
    size_t (*heap_bytes)(void *rt);
    /* Runs the script at the real path PATH in a runtime created with
     * script_argv, then its loop (env.base) until nothing is pending.
     * Prints an uncaught error on stderr. Returns the exit status: 1 after
     * an uncaught error, else process.exitCode (0 by default). */
    int (*run)(void *rt, const char *path);
    /* eider test: the answer (as eider call prints it, LEN bytes) to the
     * request() that test_request got with REF; NULL ANSWER rejects it. */
    void (*answered)(void *rt, int ref, const char *answer, size_t len);
};

extern const struct eider_runtime_ops eider_js_runtime;

#endif
