/*
 * The handler sources of one generation: every file the master read when
 * it checked the handlers, kept so that every worker of that generation,
 * including one started later to replace a dead one, runs exactly that
 * code, even if the files change on disk before the next reload.
 */
#ifndef EIDER_SOURCES_H
#define EIDER_SOURCES_H

#include <stddef.h>

struct eider_sources;

/* A new, empty set of sources; never NULL (alloc.h). */
struct eider_sources *eider_sources_new(void);
/* Frees S, its texts and maps; NULL is fine. */
void eider_sources_free(struct eider_sources *s);

/* The text kept for the real path PATH (NUL-terminated, *len bytes), or
 * NULL if this generation never read it. */
const char *eider_sources_find(const struct eider_sources *s, const char *path, size_t *len);

/* The source map kept with the text of PATH (a lowered file: the text
 * is what the compiler made of the user's), or NULL. */
const char *eider_sources_map(const struct eider_sources *s, const char *path, size_t *len);

/* Calls FN(path, text, len, map, maplen, arg) for every source, in the
 * order added; map is NULL for a text kept as read. */
void eider_sources_foreach(const struct eider_sources *s,
                           void (*fn)(const char *, const char *, size_t, const char *, size_t, void *),
                           void *arg);

/* Keeps TEXT (malloc'd, NUL-terminated, LEN bytes; taken over) for PATH,
 * with MAP (the same, or NULL) its source map if TEXT was lowered. */
void eider_sources_add(struct eider_sources *s, const char *path, char *text, size_t len,
                       char *map, size_t maplen);

#endif
