/*
 * The lowering helper process: a Duktape heap of its own holding the
 * compiler (prelude + typescript.js + framework/js/lower.js as bytecode),
 * answering one request at a time on a pipe. It lives only while its
 * parent loads modules, so the compiler's ~60 MB never stay in the master
 * or a worker.
 *
 * Protocol, all integers in the host's byte order (parent and child are
 * the same program):
 *   request   u64 pathlen, path, u64 srclen, src
 *   answer    'O', u64 codelen, code, u64 maplen, map
 *             'E', u64 msglen, msg ("LINE:COL: message" for a syntax
 *             error, starting with a digit; anything else otherwise)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "js_engine.h"
#include "lower.h"
#include "regexp.h"

/* Sends VERDICT ('E' or 'O'; 0 for none) and then S as a chunk. A failed
 * write means the parent is gone: nothing is left to do but exit. */
static void reply(int fd, char verdict, const char *s, size_t n)
{
    if ((verdict != 0 && eider_write_full(fd, &verdict, 1) < 0) || eider_write_chunk(fd, s, n) < 0)
        _exit(1);
}

/* Loads the compiler from FILE ("EIDERBC1 hash\n" then bytecode) and runs
 * its top level, which defines eiderLower. Exits on failure. */
static void load_compiler(duk_context *ctx, const char *file, int out)
{
    size_t len;
    char *data = eider_read_file(file, &len);
    char *nl = data != NULL ? memchr(data, '\n', len) : NULL;
    char msg[512];

    if (nl == NULL || strncmp(data, "EIDERBC1 ", 9) != 0) {
        snprintf(msg, sizeof(msg), "cannot load the lowering compiler %s: %s", file,
                 data == NULL ? strerror(errno) : "not a compiler file");
        reply(out, 'E', msg, strlen(msg));
        _exit(1);
    }
    nl++;
    memcpy(duk_push_fixed_buffer(ctx, len - (size_t)(nl - data)), nl, len - (size_t)(nl - data));
    free(data);
    duk_load_function(ctx);
    if (duk_pcall(ctx, 0) != 0) {
        snprintf(msg, sizeof(msg), "the lowering compiler %s failed to start: %s", file,
                 duk_safe_to_string(ctx, -1));
        reply(out, 'E', msg, strlen(msg));
        _exit(1);
    }
    duk_pop(ctx);
}

/* eiderLower(path, src) on the stack: [path src] -> [result]. */
static duk_ret_t call_lower(duk_context *ctx, void *udata)
{
    (void)udata;
    duk_get_global_string(ctx, "eiderLower");
    duk_insert(ctx, 0);
    duk_call(ctx, 2);
    return 1;
}

/* __eiderRegExpCheck(body, flags): undefined, or why PCRE2 (as the
 * workers translate for it, regexp.c) refuses the literal, so that the
 * lowering reports it at the literal's line. */
static duk_ret_t regexp_check(duk_context *ctx)
{
    size_t blen;
    const char *body = duk_require_lstring(ctx, 0, &blen), *flags = duk_require_string(ctx, 1);
    char err[256];

    if (eider_re_check(body, blen, flags, err, sizeof(err)) == 0)
        return 0;
    duk_push_string(ctx, err);
    return 1;
}

/* A new heap with the compiler loaded, in a process with the master's
 * signal handlers undone. */
static duk_context *start(const char *compiler, int out)
{
    static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD };
    duk_context *ctx;

    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    if ((ctx = duk_create_heap_default()) == NULL)
        _exit(1);
    load_compiler(ctx, compiler, out);
    duk_push_c_function(ctx, regexp_check, 2);
    duk_put_global_string(ctx, "__eiderRegExpCheck");
    return ctx;
}

/* The compiler makes much cyclic garbage (every syntax node points at its
 * parent) that reference counting cannot free: a mark-and-sweep every few
 * files keeps the helper near 90 MB instead of growing by ~25 MB a file. */
#define GC_EVERY 3

void eider_lower_helper_batch(const char *compiler, const char *dir, const char *const *paths,
                              size_t n, size_t k, size_t step)
{
    int devnull = open("/dev/null", O_WRONLY);
    duk_context *ctx = start(compiler, devnull);

    for (size_t i = k, done = 0; i < n; i += step) {
        struct eider_lowered out;
        char key[65];
        size_t len;
        char *src = eider_read_file(paths[i], &len);

        if (src == NULL)
            continue;
        duk_set_top(ctx, 0);
        duk_push_string(ctx, paths[i]);
        duk_push_lstring(ctx, src, len);
        if (duk_safe_call(ctx, call_lower, NULL, 2, 1) == 0) {
            duk_get_prop_index(ctx, -1, 0);
            out.code = (char *)duk_safe_to_lstring(ctx, -1, &out.len);
            duk_get_prop_index(ctx, -2, 1);
            out.map = (char *)duk_safe_to_lstring(ctx, -1, &out.maplen);
            eider_lower_cache_key(paths[i], src, len, key);
            eider_lower_cache_store(dir, key, &out);
        }
        free(src);
        if (++done % GC_EVERY == 0) {
            duk_set_top(ctx, 0);
            duk_gc(ctx, 0);
        }
    }
    _exit(0);
}

void eider_lower_helper_main(const char *compiler, int in, int out)
{
    duk_context *ctx = start(compiler, out);
    size_t done = 0;

    for (;;) {
        size_t pathlen, srclen, n;
        char *path = eider_read_chunk(in, &pathlen), *src = path ? eider_read_chunk(in, &srclen) : NULL;
        const char *s;

        if (src == NULL)
            _exit(0);
        duk_set_top(ctx, 0);
        duk_push_lstring(ctx, path, pathlen);
        duk_push_lstring(ctx, src, srclen);
        free(path);
        free(src);
        if (duk_safe_call(ctx, call_lower, NULL, 2, 1) != 0) {
            s = duk_safe_to_lstring(ctx, -1, &n);
            reply(out, 'E', s, n);
            continue;
        }
        duk_get_prop_index(ctx, -1, 0);
        s = duk_safe_to_lstring(ctx, -1, &n);
        reply(out, 'O', s, n);
        duk_get_prop_index(ctx, -2, 1);
        s = duk_safe_to_lstring(ctx, -1, &n);
        reply(out, 0, s, n);
        if (++done % GC_EVERY == 0) {
            duk_set_top(ctx, 0);
            duk_gc(ctx, 0);
        }
    }
}
