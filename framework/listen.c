/*
 * Binding listeners. With "reuseport", each worker gets its own socket and
 * the kernel spreads connections; otherwise all workers accept on one.
 * The master owns the sockets: a reload reuses them, never re-binds.
 */
#include "alloc.h"
#include "listen.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

/* A socket file left by an earlier run is removed if nothing answers on
 * it; one in use, or a file of another kind, is an error. */
static int clear_stale_socket(const struct eider_listen *l, char *err, size_t errlen)
{
    const struct sockaddr_un *sun = (const struct sockaddr_un *)&l->addr;
    struct stat st;
    int fd, in_use;

    if (lstat(sun->sun_path, &st) < 0)
        return 0;
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen, "listen %s: the path exists and is not a socket", l->text);
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    in_use = fd >= 0 && connect(fd, (const struct sockaddr *)sun, l->addrlen) == 0;
    if (fd >= 0)
        close(fd);
    if (in_use) {
        snprintf(err, errlen, "listen %s: another server is listening on that socket", l->text);
        return -1;
    }
    unlink(sun->sun_path);
    return 0;
}

/* Mode and owner of a unix socket file, as the listen options say. */
static int set_socket_file(const struct eider_listen *l, char *err, size_t errlen)
{
    const char *path = ((const struct sockaddr_un *)&l->addr)->sun_path;

    if (l->mode >= 0 && chmod(path, (mode_t)l->mode) < 0) {
        snprintf(err, errlen, "listen %s: chmod: %s", l->text, strerror(errno));
        return -1;
    }
    if ((l->owner >= 0 || l->group >= 0)
        && chown(path, (uid_t)l->owner, (gid_t)l->group) < 0) {
        snprintf(err, errlen, "listen %s: chown: %s", l->text, strerror(errno));
        return -1;
    }
    return 0;
}

static int open_one(const struct eider_listen *l, char *err, size_t errlen)
{
    int one = 1;
    int fd;

    if (l->addr.ss_family == AF_UNIX && clear_stale_socket(l, err, errlen) < 0)
        return -1;
    fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

    if (fd < 0) {
        snprintf(err, errlen, "listen %s: socket: %s", l->text, strerror(errno));
        return -1;
    }
    if (l->addr.ss_family != AF_UNIX)
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
                 errno == EADDRINUSE ? " (is another server on that port?)" : "");
        close(fd);
        return -1;
    }
    if (l->addr.ss_family == AF_UNIX && set_socket_file(l, err, errlen) < 0) {
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

static const struct eider_lsock *find(const struct eider_listeners *set, const struct eider_listen *l)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i].addrlen == l->addrlen && memcmp(&set->v[i].addr, &l->addr, l->addrlen) == 0)
            return &set->v[i];
    return NULL;
}

static int in_set(const struct eider_listeners *set, int fd)
{
    for (size_t i = 0; i < set->n; i++)
        for (int k = 0; k < set->v[i].count; k++)
            if (set->v[i].fds[k] == fd)
                return 1;
    return 0;
}

static void free_set(struct eider_listeners *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->v[i].fds);
        free(set->v[i].text);
    }
    free(set->v);
    set->v = NULL;
    set->n = 0;
}

int eider_listeners_plan(const struct eider_listeners *cur, struct eider_listeners *next,
                         const struct eider_config *cfg, int nworkers, char *err, size_t errlen)
{
    struct eider_listeners plan = { eider_calloc(cfg->nlistens + 1, sizeof(struct eider_lsock)), 0 };

    for (size_t i = 0; i < cfg->nlistens; i++, plan.n++) {
        const struct eider_listen *l = &cfg->listens[i];
        const struct eider_lsock *have = find(cur, l);
        struct eider_lsock *ls = &plan.v[i];
        int want = l->reuseport ? nworkers : 1, k = 0;

        if (have != NULL && have->reuseport != l->reuseport) {
            snprintf(err, errlen, "listen %s: reuseport cannot change on a reload; restart eider",
                     l->text);
            goto fail;
        }
        *ls = (struct eider_lsock){ .addr = l->addr, .addrlen = l->addrlen,
                                    .reuseport = l->reuseport, .text = eider_strdup(l->text),
                                    .fds = eider_calloc((size_t)want, sizeof(int)) };
        /* Reuse what is open (nothing queued on it is lost), bind the rest. */
        for (; have != NULL && k < have->count && k < want; k++)
            ls->fds[k] = have->fds[k];
        for (ls->count = k; ls->count < want; ls->count++)
            if ((ls->fds[ls->count] = open_one(l, err, errlen)) < 0)
                goto fail;
        if (have == NULL)
            eider_log(EIDER_LOG_NOTICE, "listening on %s%s%s%s",
                      l->addr.ss_family == AF_UNIX ? "" : l->ssl ? "https://" : "http://",
                      ls->text, l->addr.ss_family == AF_UNIX && l->ssl ? " (ssl)" : "",
                      ls->reuseport ? " (reuseport)" : "");
    }
    *next = plan;
    return 0;
fail:
    plan.n++;   /* the entry being built holds fds too */
    eider_listeners_retire(&plan, cur);
    return -1;
}

void eider_listeners_retire(struct eider_listeners *old, const struct eider_listeners *keep)
{
    for (size_t i = 0; i < old->n; i++) {
        int dropped = 0;
        for (int k = 0; k < old->v[i].count; k++)
            if (!in_set(keep, old->v[i].fds[k])) {
                close(old->v[i].fds[k]);
                dropped = 1;
            }
        if (dropped && old->v[i].addr.ss_family == AF_UNIX)
            unlink(((const struct sockaddr_un *)&old->v[i].addr)->sun_path);
        if (dropped && old->v[i].text != NULL && keep->n > 0)
            eider_log(EIDER_LOG_INFO, "closed listening socket(s) of %s", old->v[i].text);
    }
    free_set(old);
}

int eider_listeners_fds(const struct eider_listeners *set, const struct eider_config *cfg,
                        int index, int *fds, int max)
{
    int n = 0;

    for (size_t i = 0; i < cfg->nlistens && n < max; i++) {
        const struct eider_lsock *ls = &set->v[i];
        fds[n++] = ls->fds[ls->reuseport ? index % ls->count : 0];
    }
    return n;
}

void eider_listeners_close(struct eider_listeners *set)
{
    struct eider_listeners none = { NULL, 0 };
    eider_listeners_retire(set, &none);
}

void eider_listeners_close_others(const struct eider_listeners *set, const int *fds, int nfds)
{
    for (size_t i = 0; i < set->n; i++)
        for (int k = 0; k < set->v[i].count; k++) {
            int fd = set->v[i].fds[k], mine = 0;
            for (int j = 0; j < nfds; j++)
                mine |= fds[j] == fd;
            if (!mine)
                close(fd);   /* EBADF on a second close of a shared one is harmless */
        }
}
