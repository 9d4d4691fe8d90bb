/*
 * Listening sockets, bound by the master, kept open across reloads.
 */
#ifndef EIDER_LISTEN_H
#define EIDER_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

struct eider_config;

struct eider_lsock {
    struct sockaddr_storage addr;
    socklen_t addrlen;
    int reuseport;
    int count;                  /* sockets: 1, or one per worker with reuseport */
    int *fds;
    char *text;                 /* as configured, for logs */
};

struct eider_listeners {
    struct eider_lsock *v;
    size_t n;
};

/* Builds in NEXT the listeners cfg asks for with NWORKERS workers. Sockets
 * CUR already has for an address are reused (what is queued on them is not
 * lost; NEXT and CUR then share those descriptors), new addresses are
 * bound. Returns 0, or -1 with err and nothing opened. CUR is unchanged. */
int eider_listeners_plan(const struct eider_listeners *cur, struct eider_listeners *next,
                         const struct eider_config *cfg, int nworkers, char *err, size_t errlen);

/* Closes every socket of OLD that KEEP does not use, and frees OLD: after a
 * reload commits (OLD = the previous set) or aborts (OLD = the new one). */
void eider_listeners_retire(struct eider_listeners *old, const struct eider_listeners *keep);

/* Fills fds (one per listen directive, in config order) for the worker
 * numbered INDEX of a generation; returns how many. */
int eider_listeners_fds(const struct eider_listeners *set, const struct eider_config *cfg,
                        int index, int *fds, int max);

/* Closes every socket of SET and frees it (a stopping master's last act). */
void eider_listeners_close(struct eider_listeners *set);

/* In a new worker: closes the sockets of SET that are not among its own
 * FDS (SET itself is the master's and stays as it is). */
void eider_listeners_close_others(const struct eider_listeners *set, const int *fds, int nfds);

#endif
