/*
 * Path confinement: the one check that a file named by a user (a
 * require() id, an fs path) lies inside a root directory. Every place that
 * opens a user-named file goes through it.
 *
 * A path is checked twice: as written, made absolute and normalised as text
 * ("." and ".." resolved, "//" collapsed, no disk access), so "../" cannot
 * climb out and nothing outside is even stat()ed; then after realpath(), so
 * a symbolic link inside a root cannot lead out of it. Roots are absolute
 * and normalised (realpath'd by their directives); the root "/" holds every
 * path.
 */
#ifndef EIDER_PATH_H
#define EIDER_PATH_H

#include <stddef.h>

/* Joins PATH (LEN bytes, not necessarily NUL-terminated) to BASE when it
 * is relative, and writes the normalised absolute result into out
 * (PATH_MAX bytes): "." dropped, ".." removes the previous segment (never
 * above "/"), repeated and trailing slashes collapsed. Only the text is
 * looked at. Returns 0, or -1 (out undefined) when PATH holds a NUL byte,
 * is relative without an absolute BASE, or the result does not fit. */
int eider_path_normalise(const char *base, const char *path, size_t len, char *out);

/* 1 if the normalised absolute PATH is ROOT or lies below it, else 0.
 * "/srv/ab" is not inside "/srv/a"; every path is inside "/"; a trailing
 * slash on ROOT is ignored. */
int eider_path_within(const char *path, const char *root);

/* 1 if PATH (as for eider_path_within) lies inside one of the NROOTS roots. */
int eider_path_within_any(const char *path, const char *const *roots, size_t nroots);

/* The whole check, for a file about to be opened: PATH (LEN bytes;
 * relative ones from BASE, may be NULL) normalised, inside a root as text,
 * then realpath()'d into real (PATH_MAX bytes) and inside a root again.
 * Returns 0, or an errno value: EACCES outside every root (also for a NUL
 * byte or an over-long path, before the disk is touched, so nothing is
 * learnt about files outside), else realpath()'s (ENOENT, ENOTDIR...). */
int eider_path_confine(const char *base, const char *path, size_t len,
                       const char *const *roots, size_t nroots, char *real);

#endif
