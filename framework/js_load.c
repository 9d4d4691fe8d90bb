/*
 * Loading a module file: from the generation's sources, or from disk and
 * then lowered (lower.h, through the runtime's lower function) when
 * Duktape cannot take it as it is; syntax errors named file:line:column
 * in the user's own text. In a check (eider -t, start, reload), every
 * module that a loaded file requires with a literal name is compiled
 * too, so that a broken file fails the check even if it is required only
 * inside a handler function, and workers find it lowered already.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "file.h"
#include "js_internal.h"
#include "js_lib.h"
#include "sources.h"
#include "syntax.h"

/* Compiled in a check ahead of their first require (stash key). */
#define STASH_COMPILED "compiled"

/* The wrapper keeps line numbers: it adds no newline before the source. */

/* --- syntax errors: name file:line:column --- */

/* Replaces the SyntaxError on top with one whose message reads
 * "FILE:LINE:COL: SyntaxError: ...". Duktape reports a line of the text it
 * compiled (SRC, LEN bytes): for a lowered file MAP maps it back to the
 * user's; else the column is the line's first token. */
static void explain_syntax_error(duk_context *ctx, const char *path, const char *src, size_t len,
                                 const char *map, size_t maplen)
{
    const char *msg, *at;
    int line = 1, col = 1, oline, ocol;

    duk_get_prop_string(ctx, -1, "message");
    msg = duk_safe_to_string(ctx, -1);
    if ((at = strstr(msg, "(line ")) != NULL)
        line = atoi(at + 6);
    if (map != NULL && eider_sourcemap_lookup(map, maplen, line, &oline, &ocol) == 0) {
        line = oline;
        col = ocol;
    } else {
        /* An error at the end of input is reported past the last line, in
         * the module wrapper's closing lines: clamp it to the file. */
        const char *p = src, *end = src + len, *bol = src;
        int ln = 1;
        for (; ln < line && p < end; p++)
            if (*p == '\n') {
                ln++;
                bol = p + 1;
            }
        if (ln < line || p == end) {
            line = ln;
            p = bol;
        }
        while (p < end && (*p == ' ' || *p == '\t'))
            p++, col++;
    }
    /* Duktape's "(line N)" counts lines of what it compiled: dropped, as
     * file:line:col says where in the user's text. */
    duk_push_error_object(ctx, DUK_ERR_SYNTAX_ERROR, "%s:%d:%d: SyntaxError: %.*s", path, line, col,
                          (int)(at != NULL && at > msg && at[-1] == ' ' ? at - 1 - msg : (long)strlen(msg)), msg);
    duk_remove(ctx, -2);
    duk_remove(ctx, -2);
}

/* Compiles SRC (LEN bytes, the text of NAME) as a CommonJS module body.
 * Returns 0 with the wrapper function on top, or -1 with Duktape's
 * SyntaxError on top. */
static int compile_wrapped(duk_context *ctx, const char *name, const char *src, size_t len)
{
    duk_push_string(ctx, EIDER_JS_WRAP_HEAD);
    duk_push_lstring(ctx, src, len);
    duk_push_string(ctx, EIDER_JS_WRAP_TAIL);
    duk_concat(ctx, 3);
    duk_push_string(ctx, name);
    if (duk_pcompile(ctx, DUK_COMPILE_EVAL) != 0)
        return -1;
    return duk_pcall(ctx, 0) != 0 ? -1 : 0;      /* the eval gives the wrapper */
}


static int load_file(duk_context *ctx, struct eider_js *js, const char *path);

/* In a check: compiles each module that SRC (the text of PATH) requires
 * with a literal name and that no source holds yet, keeping the compiled
 * wrapper for the require that may come. A name that resolves to nothing
 * is left to run time (an optional dependency in a try). Returns 0, or
 * -1 with the error of a module that does not compile on top. */
static int compile_required(duk_context *ctx, struct eider_js *js, const char *path,
                            const char *src, size_t len)
{
    const char *p = src, *end = src + len, *slash = strrchr(path, '/');
    char dir[PATH_MAX], id[PATH_MAX], found[PATH_MAX];
    size_t n;

    char **todo = NULL;
    size_t ntodo = 0;
    int rc = 0;

    snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    while ((p = memmem(p, (size_t)(end - p), "require(", 8)) != NULL) {
        const char *q = p + 8, *close;
        int word = p > src && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '$' || p[-1] == '.');

        p = q;
        if (word || q >= end || (*q != '"' && *q != '\'')
            || (close = memchr(q + 1, *q, (size_t)(end - q - 1))) == NULL || close + 1 >= end
            || close[1] != ')' || (n = (size_t)(close - q - 1)) == 0 || n >= sizeof(id)
            || memchr(q + 1, '\n', n) != NULL)
            continue;
        memcpy(id, q + 1, n);
        id[n] = '\0';
        if (eider_js_is_builtin(id) || eider_js_resolve(ctx, dir, id, found) != 0
            || eider_sources_find(js->sources, found, &n) != NULL
            || (strlen(found) > 5 && strcmp(found + strlen(found) - 5, ".json") == 0))
            continue;
        todo = eider_realloc(todo, (ntodo + 1) * sizeof(*todo));
        todo[ntodo++] = eider_strdup(found);
    }
    /* Lower them side by side first; loading then finds them cached. */
    if (js->prefetch != NULL && ntodo > 1) {
        long long t = eider_js_clock();
        js->prefetch(js->cfg, (const char *const *)todo, ntodo);
        eider_js_exclude(js, t);
    }
    for (size_t i = 0; i < ntodo; i++) {
        /* An earlier one may have required it already. */
        if (rc == 0 && todo[i] != NULL && eider_sources_find(js->sources, todo[i], &n) == NULL) {
            if (load_file(ctx, js, todo[i]) != 0) {
                rc = -1;
            } else {
                duk_push_heap_stash(ctx);
                duk_get_prop_string(ctx, -1, STASH_COMPILED);
                duk_dup(ctx, -3);
                duk_put_prop_string(ctx, -2, todo[i]);
                duk_pop_3(ctx);
            }
        }
        free(todo[i]);
    }
    free(todo);
    return rc;
}

/* Reads PATH from disk and compiles it, lowered first if Duktape cannot
 * take it as it is: TypeScript, a file where Duktape would take `const`
 * for `var`, or one it refuses. Keeps the text compiled (and the map of a
 * lowered one) in the generation's sources, so that workers compile
 * exactly that. Returns 0 with the wrapper on top, or -1 with the error. */
static int load_file(duk_context *ctx, struct eider_js *js, const char *path)
{
    size_t pathlen = strlen(path), len, codelen, maplen, slen;
    const char *src;
    char *text = eider_read_file(path, &len), *code, *map;
    char err[1024];
    int ts = pathlen > 3 && strcmp(path + pathlen - 3, ".ts") == 0;

    if (text == NULL) {
        duk_push_error_object(ctx, DUK_ERR_ERROR, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (!ts && !eider_syntax_has_word(text, len, "const")) {
        if (compile_wrapped(ctx, path, text, len) == 0) {
            eider_sources_add(js->sources, path, text, len, NULL, 0);
            return js->base == NULL ? compile_required(ctx, js, path, text, len) : 0;
        }
        if (js->lower == NULL) {
            explain_syntax_error(ctx, path, text, len, NULL, 0);
            free(text);
            return -1;
        }
        duk_pop(ctx);
    }
    if (js->lower == NULL) {
        duk_push_error_object(ctx, DUK_ERR_SYNTAX_ERROR, "%s: needs lowering to ES5, which this "
                              "process cannot do", path);
        free(text);
        return -1;
    }
    long long t = eider_js_clock();
    int rc = js->lower(js->cfg, path, text, len, &code, &codelen, &map, &maplen, err, sizeof(err));

    eider_js_exclude(js, t);
    if (rc != 0) {
        duk_push_error_object(ctx, DUK_ERR_SYNTAX_ERROR, "%s", err);
        free(text);
        return -1;
    }
    free(text);
    eider_sources_add(js->sources, path, code, codelen, map, maplen);
    js->lowered = 1;
    if (eider_js_compile_module(ctx, path, code, codelen, map, maplen) != 0)
        return -1;
    src = eider_sources_find(js->sources, path, &slen);
    return js->base == NULL ? compile_required(ctx, js, path, src, slen) : 0;
}


int eider_js_compile_module(duk_context *ctx, const char *name, const char *src, size_t len,
                            const char *map, size_t maplen)
{
    if (compile_wrapped(ctx, name, src, len) != 0) {
        explain_syntax_error(ctx, name, src, len, map, maplen);
        return -1;
    }
    return 0;
}

int eider_js_load_module(duk_context *ctx, const char *path)
{
    struct eider_js *js = eider_js_of(ctx);
    size_t len, maplen;
    const char *src = eider_sources_find(js->sources, path, &len);
    const char *map = eider_sources_map(js->sources, path, &maplen);

    if (src == NULL)
        return load_file(ctx, js, path);
    if (map != NULL)
        js->lowered = 1;
    /* Compiled ahead by compile_required? Take it, once. */
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_COMPILED);
    if (duk_get_prop_string(ctx, -1, path)) {
        duk_del_prop_string(ctx, -2, path);
        duk_remove(ctx, -2);
        duk_remove(ctx, -2);
        return 0;
    }
    duk_pop_3(ctx);
    return eider_js_compile_module(ctx, path, src, len, map, maplen);
}

void eider_js_load_init(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_push_bare_object(ctx);
    duk_put_prop_string(ctx, -2, STASH_COMPILED);
    duk_pop(ctx);
}
