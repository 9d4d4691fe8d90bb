/*
 * Lowering: modern JavaScript (ES2015-ES2020, ES module syntax) and
 * TypeScript handler files to the ES5 CommonJS that Duktape runs.
 *
 * The compiler is Debian's TypeScript, compiled at build time to bytecode
 * of eider's Duktape build (framework/eider-compiler.dbc). It never runs
 * in a worker's heap nor leaves the caller bigger: the first file that
 * misses the cache starts a helper process (a fork that loads the compiler
 * into a heap of its own), later files reuse it, and eider_lower_stop()
 * ends it. Results are cached on disk, keyed by SHA-256 of the compiler,
 * the kind of file and its text, so an unchanged file costs a hash.
 */
#ifndef EIDER_LOWER_H
#define EIDER_LOWER_H

#include <stddef.h>

struct eider_config;

/* What lowering one file gives: ES5 code and its source map (JSON, for
 * mapping stack lines back to the user's file), both malloc'd and
 * NUL-terminated. */
struct eider_lowered {
    char *code;
    size_t len;
    char *map;
    size_t maplen;
};

/* Lowers SRC (LEN bytes, the text of PATH: TypeScript if PATH ends in
 * ".ts"), through the cache in CACHE_DIR (NULL: none). Returns 0 with the
 * result in *out, or -1 with "PATH:LINE:COL: SyntaxError: ..." (a syntax
 * error in the user's text) or what else went wrong in err. */
int eider_lower(const char *cache_dir, const char *path, const char *src, size_t len,
                struct eider_lowered *out, char *err, size_t errlen);

/* eider_lower_fn (runtime.h) with cfg's js_cache: the helper stays for
 * the next file until eider_lower_stop(). For loading a generation. */
int eider_lower_batch(const struct eider_config *cfg, const char *path, const char *src, size_t len,
                      char **code, size_t *codelen, char **map, size_t *maplen, char *err, size_t errlen);
/* The same, ending the helper after the file: for a worker that meets a
 * module the check never loaded (a require with a computed name). */
int eider_lower_one(const struct eider_config *cfg, const char *path, const char *src, size_t len,
                    char **code, size_t *codelen, char **map, size_t *maplen, char *err, size_t errlen);

/* Lowers into CACHE_DIR, ahead of their loading, the files of PATHS (N)
 * that look modern (syntax.h) and are not cached yet, in as many helper
 * processes at once as there are cores. Errors are left for the loader,
 * which meets them again and reports them. Returns how many it lowered. */
size_t eider_lower_prefetch(const char *cache_dir, const char *const *paths, size_t n);

/* eider_prefetch_fn (runtime.h): eider_lower_prefetch with cfg's js_cache. */
void eider_lower_prefetch_for(const struct eider_config *cfg, const char *const *paths, size_t n);

/* Ends the helper process, if one runs. */
void eider_lower_stop(void);

/* The cache directory that the js_cache setting names: NULL for "off";
 * for "auto", /var/cache/eider when run as root, else
 * $XDG_CACHE_HOME/eider or ~/.cache/eider, decided at the first call (in
 * the master, before a child drops privileges). Static storage. */
const char *eider_lower_cache_dir(const char *setting);

/* Makes DIR (and its parents) if missing, owned by UID/GID when those are
 * not -1, so that the workers' user can fill it. Returns 0, or -1 with
 * the problem in err. */
int eider_lower_cache_prepare(const char *dir, long uid, long gid, char *err, size_t errlen);

/* Between lower.c and lower_helper.c. */

/* The helper process's side: serves requests on IN, answering on OUT,
 * until IN closes; never returns. */
void eider_lower_helper_main(const char *compiler, int in, int out) __attribute__((noreturn));
/* A prefetch process: lowers PATHS[K], PATHS[K + STEP], ... into the
 * cache DIR; never returns. */
void eider_lower_helper_batch(const char *compiler, const char *dir, const char *const *paths,
                              size_t n, size_t k, size_t step) __attribute__((noreturn));
/* The cache key of SRC from PATH (64 hex digits and a NUL in key). */
void eider_lower_cache_key(const char *path, const char *src, size_t len, char key[65]);
/* Stores out under KEY in DIR; failures are ignored (the next start
 * lowers again). */
void eider_lower_cache_store(const char *dir, const char *key, const struct eider_lowered *out);

/* The installed compiler file: beside the running binary (a build tree)
 * or in the package data directory; NULL if neither exists. */
const char *eider_lower_compiler_path(void);

#endif
