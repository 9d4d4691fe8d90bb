/*
 * A small array searched linearly: a generation has tens of files, and it
 * is searched only while modules load, never per request.
 */
#include "alloc.h"
#include "sources.h"

#include <stdlib.h>
#include <string.h>

struct source {
    char *path;
    char *text;
    size_t len;
    char *map;
    size_t maplen;
};

struct eider_sources {
    struct source *v;
    size_t n;
};

struct eider_sources *eider_sources_new(void)
{
    return eider_calloc(1, sizeof(struct eider_sources));
}

void eider_sources_free(struct eider_sources *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].path);
        free(s->v[i].text);
        free(s->v[i].map);
    }
    free(s->v);
    free(s);
}

const char *eider_sources_find(const struct eider_sources *s, const char *path, size_t *len)
{
    for (size_t i = 0; s != NULL && i < s->n; i++)
        if (strcmp(s->v[i].path, path) == 0) {
            *len = s->v[i].len;
            return s->v[i].text;
        }
    return NULL;
}

const char *eider_sources_map(const struct eider_sources *s, const char *path, size_t *len)
{
    for (size_t i = 0; s != NULL && i < s->n; i++)
        if (strcmp(s->v[i].path, path) == 0) {
            *len = s->v[i].maplen;
            return s->v[i].map;
        }
    return NULL;
}

void eider_sources_add(struct eider_sources *s, const char *path, char *text, size_t len,
                       char *map, size_t maplen)
{
    s->v = eider_realloc(s->v, (s->n + 1) * sizeof(*s->v));
    s->v[s->n++] = (struct source){ eider_strdup(path), text, len, map, maplen };
}

void eider_sources_foreach(const struct eider_sources *s,
                           void (*fn)(const char *, const char *, size_t, const char *, size_t, void *),
                           void *arg)
{
    for (size_t i = 0; i < s->n; i++)
        fn(s->v[i].path, s->v[i].text, s->v[i].len, s->v[i].map, s->v[i].maplen, arg);
}
