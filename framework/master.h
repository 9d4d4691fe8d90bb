/*
 * The master process: binds listeners, forks and supervises workers, and
 * turns signals into actions.
 */
#ifndef EIDER_MASTER_H
#define EIDER_MASTER_H

struct eider_config;
struct eider_router;

/* Runs the master until a stop signal; returns the process exit status. */
int eider_master_run(const struct eider_config *cfg, const struct eider_router *router);

#endif
