/*
 * Loading and checking what a generation of workers will run, before any
 * worker is forked: at start, for eider -t, and at every reload.
 */
#ifndef EIDER_CHECK_H
#define EIDER_CHECK_H

#include <stddef.h>

struct eider_config;
struct eider_router;
struct eider_sources;

/* Loads what workers will load, to fail here rather than in them: the TLS
 * certificate and key (read here, as the master's user), and every
 * handler, compiled once in a throwaway runtime. When the master is root,
 * the handlers' top-level code runs in a child process that has dropped
 * privileges as a worker does, never as root. Returns 0 with the router and the
 * sources it read (for the workers to compile) in *router and *sources,
 * or -1 with the problem (file:line:column) in err. */
int eider_handlers_check(const struct eider_config *cfg, struct eider_router **router,
                         struct eider_sources **sources, char *err, size_t errlen);

#endif
