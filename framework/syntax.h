/*
 * A lexical look at JavaScript text, without parsing it: enough to tell
 * cheaply whether a file needs lowering to ES5 (lower.h). Comments and
 * string literals are skipped; a regular expression literal is read as
 * code, which can only give a false "yes" (a lowering that was not
 * needed), never a wrong program.
 */
#ifndef EIDER_SYNTAX_H
#define EIDER_SYNTAX_H

#include <stddef.h>

/* 1 if the identifier-like word W stands in SRC (LEN bytes) outside
 * comments and strings, not as a property name after a dot. */
int eider_syntax_has_word(const char *src, size_t len, const char *w);

/* 1 if SRC looks like it uses syntax newer than ES5 or const: a token or
 * keyword only ES2015 and later have. For prefetching lowerings; the
 * loader's verdict is Duktape's own compile. */
int eider_syntax_modern(const char *src, size_t len);

#endif
