/*
 * Binding listeners. With "reuseport", each worker gets its own socket and
 * the kernel spreads connections; otherwise all workers accept on one.
 */
#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"

static int open_one(const struct eider_listen *l, char *err, size_t errlen)
{
    int one = 1;
    int fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        snprintf(err, errlen, "listen %s: socket: %s", l->text, strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (l->reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0) {
        snprintf(err, errlen, "listen %s: SO_REUSEPORT: %s", l->text, strerror(errno));
        close(fd);
        return -1;
    }
    if (l->addr.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (const struct sockaddr *)&l->addr, l->addrlen) < 0) {
        snprintf(err, errlen, "listen %s: cannot bind: %s%s", l->text, strerror(errno),
                 errno == EADDRINUSE ? " (another server is on that port?)" : "");
        close(fd);
        return -1;
    }
    if (listen(fd, l->backlog) < 0) {
        snprintf(err, errlen, "listen %s: %s", l->text, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int eider_listen_open(const struct eider_listen *l, int count, int *fds,
                      char *err, size_t errlen)
{
    for (int i = 0; i < count; i++) {
        fds[i] = open_one(l, err, errlen);
        if (fds[i] < 0) {
            while (i-- > 0)
                close(fds[i]);
            return -1;
        }
    }
    return 0;
}
