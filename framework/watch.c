/*
 * Watch mode's inotify side: one watch per directory under the handlers
 * root (inotify is not recursive), kept in a table from watch descriptor
 * to path so that a directory created later is watched too. The master
 * polls the descriptor, debounces and reloads (master.c).
 */
#include "autoconfig.h"
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "log.h"

/* What a reload cares about: a file written and closed, created, deleted
 * or moved, and the directory itself going away. */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO \
                    | IN_DELETE_SELF | IN_ONLYDIR)

struct dir_watch {
    int wd;
    char *path;
};

struct eider_watch {
    int fd;
    char *root;
    int parent_wd;          /* the root's parent, for the root coming back; or -1 */
    char *root_name;        /* the root's last path component */
    char *skip;             /* the lowering cache, or NULL */
    struct dir_watch *dirs;
    size_t ndirs, cap;
};

/* Names never read by a reload, whose changes must not start one: dot
 * files (editor swap files, .git), backups ending in "~", and packages
 * under node_modules (npm install writes thousands of files). */
static int ignored(const char *name)
{
    size_t n = strlen(name);

    return name[0] == '.' || (n > 0 && name[n - 1] == '~') || strcmp(name, "node_modules") == 0;
}

/* Watches PATH and, recursively, the directories under it that are not
 * ignored(). A directory that cannot be watched is logged and skipped:
 * the rest still reloads. */
static void add_tree(struct eider_watch *w, const char *path)
{
    int wd;
    DIR *d;
    struct dirent *e;

    if (w->skip != NULL && strcmp(path, w->skip) == 0)
        return;   /* written by every reload that lowers a file */
    if ((wd = inotify_add_watch(w->fd, path, WATCH_MASK)) < 0) {
        eider_log(EIDER_LOG_WARN, "watch: cannot watch %s: %s%s", path, strerror(errno),
                  errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
        return;
    }
    if (w->ndirs == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->dirs = eider_realloc(w->dirs, w->cap * sizeof(*w->dirs));
    }
    w->dirs[w->ndirs++] = (struct dir_watch){ wd, eider_strdup(path) };
    if ((d = opendir(path)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char sub[PATH_MAX];
        struct stat st;
        if (ignored(e->d_name))
            continue;
        if (snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= (int)sizeof(sub))
            continue;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            add_tree(w, sub);
    }
    closedir(d);
}

/* The path watched under WD, or NULL (a watch removed meanwhile). */
static const char *path_of(const struct eider_watch *w, int wd)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (w->dirs[i].wd == wd)
            return w->dirs[i].path;
    return NULL;
}

/* Whether the root itself is watched (it is not after it was deleted). */
static int root_watched(const struct eider_watch *w)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (strcmp(w->dirs[i].path, w->root) == 0)
            return 1;
    return 0;
}

/* Watches the root's parent for the root's name only, so that a root that
 * is deleted and made again (a checkout, an rsync --delete, rm -rf and
 * cp -r) is watched again: inotify drops a deleted directory's watch and
 * nothing under the root could tell. */
static void watch_parent(struct eider_watch *w)
{
    char parent[PATH_MAX];
    size_t n = strlen(w->root);
    char *slash;

    w->parent_wd = -1;
    while (n > 1 && w->root[n - 1] == '/')
        n--;   /* "handlers/" names the same directory */
    if (n >= sizeof(parent))
        return;
    memcpy(parent, w->root, n);
    parent[n] = '\0';
    if ((slash = strrchr(parent, '/')) == NULL) {
        w->root_name = eider_strdup(parent);
        strcpy(parent, ".");
    } else if (slash[1] == '\0') {
        return;   /* the root is / */
    } else {
        w->root_name = eider_strdup(slash + 1);
        slash[slash == parent ? 1 : 0] = '\0';
    }
    w->parent_wd = inotify_add_watch(w->fd, parent, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
}

/* An event in the root's parent: returns 1 (and watches the root again)
 * when it is the root coming back, else 0. */
static int parent_event(struct eider_watch *w, const struct inotify_event *ev)
{
    if (ev->mask & IN_IGNORED) {
        w->parent_wd = -1;
        return 0;
    }
    if (ev->len == 0 || strcmp(ev->name, w->root_name) != 0 || root_watched(w))
        return 0;
    eider_log(EIDER_LOG_NOTICE, "watch: %s is back, watching it again", w->root);
    add_tree(w, w->root);
    return 1;
}

/* Drops WD from the table once the kernel has dropped the watch. */
static void forget(struct eider_watch *w, int wd)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (w->dirs[i].wd == wd) {
            free(w->dirs[i].path);
            w->dirs[i] = w->dirs[--w->ndirs];
            return;
        }
}

struct eider_watch *eider_watch_open(const char *root, const char *skip, char *err, size_t errlen)
{
    struct eider_watch *w = eider_calloc(1, sizeof(*w));

    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        snprintf(err, errlen, "watch: cannot start inotify: %s%s; the server runs without watching",
                 strerror(errno), errno == EMFILE ? " (raise fs.inotify.max_user_instances)" : "");
        free(w);
        return NULL;
    }
    w->root = eider_strdup(root);
    w->skip = skip != NULL ? eider_strdup(skip) : NULL;
    watch_parent(w);
    add_tree(w, root);
    return w;
}

void eider_watch_free(struct eider_watch *w)
{
    if (w == NULL)
        return;
    close(w->fd);
    for (size_t i = 0; i < w->ndirs; i++)
        free(w->dirs[i].path);
    free(w->dirs);
    free(w->root);
    free(w->root_name);
    free(w->skip);
    free(w);
}

int eider_watch_fd(const struct eider_watch *w)
{
    return w->fd;
}

const char *eider_watch_root(const struct eider_watch *w)
{
    return w->root;
}

int eider_watch_changed(struct eider_watch *w)
{
    /* Aligned as inotify(7) asks. */
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    int changed = 0;

    while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof(*ev) + ev->len;
            if (ev->wd == w->parent_wd && w->parent_wd >= 0) {
                changed |= parent_event(w, ev);
                continue;
            }
            if (ev->mask & IN_IGNORED)
                forget(w, ev->wd);   /* its directory is gone: the number may come back */
            if (ev->mask & (IN_DELETE_SELF | IN_Q_OVERFLOW)) {
                changed = 1;   /* a whole directory went, or events were lost */
                continue;
            }
            if (ev->len == 0 || ignored(ev->name))
                continue;
            changed = 1;
            const char *dir = path_of(w, ev->wd);
            char sub[PATH_MAX];
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && dir != NULL
                && snprintf(sub, sizeof(sub), "%s/%s", dir, ev->name) < (int)sizeof(sub))
                add_tree(w, sub);   /* and whatever was already written into it */
        }
    }
    return changed;
}
