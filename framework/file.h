/*
 * Whole-file reads (the config parser, the module loader) and whole-buffer
 * pipe I/O (the lowering helper's and the check child's frames).
 */
#ifndef EIDER_FILE_H
#define EIDER_FILE_H

#include <stddef.h>

/* Reads the regular file PATH into a malloc'd, NUL-terminated buffer and
 * stores its length in *len. Returns NULL with errno set on failure
 * (EISDIR for a directory, EINVAL for another non-regular file). */
char *eider_read_file(const char *path, size_t *len);

/* Writes all N bytes of P to FD, retrying short writes and EINTR.
 * Returns 0, or -1 with errno set (or 0 when the peer closed). */
int eider_write_full(int fd, const void *p, size_t n);

/* Reads exactly N bytes from FD into P. Returns 0, or -1 on error or on
 * end of file before N bytes. */
int eider_read_full(int fd, void *p, size_t n);

/* A frame: a native-endian u64 length, then that many bytes. The write
 * returns 0 or -1; the read returns a malloc'd NUL-terminated copy of the
 * bytes (length in *len), or NULL on a short read, a length over 2 GiB or
 * no memory. Both ends are processes of the same binary. */
int eider_write_chunk(int fd, const void *p, size_t len);
char *eider_read_chunk(int fd, size_t *len);

#endif
