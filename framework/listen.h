/*
 * Listening sockets, bound by the master before it forks workers.
 */
#ifndef EIDER_LISTEN_H
#define EIDER_LISTEN_H

#include <stddef.h>

struct eider_listen;

/* Opens COUNT non-blocking sockets bound to L (COUNT > 1 only with
 * SO_REUSEPORT) into fds. Returns 0, or -1 with a message in err; on
 * failure no socket is left open. */
int eider_listen_open(const struct eider_listen *l, int count, int *fds,
                      char *err, size_t errlen);

#endif
