/*
 * Built-in modules written in JavaScript (the .js files of framework/js/lib), embedded
 * in the binary at build time by js2c --table. Each text is a CommonJS
 * module body in plain ES5; js_module.c compiles one the first time a
 * heap requires it, under the file name "node:ID".
 */
#ifndef EIDER_JS_LIB_H
#define EIDER_JS_LIB_H

#include <stddef.h>

struct eider_js_lib {
    const char *id;      /* what require() takes, without "node:" */
    const char *text;    /* NUL-terminated */
    size_t len;
};

/* Ended by a row whose id is NULL. */
extern const struct eider_js_lib eider_js_libs[];

#endif
