/*
 * The master process: binds listeners, forks and supervises generations of
 * workers, and turns signals into actions.
 */
#ifndef EIDER_MASTER_H
#define EIDER_MASTER_H

#include <stddef.h>

#include "check.h"

struct eider_config;
struct eider_router;
struct eider_sources;

/* Runs the master with the loaded CFG, ROUTER and SOURCES (it takes them
 * over) until a stop signal; returns the process exit status. READY_FD
 * (or -1) is the daemon parent's pipe, told once workers accept. */
int eider_master_run(struct eider_config *cfg, struct eider_router *router,
                     struct eider_sources *sources, int ready_fd);

#endif
