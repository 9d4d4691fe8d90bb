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

/* Makes SET match cfg's listen directives for NWORKERS workers. Sockets
 * already open for an address are kept (what is queued on them is not
 * lost), new addresses are bound, addresses no longer configured closed.
 * Returns 0, or -1 with err and SET unchanged. */
int eider_listeners_update(struct eider_listeners *set, const struct eider_config *cfg,
                           int nworkers, char *err, size_t errlen);

/* Fills fds (one per listen directive, in config order) for the worker
 * numbered INDEX of a generation; returns how many. */
int eider_listeners_fds(const struct eider_listeners *set, const struct eider_config *cfg,
                        int index, int *fds, int max);

void eider_listeners_close(struct eider_listeners *set);

#endif
