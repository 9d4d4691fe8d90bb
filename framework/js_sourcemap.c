/*
 * Source maps of lowered files (lower.h): Duktape reports lines of the ES5
 * it ran; these map them back to the line the user wrote. Only errors pay
 * for this: a map is decoded from its JSON text at each lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "js_internal.h"
#include "sources.h"

/* Base64 VLQ digit value of c, or -1. */
static int b64(char c)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c != '\0' ? strchr(digits, c) : NULL;
    return p != NULL ? (int)(p - digits) : -1;
}

/* Decodes one VLQ number at *p, advancing it. Returns 0, or -1. */
static int vlq(const char **p, const char *end, long *out)
{
    unsigned long v = 0;
    int shift = 0, d;

    do {
        if (*p >= end || (d = b64(**p)) < 0 || shift > 60)
            return -1;
        (*p)++;
        v |= (unsigned long)(d & 31) << shift;
        shift += 5;
    } while (d & 32);
    *out = (v & 1) ? -(long)(v >> 1) : (long)(v >> 1);
    return 0;
}

int eider_sourcemap_lookup(const char *map, size_t maplen, int line, int *oline, int *ocol)
{
    const char *p = map ? strstr(map, "\"mappings\":\"") : NULL, *end;
    long field[5] = { 0 };   /* column, source, line, column, name: running sums */
    int gen = 1, found = 0;

    (void)maplen;
    if (p == NULL)
        return -1;
    p += 12;
    end = strchr(p, '"');
    if (end == NULL)
        return -1;
    while (p < end && gen <= line) {
        if (*p == ';') {
            gen++;
            field[0] = 0;
            p++;
            continue;
        }
        if (*p == ',') {
            p++;
            continue;
        }
        int n = 0;
        long d;
        while (p < end && *p != ',' && *p != ';') {
            if (n >= 5 || vlq(&p, end, &d) < 0)
                return -1;
            field[n++] += d;
        }
        /* The first mapped segment of the wanted line, or else the last
         * one before it (a line the compiler added maps to its origin). */
        if (n >= 4) {
            *oline = (int)field[2] + 1;
            *ocol = (int)field[3] + 1;
            found = 1;
            if (gen == line)
                break;
        }
    }
    return found ? 0 : -1;
}

/* Appends N bytes at S to the growing buffer *b. */
static void append(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *b = eider_realloc(*b, *cap);
    }
    memcpy(*b + *len, s, n);
    *len += n;
    (*b)[*len] = '\0';
}

void eider_js_map_stack(duk_context *ctx)
{
    struct eider_js *js = eider_js_of(ctx);
    const char *s = duk_get_string(ctx, -1), *p, *done;
    char *out = NULL, path[4096];
    size_t len = 0, cap = 0;

    if (s == NULL || js == NULL || !js->lowered)
        return;
    /* Duktape's traceback lines end "(FILE:LINE)", maybe with flags after. */
    for (done = p = s; (p = strchr(p, '(')) != NULL; p++) {
        const char *close = strchr(p, ')'), *colon;
        size_t maplen, plen;
        const char *map;
        int oline, ocol;

        if (close == NULL)
            break;
        for (colon = close; colon > p && colon[-1] >= '0' && colon[-1] <= '9'; colon--)
            ;
        if (colon == close || colon[-1] != ':' || (plen = (size_t)(colon - 1 - (p + 1))) >= sizeof(path))
            continue;
        memcpy(path, p + 1, plen);
        path[plen] = '\0';
        if ((map = eider_sources_map(js->sources, path, &maplen)) == NULL
            || eider_sourcemap_lookup(map, maplen, atoi(colon), &oline, &ocol) < 0)
            continue;
        char num[32];
        int n = snprintf(num, sizeof(num), "%d:%d", oline, ocol);
        append(&out, &len, &cap, done, (size_t)(colon - done));
        append(&out, &len, &cap, num, (size_t)n);
        done = close;
        p = close;
    }
    if (out == NULL)
        return;
    append(&out, &len, &cap, done, strlen(done));
    duk_pop(ctx);
    duk_push_lstring(ctx, out, len);
    free(out);
}

/* The getter of Error.prototype.stack: Duktape's own (the function's
 * magic-less property "orig"), then its frames of lowered files mapped
 * back to the user's text. */
static duk_ret_t mapped_stack(duk_context *ctx)
{
    duk_push_current_function(ctx);
    duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("orig"));
    duk_push_this(ctx);
    duk_call_method(ctx, 0);
    if (duk_is_string(ctx, -1))
        eider_js_map_stack(ctx);
    return 1;
}

/* Wraps the getter of Error.prototype.stack so that what JavaScript
 * reads, not only what eider logs, names the lines of the file the user
 * wrote when a file was lowered (a test's failure line, e.stack printed by
 * a handler). Reading the stack costs the map lookup; creating an Error
 * costs nothing more. The setter stays Duktape's. */
void eider_js_sourcemap_init(duk_context *ctx)
{
    duk_get_global_string(ctx, "Object");
    duk_get_prop_string(ctx, -1, "getOwnPropertyDescriptor");
    duk_get_global_string(ctx, "Error");
    duk_get_prop_string(ctx, -1, "prototype");
    duk_remove(ctx, -2);
    duk_push_string(ctx, "stack");
    duk_call(ctx, 2);                          /* [Object desc] */
    if (!duk_is_object(ctx, -1)) {
        duk_pop_2(ctx);
        return;
    }
    duk_get_global_string(ctx, "Error");
    duk_get_prop_string(ctx, -1, "prototype");
    duk_remove(ctx, -2);                       /* [Object desc proto] */
    duk_push_string(ctx, "stack");
    duk_push_c_function(ctx, mapped_stack, 0);
    duk_get_prop_string(ctx, -4, "get");
    duk_put_prop_string(ctx, -2, DUK_HIDDEN_SYMBOL("orig"));
    duk_get_prop_string(ctx, -5, "set");
    duk_def_prop(ctx, -4, DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER
                          | DUK_DEFPROP_SET_CONFIGURABLE);
    duk_pop_3(ctx);
}
