/*
 * fuzz_config: the config parser (config.c, directives.c) on fuzzed text.
 *
 * The input is a small set of files: it is cut at each line "#@" into
 * /fuzz/eider.conf, /fuzz/a.conf, /fuzz/b.conf, /fuzz/sub/c.conf and
 * /fuzz/sub/d.conf (later cuts stay in d.conf), so the fuzzer can reach
 * include, include patterns, include loops and duplicates across files.
 * Those files live in memory only: this file defines eider_read_file()
 * (file.c's is then never linked in) and the link wraps glob()/globfree()
 * (-Wl,--wrap), so that "include /etc/passwd;" or "include /dev/zero;" in a
 * fuzzed config reads nothing from the real file system and the run
 * depends on nothing but the input.
 *
 * Each input is loaded twice: as the config file, and (up to its first
 * NUL) as -g text. Errors are expected; crashes, leaks and broken
 * promises of eider_config_load() are findings.
 */
#include <fnmatch.h>
#include <glob.h>

#include "fuzz.h"
#include "config.h"
#include "file.h"

#define VROOT "/fuzz"
#define NFILES 5

static const char *const vnames[NFILES] = {
    VROOT "/eider.conf", VROOT "/a.conf", VROOT "/b.conf", VROOT "/sub/c.conf", VROOT "/sub/d.conf",
};

/* The current input's files: pointers into the input, not copies. */
static const char *vtext[NFILES];
static size_t vlen[NFILES];

/* Cuts the input at each "#@" line (see the top of the file). */
static void split_input(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n#@\n";
    const char *p = (const char *)data, *end = p + size;
    int i = 0;

    for (; i < NFILES - 1; i++) {
        const char *cut = memmem(p, (size_t)(end - p), sep, sizeof(sep) - 1);
        if (cut == NULL)
            break;
        vtext[i] = p;
        vlen[i] = (size_t)(cut - p) + 1;   /* keep the newline */
        p = cut + sizeof(sep) - 1;
    }
    vtext[i] = p;
    vlen[i] = (size_t)(end - p);
    for (i++; i < NFILES; i++) {
        vtext[i] = NULL;
        vlen[i] = 0;
    }
}

/* file.h's contract, on the in-memory files: a malloc'd NUL-terminated
 * copy, or NULL with errno (EISDIR for the two directories, ENOENT inside
 * /fuzz, EACCES for anything outside it: the parser must survive that). */
char *eider_read_file(const char *path, size_t *len)
{
    char *copy;

    for (int i = 0; i < NFILES; i++) {
        if (vtext[i] == NULL || strcmp(path, vnames[i]) != 0)
            continue;
        copy = malloc(vlen[i] + 1);
        if (copy == NULL)
            return NULL;
        memcpy(copy, vtext[i], vlen[i]);
        copy[vlen[i]] = '\0';
        *len = vlen[i];
        return copy;
    }
    if (strcmp(path, VROOT) == 0 || strcmp(path, VROOT "/") == 0 || strcmp(path, VROOT "/sub") == 0)
        errno = EISDIR;
    else if (strncmp(path, VROOT "/", sizeof(VROOT)) == 0)
        errno = ENOENT;
    else
        errno = EACCES;
    return NULL;
}

/* glob() over the in-memory files, in name order as glob sorts; the real
 * one is never called. Only what config.c uses: no flags, no errfunc. */
int __wrap_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g);
void __wrap_globfree(glob_t *g);

int __wrap_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
    const char *sorted[NFILES + 1];
    size_t n = 0;

    FUZZ_ASSERT(flags == 0 && errfunc == NULL, "config.c calls glob() with flags %d", flags);
    memset(g, 0, sizeof(*g));
    for (int i = 0; i < NFILES; i++)
        if (vtext[i] != NULL && fnmatch(pattern, vnames[i], FNM_PATHNAME | FNM_PERIOD) == 0)
            sorted[n++] = vnames[i];
    /* The real glob() lists directories too ("include *;" names sub). */
    if ((vtext[3] != NULL || vtext[4] != NULL)
        && fnmatch(pattern, VROOT "/sub", FNM_PATHNAME | FNM_PERIOD) == 0)
        sorted[n++] = VROOT "/sub";
    if (n == 0)
        return GLOB_NOMATCH;
    for (size_t i = 1; i < n; i++)   /* insertion sort of at most 6 */
        for (size_t j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
            const char *t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    g->gl_pathv = calloc(n + 1, sizeof(char *));
    if (g->gl_pathv == NULL)
        return GLOB_NOSPACE;
    for (size_t i = 0; i < n; i++)
        g->gl_pathv[i] = strdup(sorted[i]);
    g->gl_pathc = n;
    return 0;
}

void __wrap_globfree(glob_t *g)
{
    for (size_t i = 0; g->gl_pathv != NULL && i < g->gl_pathc; i++)
        free(g->gl_pathv[i]);
    free(g->gl_pathv);
    g->gl_pathv = NULL;
    g->gl_pathc = 0;
}

/* What eider_config_load() promises: a config whose defaults are all
 * filled in, or NULL with a message. */
static void check_result(struct eider_config *cfg, const char *err, const char *how)
{
    if (cfg == NULL) {
        FUZZ_ASSERT(err[0] != '\0', "%s: NULL without a message", how);
        return;
    }
    FUZZ_ASSERT(cfg->nlistens >= 1, "%s: no listen (the default adds one)", how);
    for (size_t i = 0; i < cfg->nlistens; i++)
        FUZZ_ASSERT(cfg->listens[i].text != NULL && cfg->listens[i].addrlen > 0,
                    "%s: listen %zu incomplete", how, i);
    FUZZ_ASSERT(cfg->workers >= 1, "%s: workers %d", how, cfg->workers);
    FUZZ_ASSERT(cfg->handlers != NULL && cfg->handlers[0] == '/', "%s: handlers not absolute", how);
    FUZZ_ASSERT(cfg->error_log != NULL && cfg->access_log != NULL, "%s: a log unset", how);
    FUZZ_ASSERT(cfg->js_time_limit >= 1 && cfg->request_timeout >= 1 && cfg->keepalive_timeout >= 1,
                "%s: a time below 1s", how);
    FUZZ_ASSERT(cfg->client_max_header_size >= 256, "%s: client_max_header_size %zu", how,
                cfg->client_max_header_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    struct eider_config *cfg;
    char *text;

    /* As the config file (relative includes resolve in /fuzz). */
    split_input(data, size);
    err[0] = '\0';
    cfg = eider_config_load(vnames[0], NULL, err, sizeof(err));
    check_result(cfg, err, "file");
    FUZZ_ASSERT(cfg == NULL || strcmp(cfg->file, vnames[0]) == 0, "cfg->file is %s", cfg->file);
    eider_config_free(cfg);

    /* As -g text: a C string, so only up to the first NUL; relative
     * includes resolve in the real working directory, where
     * eider_read_file() above refuses to read. */
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    err[0] = '\0';
    cfg = eider_config_load(NULL, text, err, sizeof(err));
    check_result(cfg, err, "-g");
    FUZZ_ASSERT(cfg == NULL || (cfg->extra != NULL && strcmp(cfg->extra, text) == 0),
                "-g text not kept");
    eider_config_free(cfg);
    free(text);
    return 0;
}
