/*
 * Between the config parser (config.c) and the directive table
 * (directives.c).
 */
#ifndef EIDER_CONFIG_INTERNAL_H
#define EIDER_CONFIG_INTERNAL_H

#include <stddef.h>

struct eider_config;
struct eider_directive;

/* A setter returns NULL on success or a message saying what to fix. */
typedef const char *(*eider_directive_set)(struct eider_config *cfg,
                                           const struct eider_directive *d,
                                           int argc, char **argv);

struct eider_directive {
    const char *name;
    int min_args, max_args;
    int repeatable;
    eider_directive_set set;
    size_t offset;             /* field of struct eider_config, for generic setters */
    const char *words;         /* log targets: special words, space-separated */
    size_t min;                /* sizes: the smallest accepted */
    const char *def;           /* default, as config text; NULL for none */
};

extern const struct eider_directive eider_directives[];
extern const size_t eider_ndirectives;

/* A malloc'd absolute path: PATH itself, or DIR/PATH. */
char *eider_config_path(const char *dir, const char *path);

#endif
