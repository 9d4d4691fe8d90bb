/*
 * Unit tests for framework/syntax.c (does JS text need lowering?) and the
 * source map lookup of framework/js_sourcemap.c, with hostile inputs:
 * unterminated comments and strings at the very end, truncated VLQ, and
 * maps without mappings. Texts are malloc'd at exactly their length, not
 * NUL-terminated, so valgrind sees any read past the end.
 */
#include <stdlib.h>

#include "js_internal.h"
#include "syntax.h"
#include "unit.h"

/* A copy of S without its NUL, for the scanners that take a length. */
static char *exact(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n ? n : 1);
    memcpy(p, s, n);
    return p;
}

static int modern(const char *s)
{
    char *p = exact(s);
    int r = eider_syntax_modern(p, strlen(s));
    free(p);
    return r;
}

static int has_const(const char *s)
{
    char *p = exact(s);
    int r = eider_syntax_has_word(p, strlen(s), "const");
    free(p);
    return r;
}

TEST(es5_is_not_modern)
{
    CHECK(!modern("var a = function (x) { return x + 1; };\nmodule.exports = a;\n"));
    CHECK(!modern("var s = 'const => ` ...'; // let class => ?? ?.\n/* async await `x` */"));
    CHECK(!modern("var o = {}; o.const = 3; o.class = 4; o.of = o.let;"));
    CHECK(!modern("var x = a ? .5 : b;"));   /* "? ." is no optional chaining */
    CHECK(!modern(""));
}

TEST(modern_tokens_are_found)
{
    CHECK(modern("const a = 1;"));
    CHECK(modern("var f = (x) => x;"));
    CHECK(modern("var s = `t`;"));
    CHECK(modern("f(...args);"));
    CHECK(modern("var v = a?.b;"));
    CHECK(modern("var v = a ?? b;"));
    CHECK(modern("var v = 2 ** 3;"));
    CHECK(modern("var n = 1_000;"));
    CHECK(modern("class A {}"));
    CHECK(modern("import x from 'y';"));
    CHECK(modern("export default 1;"));
    CHECK(modern("async function f() { await g(); }"));
    CHECK(modern("for (x of y) {}"));
}

TEST(has_word_skips_comments_strings_and_properties)
{
    CHECK(has_const("const x = 1;"));
    CHECK(has_const("var a;\nconst"));
    CHECK(!has_const("var constant = 1; // const\n'const' \"const\" /* const */"));
    CHECK(!has_const("obj.const = 1;"));
    CHECK(!has_const("var consts, xconst;"));
}

TEST(unterminated_text_at_the_end)
{
    /* Each ends inside a comment, string or escape: no read past the end. */
    static const char *const tails[] = { "/*", "/* abc *", "//", "'abc", "\"abc\\", "'\\", "a ?", "a *",
                                         "`", "=", ".", "/", "\\" };
    for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        modern(tails[i]);
        has_const(tails[i]);
    }
    CHECK(!modern("var a; /* const x = `y` "));
    CHECK(!has_const("var a = 'const"));
}

/* A map whose mappings are MAPPINGS. */
static int lookup(const char *mappings, int line, int *ol, int *oc)
{
    char map[512];
    snprintf(map, sizeof(map), "{\"version\":3,\"sources\":[\"a.ts\"],\"mappings\":\"%s\"}", mappings);
    return eider_sourcemap_lookup(map, strlen(map), line, ol, oc);
}

TEST(sourcemap_lines)
{
    int ol = 0, oc = 0;

    /* Line 1 -> 1:1; line 2 has none -> the last before; line 3 -> 3:5
     * (AAEI: +0 col, src 0, +2 lines, +4 cols). */
    CHECK(lookup("AAAA;;AAEI", 1, &ol, &oc) == 0 && ol == 1 && oc == 1);
    CHECK(lookup("AAAA;;AAEI", 2, &ol, &oc) == 0 && ol == 1);
    CHECK(lookup("AAAA;;AAEI", 3, &ol, &oc) == 0 && ol == 3 && oc == 5);
    /* The first segment of a line wins over later ones. */
    CHECK(lookup("AAAA,IAAE", 1, &ol, &oc) == 0 && ol == 1 && oc == 1);
    /* Negative deltas (D = -1). */
    CHECK(lookup("AAEA;AADA", 2, &ol, &oc) == 0 && ol == 2);
}

TEST(sourcemap_hostile)
{
    int ol = 0, oc = 0;

    CHECK(lookup("", 1, &ol, &oc) == -1);
    CHECK(lookup(";;;", 2, &ol, &oc) == -1);
    CHECK(lookup("A", 1, &ol, &oc) == -1);               /* one field: no source position */
    CHECK(lookup("gggggggggggggggA", 1, &ol, &oc) == -1); /* VLQ too long */
    CHECK(lookup("g", 1, &ol, &oc) == -1);                /* continuation cut off */
    CHECK(lookup("AA!A", 1, &ol, &oc) == -1);             /* not base64 */
    CHECK(lookup("AAAAAA", 1, &ol, &oc) == -1);           /* six fields */
    CHECK(eider_sourcemap_lookup("{}", 2, 1, &ol, &oc) == -1);
    CHECK(eider_sourcemap_lookup("{\"mappings\":\"AAAA", 17, 1, &ol, &oc) == -1);   /* no closing quote */
    CHECK(eider_sourcemap_lookup(NULL, 0, 1, &ol, &oc) == -1);
}

UNIT_MAIN(es5_is_not_modern, modern_tokens_are_found, has_word_skips_comments_strings_and_properties,
          unterminated_text_at_the_end, sourcemap_lines, sourcemap_hostile)
