/*
 * require('fs'): reads confined to the directories of the fs_root
 * directive by path.c (relative paths from the first root): outside every
 * root a read fails with EACCES whether or not the file exists, so nothing
 * is learnt about the rest of the file system.
 *
 * Reads are synchronous, also behind fs.promises: they are meant for small
 * local files (templates, keys, data), which the page cache serves in
 * microseconds; a thread pool would cost more than it saves here.
 */
#include <errno.h>
#include <event2/event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "config.h"
#include "file.h"
#include "js_internal.h"
#include "path.h"

/* Throws a Node-style error: message "CODE: what, op 'path'", .code set. */
static duk_ret_t throw_fs_error(duk_context *ctx, int err, const char *op, const char *path)
{
    const char *code = err == ENOENT ? "ENOENT" : err == EACCES ? "EACCES"
                     : err == EISDIR ? "EISDIR" : err == ENOTDIR ? "ENOTDIR" : "EIO";

    duk_push_error_object(ctx, DUK_ERR_ERROR, "%s: %s, %s '%s'", code, strerror(err), op, path);
    duk_push_string(ctx, code);
    duk_put_prop_string(ctx, -2, "code");
    duk_push_int(ctx, -err);
    duk_put_prop_string(ctx, -2, "errno");
    return duk_throw(ctx);
}

/* PATH (LEN bytes) confined to the fs_root directories, relative ones
 * from the first: 0 with the real path in real, or an errno (path.h). */
static int confine(const struct eider_config *cfg, const char *path, size_t len, char *real)
{
    return eider_path_confine(cfg->nfs_roots > 0 ? cfg->fs_roots[0] : NULL, path, len,
                              (const char *const *)cfg->fs_roots, cfg->nfs_roots, real);
}

/* Resolves the path argument at idx to a real path inside a root, or
 * throws the error Node would (EACCES outside, ENOENT missing). */
static void confined_path(duk_context *ctx, duk_idx_t idx, const char *op, char *real)
{
    const struct eider_config *cfg = eider_js_of(ctx)->cfg;
    duk_size_t len;
    const char *path = duk_require_lstring(ctx, idx, &len);
    int err;

    /* "a.txt\0.jpg" would open a.txt after a check on the whole string
     * (a URL's %00 decodes to it); Node refuses such paths too. */
    if (strlen(path) != len)
        (void)duk_type_error(ctx, "%s: the path must be a string without null bytes", op);
    if ((err = confine(cfg, path, len, real)) != 0)
        (void)throw_fs_error(ctx, err, op, path);
}

/* The encoding argument: a string, or {encoding: ...}; NULL for none.
 * The string is put at idx, so it lives as long as the call. */
static const char *encoding_of(duk_context *ctx, duk_idx_t idx)
{
    if (duk_is_object(ctx, idx)) {
        duk_get_prop_string(ctx, idx, "encoding");
        duk_replace(ctx, idx);
    }
    return duk_get_string(ctx, idx);
}

/* Pushes the contents of the confined file at arg 0: a Buffer, or a
 * string when arg 1 names an encoding (via Buffer's toString). */
static duk_ret_t read_file(duk_context *ctx)
{
    char real[PATH_MAX];
    const char *enc = encoding_of(ctx, 1);
    size_t len;
    char *data;

    confined_path(ctx, 0, "open", real);
    data = eider_read_file(real, &len);
    if (data == NULL)
        return throw_fs_error(ctx, errno, "open", duk_get_string(ctx, 0));
    memcpy(duk_push_fixed_buffer(ctx, len), data, len);
    free(data);
    duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_NODEJS_BUFFER);
    if (enc != NULL) {
        duk_push_string(ctx, "toString");
        duk_push_string(ctx, enc);
        duk_call_prop(ctx, -3, 1);
    }
    return 1;
}

/* fs.readFileSync(path[, encoding]): see read_file. */
static duk_ret_t fs_read_file_sync(duk_context *ctx)
{
    return read_file(ctx);
}

/* existsSync(path): false outside the roots, as for a missing file; a
 * path with a NUL byte names no file (Node says false too). */
static duk_ret_t fs_exists_sync(duk_context *ctx)
{
    char real[PATH_MAX];
    duk_size_t len;
    const char *path = duk_get_lstring(ctx, 0, &len);

    duk_push_boolean(ctx, path != NULL && confine(eider_js_of(ctx)->cfg, path, len, real) == 0);
    return 1;
}

/* isFile() / isDirectory(); magic 0 or 1 (magic is 16-bit: no S_IF*). */
static duk_ret_t stat_is(duk_context *ctx)
{
    unsigned want = duk_get_current_magic(ctx) ? S_IFDIR : S_IFREG;
    duk_push_this(ctx);
    duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("mode"));
    duk_push_boolean(ctx, ((unsigned)duk_get_uint(ctx, -1) & S_IFMT) == want);
    return 1;
}

/* fs.statSync(path): a Stats-like object of the confined file (size,
 * mtime, isFile(), isDirectory()); throws as confined_path does. */
static duk_ret_t fs_stat_sync(duk_context *ctx)
{
    char real[PATH_MAX];
    struct stat st;

    confined_path(ctx, 0, "stat", real);
    if (stat(real, &st) < 0)
        return throw_fs_error(ctx, errno, "stat", duk_get_string(ctx, 0));
    duk_push_object(ctx);
    duk_push_number(ctx, (double)st.st_size);
    duk_put_prop_string(ctx, -2, "size");
    duk_push_number(ctx, (double)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1e6);
    duk_put_prop_string(ctx, -2, "mtimeMs");
    duk_get_global_string(ctx, "Date");
    duk_push_number(ctx, (double)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1e6);
    duk_new(ctx, 1);
    duk_put_prop_string(ctx, -2, "mtime");
    duk_push_uint(ctx, st.st_mode);
    duk_put_prop_string(ctx, -2, DUK_HIDDEN_SYMBOL("mode"));
    duk_push_uint(ctx, st.st_mode & 07777);
    duk_put_prop_string(ctx, -2, "mode");
    duk_push_c_function(ctx, stat_is, 0);
    duk_set_magic(ctx, -1, 0);
    duk_put_prop_string(ctx, -2, "isFile");
    duk_push_c_function(ctx, stat_is, 0);
    duk_set_magic(ctx, -1, 1);
    duk_put_prop_string(ctx, -2, "isDirectory");
    return 1;
}

#define STASH_FS_DONE "fsDone"

struct fs_done {
    struct eider_js *js;
    int ref;
    int failed;
};

/* On the next turn of the loop: settle the Promise with the outcome kept
 * in the stash, so then-callbacks run after the caller's code, as in Node. */
static void settle_later(evutil_socket_t fd, short what, void *arg)
{
    struct fs_done *d = arg;
    duk_context *ctx = d->js->ctx;

    (void)fd, (void)what;
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_FS_DONE);
    duk_get_prop_index(ctx, -1, (duk_uarridx_t)d->ref);
    duk_del_prop_index(ctx, -2, (duk_uarridx_t)d->ref);
    duk_remove(ctx, -2);
    duk_remove(ctx, -2);
    eider_js_settle(ctx, d->ref, d->failed);
    free(d);
}

/* fs.promises.readFile: the same read (see the top of the file for why it
 * is synchronous), its outcome delivered on the next turn of the loop. */
static duk_ret_t fs_promises_read_file(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    struct timeval now = { 0, 0 };
    int ref = eider_js_deferred(ctx);
    struct fs_done *d;
    int failed;

    duk_insert(ctx, 0);   /* [promise path enc] */
    duk_push_c_function(ctx, read_file, 2);
    duk_dup(ctx, 1);
    duk_dup(ctx, 2);
    failed = duk_pcall(ctx, 2) != 0;
    if (js->base == NULL) {
        eider_js_settle(ctx, ref, failed);   /* a check run: no loop */
        duk_dup(ctx, 0);
        return 1;
    }
    d = eider_malloc(sizeof(*d));
    *d = (struct fs_done){ js, ref, failed };
    duk_push_heap_stash(ctx);
    if (!duk_get_prop_string(ctx, -1, STASH_FS_DONE)) {
        duk_pop(ctx);
        duk_push_bare_object(ctx);
        duk_dup_top(ctx);
        duk_put_prop_string(ctx, -3, STASH_FS_DONE);
    }
    duk_dup(ctx, -3);                          /* the outcome */
    duk_put_prop_index(ctx, -2, (duk_uarridx_t)ref);
    event_base_once(js->base, -1, EV_TIMEOUT, settle_later, d, &now);
    duk_dup(ctx, 0);
    return 1;
}

static const duk_function_list_entry fs_functions[] = {
    { "readFileSync", fs_read_file_sync, 2 },
    { "existsSync", fs_exists_sync, 1 },
    { "statSync", fs_stat_sync, 1 },
    { NULL, NULL, 0 }
};

/* Pushes the exports of require('fs') (made per call; js_module.c caches
 * them per heap). */
void eider_js_fs_push(duk_context *ctx)
{
    duk_push_object(ctx);
    duk_put_function_list(ctx, -1, fs_functions);
    duk_push_object(ctx);
    duk_push_c_function(ctx, fs_promises_read_file, 2);
    duk_put_prop_string(ctx, -2, "readFile");
    duk_put_prop_string(ctx, -2, "promises");
}
