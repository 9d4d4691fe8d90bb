/*
 * One scanner serves both questions: it walks the text, skipping comments
 * and string literals, and calls a test at each token start.
 */
#include "syntax.h"

#include <ctype.h>
#include <string.h>

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* Keywords and punctuators that ES5 does not have (template literals,
 * arrows, spread, optional chaining, nullish coalescing, exponent). */
static const char *const modern_words[] = {
    "const", "let", "class", "import", "export", "async", "await", "yield", "of",
};
static const char *const modern_puncts[] = { "`", "=>", "...", "?.", "??", "**" };

/* Walks SRC; at each word calls WORD(start, n, arg), at each other
 * character PUNCT(p, end, arg); stops at the first non-zero answer. */
static int scan(const char *src, size_t len, int (*word)(const char *, size_t, const char *, void *),
                int (*punct)(const char *, const char *, void *), void *arg)
{
    const char *p = src, *end = src + len;

    while (p < end) {
        if (p[0] == '/' && p + 1 < end && p[1] == '/') {
            while (p < end && *p != '\n')
                p++;
        } else if (p[0] == '/' && p + 1 < end && p[1] == '*') {
            for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
                ;
            p += 2;
        } else if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; p < end && *p != q && *p != '\n'; p++)
                if (*p == '\\')
                    p++;
            p++;
        } else if (ident_char(*p)) {
            const char *start = p;
            while (p < end && ident_char(*p))
                p++;
            if (word != NULL && (start == src || start[-1] != '.') && word(start, (size_t)(p - start), src, arg))
                return 1;
        } else {
            if (punct != NULL && punct(p, end, arg))
                return 1;
            p++;
        }
    }
    return 0;
}

static int is_word(const char *w, size_t n, const char *src, void *arg)
{
    const char *want = arg;

    (void)src;
    return strlen(want) == n && memcmp(w, want, n) == 0;
}

int eider_syntax_has_word(const char *src, size_t len, const char *w)
{
    return scan(src, len, is_word, NULL, (void *)w);
}

static int modern_word(const char *w, size_t n, const char *src, void *arg)
{
    (void)src;
    (void)arg;
    for (size_t i = 0; i < sizeof(modern_words) / sizeof(modern_words[0]); i++)
        if (strlen(modern_words[i]) == n && memcmp(w, modern_words[i], n) == 0)
            return 1;
    /* A numeric separator: 1_000. */
    return isdigit((unsigned char)w[0]) && memchr(w, '_', n) != NULL;
}

static int modern_punct(const char *p, const char *end, void *arg)
{
    (void)arg;
    for (size_t i = 0; i < sizeof(modern_puncts) / sizeof(modern_puncts[0]); i++) {
        size_t n = strlen(modern_puncts[i]);
        if ((size_t)(end - p) >= n && memcmp(p, modern_puncts[i], n) == 0)
            return 1;
    }
    return 0;
}

int eider_syntax_modern(const char *src, size_t len)
{
    return scan(src, len, modern_word, modern_punct, NULL);
}
