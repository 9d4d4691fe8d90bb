/*
 * Watch mode (the `watch on;` directive, eider -w): the master watches the
 * handlers root with inotify and reloads when something in it changes.
 */
#ifndef EIDER_WATCH_H
#define EIDER_WATCH_H

#include <stddef.h>

struct eider_watch;

/* Starts watching ROOT and every directory under it but node_modules, dot
 * directories and SKIP (the lowering cache's directory, or NULL), which
 * the caller keeps. Returns the watch, which the caller frees with
 * eider_watch_free(), or NULL after writing why into ERR. */
struct eider_watch *eider_watch_open(const char *root, const char *skip, char *err, size_t errlen);

/* Frees W (NULL is fine), closing its inotify descriptor. */
void eider_watch_free(struct eider_watch *w);

/* The descriptor to poll for input. */
int eider_watch_fd(const struct eider_watch *w);

/* The directory W watches (as given to eider_watch_open). */
const char *eider_watch_root(const struct eider_watch *w);

/* Reads every pending event (the descriptor is non-blocking), starts
 * watching new directories, and returns 1 if any event concerns a file or
 * directory a reload would read (not dot files, editor backups or
 * node_modules), else 0. */
int eider_watch_changed(struct eider_watch *w);

#endif
