/*
 * Path confinement (path.h): lexical normalisation, the "inside this
 * root" test, and both combined with realpath() for a file about to be
 * opened. Shared by require() (js_module.c) and require('fs') (js_fs.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

/* Appends the segments of S (LEN bytes) to the normalised path in out
 * (*n bytes so far, no trailing slash), resolving "." and "..". Returns
 * 0, or -1 when the result would not fit in PATH_MAX with its NUL. */
static int append_segments(const char *s, size_t len, char *out, size_t *n)
{
    size_t i = 0;

    while (i < len) {
        size_t start, seglen;

        while (i < len && s[i] == '/')
            i++;
        start = i;
        while (i < len && s[i] != '/')
            i++;
        seglen = i - start;
        if (seglen == 0 || (seglen == 1 && s[start] == '.'))
            continue;
        if (seglen == 2 && s[start] == '.' && s[start + 1] == '.') {
            while (*n > 0 && out[--*n] != '/')
                ;
            continue;
        }
        if (*n + 1 + seglen >= PATH_MAX)
            return -1;
        out[(*n)++] = '/';
        memcpy(out + *n, s + start, seglen);
        *n += seglen;
    }
    return 0;
}

/* PATH (LEN bytes; relative ones from BASE) as a normalised absolute
 * path in out (PATH_MAX bytes): 0, or -1 for a NUL byte, a relative path
 * without an absolute BASE, or a result too long. Text only. */
int eider_path_normalise(const char *base, const char *path, size_t len, char *out)
{
    size_t n = 0;

    if (memchr(path, '\0', len) != NULL)
        return -1;
    if (len == 0 || path[0] != '/') {
        if (base == NULL || base[0] != '/' || append_segments(base, strlen(base), out, &n) < 0)
            return -1;
    }
    if (append_segments(path, len, out, &n) < 0)
        return -1;
    if (n == 0)
        out[n++] = '/';
    out[n] = '\0';
    return 0;
}

/* 1 if the normalised absolute PATH is ROOT or below it (every path is
 * below "/"; an empty or relative ROOT holds nothing), else 0. */
int eider_path_within(const char *path, const char *root)
{
    size_t n = strlen(root);

    if (root[0] != '/')
        return 0;           /* an empty or relative root holds nothing */
    while (n > 0 && root[n - 1] == '/')
        n--;                /* "/" becomes "", which every absolute path extends */
    if (path[0] != '/' || strncmp(path, root, n) != 0)
        return 0;
    return path[n] == '/' || path[n] == '\0';
}

/* 1 if PATH lies inside one of the NROOTS ROOTS (eider_path_within). */
int eider_path_within_any(const char *path, const char *const *roots, size_t nroots)
{
    for (size_t i = 0; i < nroots; i++)
        if (eider_path_within(path, roots[i]))
            return 1;
    return 0;
}

/* PATH checked inside ROOTS as text, then realpath()'d into real
 * (PATH_MAX bytes) and checked again: 0, or EACCES (outside, before any
 * disk access when the text is), or realpath()'s errno. */
int eider_path_confine(const char *base, const char *path, size_t len,
                       const char *const *roots, size_t nroots, char *real)
{
    char norm[PATH_MAX];

    if (eider_path_normalise(base, path, len, norm) < 0
        || !eider_path_within_any(norm, roots, nroots))
        return EACCES;
    if (realpath(norm, real) == NULL)
        return errno;
    if (!eider_path_within_any(real, roots, nroots))
        return EACCES;
    return 0;
}
