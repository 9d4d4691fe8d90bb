/*
 * Whole-file reads, and whole-buffer reads and writes on pipes. fstat()
 * first, so a directory or a FIFO named where a file was expected gets a
 * clear error instead of a huge or endless read.
 */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *eider_read_file(const char *path, size_t *len)
{
    struct stat st;
    char *buf;
    size_t n = 0;
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    /* Sized by the file: a failure is this read's error (alloc.h). */
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return NULL;
    }
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;     /* the file shrank: keep what was there */
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}

int eider_write_full(int fd, const void *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p = (const char *)p + w;
        n -= (size_t)w;
    }
    return 0;
}

int eider_read_full(int fd, void *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p = (char *)p + r;
        n -= (size_t)r;
    }
    return 0;
}

int eider_write_chunk(int fd, const void *p, size_t len)
{
    uint64_t n = len;

    return eider_write_full(fd, &n, sizeof(n)) < 0 ? -1 : eider_write_full(fd, p, len);
}

char *eider_read_chunk(int fd, size_t *len)
{
    uint64_t n;
    char *p;

    /* 2 GiB: far above any JS file, and a garbled length fails here
     * instead of as a huge allocation. */
    if (eider_read_full(fd, &n, sizeof(n)) < 0 || n > ((uint64_t)1 << 31)
        || (p = malloc((size_t)n + 1)) == NULL)
        return NULL;
    if (eider_read_full(fd, p, (size_t)n) < 0) {
        free(p);
        return NULL;
    }
    p[n] = '\0';
    *len = (size_t)n;
    return p;
}
