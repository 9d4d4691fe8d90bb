/*
 * Binding listeners. With "reuseport", each worker gets its own socket and
 * the kernel spreads connections; otherwise all workers accept on one.
 * The master owns the sockets: a reload reuses them, never re-binds.
 */
#include "listen.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

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
                 errno == EADDRINUSE ? " (is another server on that port?)" : "");
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

static void close_fds(int *fds, int from, int to)
{
    for (int i = from; i < to; i++)
        close(fds[i]);
}

static struct eider_lsock *find(struct eider_listeners *set, const struct eider_listen *l)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i].addrlen == l->addrlen && memcmp(&set->v[i].addr, &l->addr, l->addrlen) == 0)
            return &set->v[i];
    return NULL;
}

/* Grows ls to COUNT sockets; on failure closes what it opened. */
static int grow(struct eider_lsock *ls, const struct eider_listen *l, int count,
                char *err, size_t errlen)
{
    int *fds = realloc(ls->fds, (size_t)count * sizeof(int));

    if (fds == NULL) {
        snprintf(err, errlen, "listen %s: out of memory", l->text);
        return -1;
    }
    ls->fds = fds;
    for (int i = ls->count; i < count; i++) {
        if ((fds[i] = open_one(l, err, errlen)) < 0) {
            close_fds(fds, ls->count, i);
            return -1;
        }
    }
    return 0;
}

int eider_listeners_update(struct eider_listeners *set, const struct eider_config *cfg,
                           int nworkers, char *err, size_t errlen)
{
    struct eider_lsock *next = calloc(cfg->nlistens, sizeof(*next));
    int *old_count = calloc(cfg->nlistens, sizeof(int));   /* -1: newly opened */
    size_t i;

    for (i = 0; i < cfg->nlistens; i++) {
        const struct eider_listen *l = &cfg->listens[i];
        struct eider_lsock *have = find(set, l);
        int want = l->reuseport ? nworkers : 1;

        if (have != NULL && have->reuseport != l->reuseport) {
            snprintf(err, errlen, "listen %s: reuseport cannot change on a reload; restart eider",
                     l->text);
            break;
        }
        next[i] = have ? *have : (struct eider_lsock){ .addr = l->addr, .addrlen = l->addrlen,
                                                       .reuseport = l->reuseport };
        old_count[i] = have ? have->count : -1;
        if (want > next[i].count && grow(&next[i], l, want, err, errlen) < 0)
            break;
        if (have != NULL)
            have->fds = next[i].fds;   /* grow() may have moved them */
        next[i].count = want > next[i].count ? want : next[i].count;
    }
    if (i < cfg->nlistens) {
        /* Undo: close only what this call opened. */
        while (i-- > 0) {
            if (old_count[i] < 0) {
                close_fds(next[i].fds, 0, next[i].count);
                free(next[i].fds);
            } else {
                close_fds(next[i].fds, old_count[i], next[i].count);
            }
        }
        free(next);
        free(old_count);
        return -1;
    }
    /* Commit: close addresses no longer configured and surplus sockets. */
    for (size_t k = 0; k < set->n; k++) {
        int kept = 0;
        for (i = 0; i < cfg->nlistens; i++)
            kept |= next[i].fds == set->v[k].fds && old_count[i] >= 0;
        if (!kept) {
            eider_log(EIDER_LOG_NOTICE, "no longer listening on %s", set->v[k].text);
            close_fds(set->v[k].fds, 0, set->v[k].count);
            free(set->v[k].fds);
        }
        free(set->v[k].text);
    }
    for (i = 0; i < cfg->nlistens; i++) {
        int want = cfg->listens[i].reuseport ? nworkers : 1;
        close_fds(next[i].fds, want, next[i].count);
        next[i].count = want;
        next[i].text = strdup(cfg->listens[i].text);
        if (old_count[i] < 0)
            eider_log(EIDER_LOG_NOTICE, "listening on http://%s%s", next[i].text,
                      next[i].reuseport ? " (reuseport)" : "");
    }
    free(set->v);
    set->v = next;
    set->n = cfg->nlistens;
    free(old_count);
    return 0;
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
    for (size_t i = 0; i < set->n; i++) {
        close_fds(set->v[i].fds, 0, set->v[i].count);
        free(set->v[i].fds);
        free(set->v[i].text);
    }
    free(set->v);
    set->v = NULL;
    set->n = 0;
}
