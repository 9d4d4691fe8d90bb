/*
 * File-based routing: a handlers directory becomes a trie of path segments,
 * built once, matched per request without touching the file system.
 */
#ifndef EIDER_ROUTER_H
#define EIDER_ROUTER_H

#include <stddef.h>

#define EIDER_MAX_PARAMS 16
#define EIDER_MAX_SEGMENTS 64

struct eider_router;

struct eider_param {
    const char *name;          /* owned by the router */
    const char *value;         /* decoded, points into eider_match.buf */
    size_t len;
};

struct eider_match {
    int handler;               /* index into the router's files, or -1 */
    int nparams;
    struct eider_param params[EIDER_MAX_PARAMS];
    char *buf;                 /* decoded segments: small, or allocated
                                * (eider_match_clear frees it) */
    char small[64];            /* a short path's segments: no allocation */
};

/* Scans ROOT (an absolute directory path). Returns a router, or NULL with
 * a message in err (unreadable dir, two files for one route, ...). */
struct eider_router *eider_router_build(const char *root, char *err, size_t errlen);
void eider_router_free(struct eider_router *r);

/* The routed files, index = handler number, absolute paths. */
size_t eider_router_count(const struct eider_router *r);
const char *eider_router_file(const struct eider_router *r, size_t i);
/* The route pattern of handler i, e.g. "/users/[id]", for logs. */
const char *eider_router_pattern(const struct eider_router *r, size_t i);

/* Matches the raw PATH (no query) of LEN bytes. Returns the handler number
 * (also in m->handler) or -1 when nothing matches. m->buf is allocated
 * only when the path has segments; call eider_match_clear after use. */
int eider_router_match(const struct eider_router *r, const char *path, size_t len,
                       struct eider_match *m);
/* Frees what eider_router_match allocated in M (m->buf); M is reusable. */
void eider_match_clear(struct eider_match *m);

#endif
