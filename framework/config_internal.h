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

/* What a directive's field holds, so that eider_config_free() frees every
 * field from the table instead of a list kept by hand. */
enum eider_holds {
    EIDER_HOLDS_VALUE,         /* a number or a flag, or nothing (a setter of its own) */
    EIDER_HOLDS_STRING,        /* char *, malloc'd */
    EIDER_HOLDS_STRINGS,       /* char **, malloc'd, of *count strings */
    EIDER_HOLDS_CIDRS,         /* struct eider_cidrs */
};

/* One row of eider_directives[], written with designated initializers:
 * what is not given is 0 (one argument, not repeatable, no bounds). */
struct eider_directive {
    const char *name;
    int min_args, max_args;    /* 0, 0: exactly one */
    int repeatable;
    eider_directive_set set;
    size_t offset;             /* the field of struct eider_config it sets */
    enum eider_holds holds;
    size_t count;              /* EIDER_HOLDS_STRINGS: the field counting them */
    const char *words;         /* the keywords it also takes, space-separated */
    long long min, max;        /* bounds of a number, size or time (max 0: the type's) */
    const char *def;           /* default, as config text; NULL for none */
};

extern const struct eider_directive eider_directives[];
extern const size_t eider_ndirectives;

/* The arguments directive D takes: *lo to *hi. */
void eider_directive_args(const struct eider_directive *d, int *lo, int *hi);

/* Frees what the table's fields of CFG hold. */
void eider_directives_free(struct eider_config *cfg);

/* The position of ARG among the space-separated WORDS, or -1 (after h2o's
 * h2o_configurator_get_one_of). */
int eider_one_of(const char *arg, const char *words);

/* directives_listen.c: the listen directive's setter (ADDR and options);
 * NULL, or what to fix. */
const char *eider_set_listen(struct eider_config *cfg, const struct eider_directive *d,
                             int argc, char **argv);

/* A malloc'd absolute path: PATH itself, or DIR/PATH. */
char *eider_config_path(const char *dir, const char *path);

#endif
