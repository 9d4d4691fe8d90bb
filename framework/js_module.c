/*
 * CommonJS modules. require() resolves like Node for plain ES5 packages:
 * relative paths, node_modules folders from the requiring file up to the
 * handlers root, then the handlers root itself (like NODE_PATH), so
 * require('_lib/db') works from any handler. Every resolved file must lie
 * inside the handlers root. Modules are compiled once and cached by real
 * path; a require cycle sees the partial exports, as in Node.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "js_internal.h"
#include "js_lib.h"
#include "path.h"
#include "sources.h"

#define STASH_MODULES "modules"
#define STASH_ROOT "root"
#define STASH_BUILTINS "builtins"
#define REQUIRE_DIR DUK_HIDDEN_SYMBOL("dir")


/* 1 if PATH (links followed) is a regular file. */
static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* 1 if PATH (links followed) is a directory. */
static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 if X (relative ones from BASE) lies inside ROOT as text (path.c),
 * with its normalised form in norm (PATH_MAX bytes); checked before any
 * candidate is stat()ed, so require() tells nothing about files outside
 * the handlers root. */
static int inside(const char *root, const char *base, const char *x, char *norm)
{
    return eider_path_normalise(base, x, strlen(x), norm) == 0 && eider_path_within(norm, root);
}

/* X, X.js, X.ts, X.json: writes the first existing file into out. */
static int try_file(const char *x, char *out)
{
    static const char *const exts[] = { "", ".js", ".ts", ".json" };

    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        if ((size_t)snprintf(out, PATH_MAX, "%s%s", x, exts[i]) < PATH_MAX && is_file(out))
            return 0;
    }
    return -1;
}

/* package.json "main" (found by a light scan, no JSON parse), then index. */
static int try_dir(duk_context *ctx, const char *x, char *out)
{
    char pkg[PATH_MAX], main_path[PATH_MAX];
    size_t len;
    char *json;

    if (!is_dir(x))
        return -1;
    snprintf(pkg, sizeof(pkg), "%s/package.json", x);
    if ((json = eider_read_file(pkg, &len)) != NULL) {
        duk_push_lstring(ctx, json, len);
        free(json);
        if (eider_js_json_decode(ctx) == 0
            && duk_is_object(ctx, -1) && duk_get_prop_string(ctx, -1, "main")
            && duk_is_string(ctx, -1)) {
            snprintf(main_path, sizeof(main_path), "%s/%s", x, duk_get_string(ctx, -1));
            duk_pop_2(ctx);
            if (try_file(main_path, out) == 0)
                return 0;
            snprintf(pkg, sizeof(pkg), "%s/index", main_path);
            if (try_file(pkg, out) == 0)
                return 0;
        } else {
            duk_pop_2(ctx);
        }
    }
    snprintf(pkg, sizeof(pkg), "%s/index", x);
    return try_file(pkg, out);
}

/* --- package.json "exports" --- */

/* The condition names require() matches, in two rounds: Node's own, then
 * "import", since an ES-module-only package is lowered to CommonJS too. */
static int condition_ok(const char *key, int round)
{
    if (round == 0)
        return strcmp(key, "require") == 0 || strcmp(key, "node") == 0 || strcmp(key, "default") == 0;
    return strcmp(key, "import") == 0;
}

/* Pushes the target string that the exports value at V selects (a string,
 * an array of fallbacks, or an object of conditions), or undefined. */
static void pick_target(duk_context *ctx, duk_idx_t v, int round, int depth)
{
    v = duk_normalize_index(ctx, v);
    if (duk_is_string(ctx, v) || depth > 8) {
        duk_dup(ctx, v);
        return;
    }
    if (duk_is_array(ctx, v)) {
        duk_size_t n = duk_get_length(ctx, v);
        for (duk_size_t i = 0; i < n; i++) {
            duk_get_prop_index(ctx, v, (duk_uarridx_t)i);
            pick_target(ctx, -1, round, depth + 1);
            duk_remove(ctx, -2);
            if (duk_is_string(ctx, -1))
                return;
            duk_pop(ctx);
        }
    } else if (duk_is_object(ctx, v)) {
        duk_enum(ctx, v, DUK_ENUM_OWN_PROPERTIES_ONLY);
        while (duk_next(ctx, -1, 1)) {
            if (condition_ok(duk_get_string(ctx, -2), round) || (round == 1 && condition_ok(duk_get_string(ctx, -2), 0))) {
                pick_target(ctx, -1, round, depth + 1);
                if (duk_is_string(ctx, -1)) {
                    duk_remove(ctx, -2);
                    duk_remove(ctx, -2);
                    duk_remove(ctx, -2);
                    return;
                }
                duk_pop(ctx);
            }
            duk_pop_2(ctx);
        }
        duk_pop(ctx);
    }
    duk_push_undefined(ctx);
}

/* For require('PKG/SUB') found in the package directory PKGDIR: the file
 * its package.json "exports" maps "./SUB" (or ".") to, into out, if it
 * lies inside ROOT. Returns 0, or -1 when the package has no "exports" or
 * they map nothing here (then the plain file rules apply, more leniently
 * than Node). */
static int try_exports(duk_context *ctx, const char *root, const char *pkgdir, const char *sub,
                       char *out)
{
    char pkg[PATH_MAX], want[PATH_MAX], target[PATH_MAX];
    duk_idx_t top = duk_get_top(ctx), ex;
    const char *star = NULL;
    size_t len;
    char *json;
    int rc = -1;

    snprintf(pkg, sizeof(pkg), "%s/package.json", pkgdir);
    if ((json = eider_read_file(pkg, &len)) == NULL)
        return -1;
    duk_push_lstring(ctx, json, len);
    free(json);
    snprintf(want, sizeof(want), "%s%s", sub[0] ? "./" : ".", sub);
    if (eider_js_json_decode(ctx) != 0 || !duk_is_object(ctx, -1) || !duk_get_prop_string(ctx, -1, "exports"))
        goto done;
    ex = duk_get_top_index(ctx);
    if (!duk_is_object(ctx, ex) && !duk_is_string(ctx, ex))
        goto done;
    /* Keys starting with "." map subpaths; otherwise it is the "." entry. */
    int subpaths = 0;
    if (duk_is_object(ctx, ex) && !duk_is_array(ctx, ex)) {
        duk_enum(ctx, ex, DUK_ENUM_OWN_PROPERTIES_ONLY);
        subpaths = duk_next(ctx, -1, 0) && duk_get_string(ctx, -1)[0] == '.';
        duk_set_top(ctx, ex + 1);
    }
    if (!subpaths) {
        if (strcmp(want, ".") != 0)
            goto done;
        duk_dup(ctx, ex);
    } else if (!duk_get_prop_string(ctx, ex, want)) {
        /* A pattern key with one "*": the longest prefix wins, as in Node. */
        size_t best = 0;
        duk_pop(ctx);
        duk_push_undefined(ctx);
        duk_enum(ctx, ex, DUK_ENUM_OWN_PROPERTIES_ONLY);
        while (duk_next(ctx, -1, 1)) {
            const char *k = duk_get_string(ctx, -2), *st = strchr(k, '*');
            size_t pre = st ? (size_t)(st - k) : 0, suf = st ? strlen(st + 1) : 0;
            if (st != NULL && pre > best && strlen(want) >= pre + suf && strncmp(want, k, pre) == 0
                && strcmp(want + strlen(want) - suf, st + 1) == 0) {
                best = pre;
                snprintf(target, sizeof(target), "%.*s", (int)(strlen(want) - pre - suf), want + pre);
                star = target;
                duk_replace(ctx, -4);
                duk_pop(ctx);
                continue;
            }
            duk_pop_2(ctx);
        }
        duk_pop(ctx);
    }
    for (int round = 0; round < 2 && rc != 0; round++) {
        const char *t, *st;
        char rel[PATH_MAX];
        int n = -1;
        pick_target(ctx, -1, round, 0);
        if ((t = duk_get_string(ctx, -1)) != NULL && strncmp(t, "./", 2) == 0) {
            if (star != NULL && (st = strchr(t, '*')) != NULL)
                n = snprintf(rel, sizeof(rel), "%.*s%s%s", (int)(st - t - 2), t + 2, star, st + 1);
            else
                n = snprintf(rel, sizeof(rel), "%s", t + 2);
        }
        /* SUB comes from the require() id: "../" in it must not reach a
         * stat() outside the root. */
        if (n >= 0 && (size_t)n < sizeof(rel) && inside(root, pkgdir, rel, out))
            rc = is_file(out) ? 0 : -1;
        duk_pop(ctx);
    }
done:
    duk_set_top(ctx, top);
    return rc;
}

/* Tries X (relative ones from BASE) as a file and as a directory, if it
 * is inside ROOT as text; only the normalised path is stat()ed, as Node
 * resolves ".." in an id before looking at the disk. */
static int try_path(duk_context *ctx, const char *root, const char *base, const char *x, char *out)
{
    char norm[PATH_MAX];

    if (!inside(root, base, x, norm))
        return -1;
    return try_file(norm, out) == 0 || try_dir(ctx, norm, out) == 0 ? 0 : -1;
}

/* Resolves ID required from DIR into the real path out: 0, -1 if there
 * is no such file, -2 if it lies outside ROOT. */
static int resolve(duk_context *ctx, const char *root, const char *dir, const char *id, char *out)
{
    char cand[PATH_MAX], found[PATH_MAX];
    size_t rootlen = strlen(root);
    int rc = -1;

    if (id[0] == '\0' || strlen(id) >= PATH_MAX - sizeof("node_modules/"))
        return -1;
    if (id[0] == '/' || strncmp(id, "./", 2) == 0 || strncmp(id, "../", 3) == 0
        || strcmp(id, ".") == 0 || strcmp(id, "..") == 0) {
        rc = try_path(ctx, root, dir, id, found);
    } else {
        /* node_modules from dir up to the root, then the root itself. */
        char up[PATH_MAX], rel[PATH_MAX];
        snprintf(up, sizeof(up), "%s", dir);
        /* The package's own name: "@scope/name" or "name", then SUB. */
        const char *subsep = strchr(id[0] == '@' && strchr(id, '/') ? strchr(id, '/') + 1 : id, '/');
        size_t namelen = subsep ? (size_t)(subsep - id) : strlen(id);
        for (;;) {
            snprintf(rel, sizeof(rel), "node_modules/%.*s", (int)namelen, id);
            if (inside(root, up, rel, cand) && is_dir(cand)
                && (rc = try_exports(ctx, root, cand, subsep ? subsep + 1 : "", found)) == 0)
                break;
            snprintf(rel, sizeof(rel), "node_modules/%s", id);
            if ((rc = try_path(ctx, root, up, rel, found)) == 0)
                break;
            if (strlen(up) <= rootlen)
                break;
            char *slash = strrchr(up, '/');
            if (slash == NULL || slash == up)
                break;
            *slash = '\0';
        }
        if (rc != 0)
            rc = try_path(ctx, root, root, id, found);
    }
    if (rc != 0)
        return -1;
    /* Symlinks must not lead out of the handlers root. */
    switch (eider_path_confine(NULL, found, strlen(found), &root, 1, out)) {
    case 0:
        return 0;
    case EACCES:
        return -2;
    default:
        return -1;
    }
}

/* --- loading --- */

static void push_require(duk_context *ctx, const char *dir, size_t dirlen);

/* Runs the module wrapper on top for the module object at MODULE, with
 * require() resolving from DIR (DIRLEN bytes). Returns 0, or -1 with the
 * error on top. */
static int call_body(duk_context *ctx, duk_idx_t module, const char *name, const char *dir,
                     size_t dirlen)
{
    duk_get_prop_string(ctx, module, "exports");  /* this */
    duk_dup(ctx, -1);                             /* exports */
    push_require(ctx, dir, dirlen);
    duk_dup(ctx, module);                         /* module */
    duk_push_string(ctx, name);                   /* __filename */
    duk_push_lstring(ctx, dir, dirlen);           /* __dirname */
    if (duk_pcall_method(ctx, 5) != 0)
        return -1;
    duk_pop(ctx);
    return 0;
}

/* Runs the built-in LIB (its bytecode, js_lib.h) as the module at MODULE,
 * named NAME. Returns 0, or -1 with the error on top of the stack. */
static int run_builtin(duk_context *ctx, duk_idx_t module, const struct eider_js_lib *lib,
                       const char *name)
{
    memcpy(duk_push_fixed_buffer(ctx, lib->len), lib->code, lib->len);
    duk_load_function(ctx);
    if (duk_pcall(ctx, 0) != 0)       /* the eval gives the wrapper */
        return -1;
    return call_body(ctx, module, name, "node:", 5);
}

/* Runs the file PATH as the body of the module object at MODULE.
 * Returns 0, or -1 with the error on top of the stack. */
static int run_module(duk_context *ctx, duk_idx_t module, const char *path)
{
    struct eider_js *js = eider_js_of(ctx);
    const char *slash = strrchr(path, '/');
    size_t pathlen = strlen(path), len;

    if (pathlen > 5 && strcmp(path + pathlen - 5, ".json") == 0) {
        const char *src = eider_sources_find(js->sources, path, &len);
        char *text = NULL;
        if (src == NULL && (src = text = eider_read_file(path, &len)) == NULL) {
            duk_push_error_object(ctx, DUK_ERR_ERROR, "cannot read %s: %s", path, strerror(errno));
            return -1;
        }
        if (text != NULL)
            eider_sources_add(js->sources, path, text, len, NULL, 0);
        duk_push_lstring(ctx, src, len);
        if (eider_js_json_decode(ctx) != 0) {
            duk_push_error_object(ctx, DUK_ERR_SYNTAX_ERROR, "%s: invalid JSON: %s", path,
                                  duk_safe_to_string(ctx, -1));
            duk_remove(ctx, -2);
            return -1;
        }
        duk_put_prop_string(ctx, module, "exports");
        return 0;
    }
    if (eider_js_load_module(ctx, path) != 0)
        return -1;
    return call_body(ctx, module, path, path, (size_t)(slash - path));
}

/* Pushes a new module object { exports: {}, id, filename, loaded: false }. */
static duk_idx_t push_module(duk_context *ctx, const char *id)
{
    duk_idx_t module = duk_push_object(ctx);

    duk_push_object(ctx);
    duk_put_prop_string(ctx, module, "exports");
    duk_push_string(ctx, id);
    duk_put_prop_string(ctx, module, "id");
    duk_push_string(ctx, id);
    duk_put_prop_string(ctx, module, "filename");
    duk_push_false(ctx);
    duk_put_prop_string(ctx, module, "loaded");
    return module;
}

/* Pushes the exports of the module at PATH, loaded once per heap and
 * cached by real path (a cycle sees the partial exports): 0, or -1 with
 * the error on top. */
int eider_js_require_path(duk_context *ctx, const char *path)
{
    char real[PATH_MAX];
    duk_idx_t module;

    if (realpath(path, real) == NULL) {
        duk_push_error_object(ctx, DUK_ERR_ERROR, "Cannot find module '%s': %s", path, strerror(errno));
        return -1;
    }
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_MODULES);
    duk_remove(ctx, -2);
    if (duk_get_prop_string(ctx, -1, real)) {      /* cached, maybe still loading */
        duk_get_prop_string(ctx, -1, "exports");
        duk_remove(ctx, -2);
        duk_remove(ctx, -2);
        return 0;
    }
    duk_pop(ctx);
    module = push_module(ctx, real);
    duk_dup(ctx, module);
    duk_put_prop_string(ctx, -3, real);            /* cache first: cycles see it */
    if (run_module(ctx, module, real) != 0) {
        duk_del_prop_string(ctx, module - 1, real);
        duk_remove(ctx, -2);                       /* module */
        duk_remove(ctx, -2);                       /* cache */
        return -1;
    }
    duk_push_true(ctx);
    duk_put_prop_string(ctx, module, "loaded");
    duk_get_prop_string(ctx, module, "exports");
    duk_remove(ctx, -2);
    duk_remove(ctx, -2);
    return 0;
}

/* eider/promise: the prelude's pending Promise without an executor, its
 * settle function and what an await waits with (prelude.js,
 * native.newPromise/settlePromise/awaitValue), for eider's own modules
 * that settle promises from outside or await (eider/async). */
static void push_promise_module(duk_context *ctx)
{
    duk_push_object(ctx);
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, EIDER_STASH_NEW_PROMISE);
    duk_put_prop_string(ctx, -3, "newPromise");
    duk_get_prop_string(ctx, -1, EIDER_STASH_SETTLE_PROMISE);
    duk_put_prop_string(ctx, -3, "settlePromise");
    duk_get_prop_string(ctx, -1, EIDER_STASH_AWAIT_VALUE);
    duk_put_prop_string(ctx, -3, "awaitValue");
    duk_pop(ctx);
}

/* Modules built into eider in C: require(name) builds each once per heap. */
static const struct {
    const char *name;
    void (*push)(duk_context *ctx);   /* pushes the module's exports */
} builtins[] = {
    { "crypto",        eider_js_crypto_push },
    { "fs",            eider_js_fs_push },
    { "eider/promise", push_promise_module },
    { "eider",         eider_js_eider_push },
    { "eider/redis",   eider_js_redis_push },   /* require('redis')'s native half */
    { "eider/pg-native", eider_js_pg_push },
};

/* Pushes the exports of the built-in module ID from the C table or from
 * the JavaScript ones (js_lib.h), made now if this heap has none yet.
 * Returns 1, 0 if ID names none, or -1 with the error on top. */
static int make_builtin(duk_context *ctx, const char *id)
{
    const struct eider_js_lib *lib;
    char name[64];
    duk_idx_t module;

    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strcmp(id, builtins[i].name) == 0) {
            builtins[i].push(ctx);
            return 1;
        }
    for (lib = eider_js_libs; lib->id != NULL && strcmp(lib->id, id) != 0; lib++)
        ;
    if (lib->id == NULL)
        return 0;
    snprintf(name, sizeof(name), "node:%s", id);
    module = push_module(ctx, name);
    /* In the cache before it runs, so that a cycle sees the partial exports. */
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_BUILTINS);
    duk_get_prop_string(ctx, module, "exports");
    duk_put_prop_string(ctx, -2, id);
    duk_pop_2(ctx);
    if (run_builtin(ctx, module, lib, name) != 0) {
        duk_push_heap_stash(ctx);
        duk_get_prop_string(ctx, -1, STASH_BUILTINS);
        duk_del_prop_string(ctx, -1, id);
        duk_pop_2(ctx);
        duk_remove(ctx, -2);
        return -1;
    }
    duk_get_prop_string(ctx, module, "exports");
    duk_remove(ctx, module);
    return 1;
}

/* ID required from DIR as a real path inside the handlers root, in out
 * (PATH_MAX bytes): 0, or -1 (missing or outside alike). */
int eider_js_resolve(duk_context *ctx, const char *dir, const char *id, char *out)
{
    return resolve(ctx, eider_js_of(ctx)->root, dir, id, out) == 0 ? 0 : -1;
}

/* 1 if ID (maybe "node:ID") names a built-in module, else 0. */
int eider_js_is_builtin(const char *id)
{
    const struct eider_js_lib *lib;

    if (strncmp(id, "node:", 5) == 0)
        id += 5;
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strcmp(id, builtins[i].name) == 0)
            return 1;
    for (lib = eider_js_libs; lib->id != NULL; lib++)
        if (strcmp(lib->id, id) == 0)
            return 1;
    return 0;
}

/* Pushes the exports of built-in module ID (maybe "node:ID"), made on
 * first use and then the same object: 1, 0 if ID names none (nothing
 * pushed), or -1 with the error on top. */
int eider_js_push_builtin(duk_context *ctx, const char *id)
{
    int rc;

    if (strncmp(id, "node:", 5) == 0)
        id += 5;
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_BUILTINS);
    if (duk_get_prop_string(ctx, -1, id)) {
        duk_remove(ctx, -2);
        duk_remove(ctx, -2);
        return 1;
    }
    duk_pop_3(ctx);
    if ((rc = make_builtin(ctx, id)) != 1)
        return rc;
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_BUILTINS);
    duk_dup(ctx, -3);
    duk_put_prop_string(ctx, -2, id);   /* module.exports may have been replaced */
    duk_pop_2(ctx);
    return 1;
}

/* require(id) of a module whose directory the function carries: a
 * built-in, else the resolved file's exports. Throws "Cannot find module"
 * when there is none inside the handlers root. */
static duk_ret_t js_require(duk_context *ctx)
{
    const char *id = duk_require_string(ctx, 0);
    const char *dir, *root;
    char path[PATH_MAX];
    int rc;

    switch (eider_js_push_builtin(ctx, id)) {
    case 1:
        return 1;
    case -1:
        return duk_throw(ctx);
    }

    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, REQUIRE_DIR);
    dir = duk_get_string(ctx, -1);
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_ROOT);
    root = duk_get_string(ctx, -1);
    rc = resolve(ctx, root, dir, id, path);
    if (rc == -2)
        return duk_error(ctx, DUK_ERR_ERROR, "Cannot find module '%s': it resolves outside "
                         "the handlers root %s", id, root);
    if (rc < 0)
        return duk_error(ctx, DUK_ERR_ERROR, "Cannot find module '%s' from %s", id, dir);
    if (eider_js_require_path(ctx, path) != 0)
        return duk_throw(ctx);
    return 1;
}

/* A require function that resolves relative to DIR (DIRLEN bytes). */
static void push_require(duk_context *ctx, const char *dir, size_t dirlen)
{
    duk_push_c_function(ctx, js_require, 1);
    duk_push_lstring(ctx, dir, dirlen);
    duk_put_prop_string(ctx, -2, REQUIRE_DIR);
}

/* --- the helpers lowered code calls --- */

/* The globals lowered code calls (lower.js: noEmitHelpers), and the
 * module that defines them all on the global object: tslib's, as
 * TypeScript 4.8 names them, through eider/tslib, which corrects some,
 * and eider's coroutines for async functions. */
static const struct {
    const char *name;
    const char *module;
} lowered_helpers[] = {
    { "__extends", "eider/tslib" }, { "__assign", "eider/tslib" }, { "__rest", "eider/tslib" },
    { "__decorate", "eider/tslib" }, { "__param", "eider/tslib" }, { "__metadata", "eider/tslib" },
    { "__awaiter", "eider/tslib" }, { "__generator", "eider/tslib" }, { "__exportStar", "eider/tslib" },
    { "__createBinding", "eider/tslib" }, { "__values", "eider/tslib" }, { "__read", "eider/tslib" },
    { "__spread", "eider/tslib" }, { "__spreadArrays", "eider/tslib" }, { "__spreadArray", "eider/tslib" },
    { "__await", "eider/tslib" }, { "__asyncGenerator", "eider/tslib" }, { "__asyncDelegator", "eider/tslib" },
    { "__asyncValues", "eider/tslib" }, { "__makeTemplateObject", "eider/tslib" },
    { "__importStar", "eider/tslib" }, { "__importDefault", "eider/tslib" },
    { "__classPrivateFieldGet", "eider/tslib" }, { "__classPrivateFieldSet", "eider/tslib" },
    { "__classPrivateFieldIn", "eider/tslib" }, { "__eiderSuperGet", "eider/tslib" },
    { "__eiderSuperSet", "eider/tslib" }, { "__eiderWithProto", "eider/tslib" },
    { "__eiderIterableArguments", "eider/tslib" }, { "__eiderConstructBuiltin", "eider/tslib" },
    { "__eiderLength", "eider/tslib" }, { "__eiderTDZ", "eider/tslib" },
    { "__eiderAsync", "eider/async" }, { "__eiderAwait", "eider/async" },
};

#define HELPER_NAME DUK_HIDDEN_SYMBOL("helper")
#define HELPER_MODULE DUK_HIDDEN_SYMBOL("module")

/* The first read of a helper loads its module, which defines its helpers
 * on the global object through helper_set; then it reads the real one. */
static duk_ret_t helper_get(duk_context *ctx)
{
    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, HELPER_MODULE);
    if (eider_js_push_builtin(ctx, duk_get_string(ctx, -1)) != 1)
        return duk_throw(ctx);
    duk_pop_2(ctx);
    duk_get_prop_string(ctx, -1, HELPER_NAME);
    duk_push_global_object(ctx);
    duk_get_prop_string(ctx, -1, duk_get_string(ctx, -2));
    return 1;
}

/* tslib's `global[name] = fn` (or a user's) replaces the accessor. */
static duk_ret_t helper_set(duk_context *ctx)
{
    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, HELPER_NAME);
    duk_push_global_object(ctx);
    duk_dup(ctx, -2);
    duk_dup(ctx, 0);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE
                 | DUK_DEFPROP_SET_CONFIGURABLE | DUK_DEFPROP_CLEAR_ENUMERABLE);
    return 0;
}

/* Defines each helper on the global object as an accessor that loads its
 * module on first use: a heap whose code is all ES5 never pays for it. */
static void define_helpers(duk_context *ctx)
{
    duk_push_global_object(ctx);
    for (size_t i = 0; i < sizeof(lowered_helpers) / sizeof(lowered_helpers[0]); i++) {
        duk_push_string(ctx, lowered_helpers[i].name);
        duk_push_c_function(ctx, helper_get, 0);
        duk_push_string(ctx, lowered_helpers[i].name);
        duk_put_prop_string(ctx, -2, HELPER_NAME);
        duk_push_string(ctx, lowered_helpers[i].module);
        duk_put_prop_string(ctx, -2, HELPER_MODULE);
        duk_push_c_function(ctx, helper_set, 1);
        duk_push_string(ctx, lowered_helpers[i].name);
        duk_put_prop_string(ctx, -2, HELPER_NAME);
        duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER
                     | DUK_DEFPROP_SET_CONFIGURABLE | DUK_DEFPROP_CLEAR_ENUMERABLE);
    }
    duk_pop(ctx);
}

/* Readies require() in the heap: the module cache, the handlers ROOT
 * (realpath'd; copied), the built-ins cache and the loader. */
void eider_js_module_init(duk_context *ctx, const char *root)
{
    duk_push_heap_stash(ctx);
    duk_push_bare_object(ctx);
    duk_put_prop_string(ctx, -2, STASH_MODULES);
    duk_push_string(ctx, root);
    duk_put_prop_string(ctx, -2, STASH_ROOT);
    duk_push_bare_object(ctx);
    duk_put_prop_string(ctx, -2, STASH_BUILTINS);
    duk_pop(ctx);
    define_helpers(ctx);
    eider_js_load_init(ctx);
}
