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

/* Request methods a handler can answer, as bits of a mask. */
enum eider_method {
    EIDER_GET, EIDER_HEAD, EIDER_POST, EIDER_PUT, EIDER_PATCH, EIDER_DELETE,
    EIDER_OPTIONS, EIDER_NMETHODS
};
extern const char *const eider_method_names[EIDER_NMETHODS];

struct eider_runtime_ops {
    const char *name;
    /* Creates a runtime and compiles every routed handler file, taking
     * module texts from SOURCES where it has them and adding every file
     * it reads from disk to it. Returns NULL with a message naming
     * file:line:column in err on failure. */
    void *(*create)(const struct eider_config *cfg, const struct eider_router *router,
                    struct eider_sources *sources, char *err, size_t errlen);
    void (*destroy)(void *rt);
    /* Bit mask (1 << enum eider_method) of the methods handler H answers;
     * HEAD is included whenever GET is. */
    unsigned (*methods)(void *rt, int h);
    /* Runs the handler for ex; the exchange is answered by the time it
     * returns (a later issue makes this asynchronous). */
    void (*handle)(void *rt, struct eider_exchange *ex);
    /* Engine heap bytes in use, for status and recycling decisions. */
    size_t (*heap_bytes)(void *rt);
};

extern const struct eider_runtime_ops eider_js_runtime;

#endif
