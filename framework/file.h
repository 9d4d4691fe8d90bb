/*
 * Whole-file reads, shared by the config parser and the module loader.
 */
#ifndef EIDER_FILE_H
#define EIDER_FILE_H

#include <stddef.h>

/* Reads the regular file PATH into a malloc'd, NUL-terminated buffer and
 * stores its length in *len. Returns NULL with errno set on failure
 * (EISDIR for a directory, EINVAL for another non-regular file). */
char *eider_read_file(const char *path, size_t *len);

#endif
