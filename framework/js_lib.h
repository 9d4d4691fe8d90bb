/*
 * eider's own JavaScript, embedded in the binary at build time as Duktape
 * bytecode by framework/tools/jsbc ("jsbc table"): the prelude's parts
 * (js_runtime.c runs them in every heap) and the built-in modules written
 * in JavaScript (framework/js/lib and Debian's ES5 packages; js_module.c
 * loads one the first time a heap requires it). Each row's code is what
 * duk_dump_function() made of eval code; loading and calling it gives the
 * part's function, or for a module the CommonJS wrapper below around the
 * module's body.
 */
#ifndef EIDER_JS_LIB_H
#define EIDER_JS_LIB_H

#include <stddef.h>

/* A module body becomes a function between these two (js_load.c compiles
 * a handler's modules the same way). */
#define EIDER_JS_WRAP_HEAD "(function (exports, require, module, __filename, __dirname) {"
#define EIDER_JS_WRAP_TAIL "\n})"

struct eider_js_lib {
    const char *id;      /* a prelude part's name; what require() takes, without "node:" */
    const char *code;    /* bytecode */
    size_t len;
};

/* Ended by a row whose id is NULL. */
extern const struct eider_js_lib eider_js_libs[];

#endif
