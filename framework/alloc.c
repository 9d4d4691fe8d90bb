/*
 * The allocation policy of alloc.h: log and abort on failure.
 */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

void eider_oom(size_t n)
{
    eider_log(EIDER_LOG_CRIT, "out of memory allocating %zu bytes; aborting", n);
    abort();
}

void *eider_malloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL && n > 0)
        eider_oom(n);
    return p;
}

void *eider_calloc(size_t count, size_t size)
{
    void *p = calloc(count, size);

    if (p == NULL && count > 0 && size > 0)
        eider_oom(count * size);
    return p;
}

void *eider_realloc(void *p, size_t n)
{
    void *q = realloc(p, n);

    if (q == NULL && n > 0)
        eider_oom(n);
    return q;
}

char *eider_strdup(const char *s)
{
    return eider_strndup(s, strlen(s));
}

char *eider_strndup(const char *s, size_t n)
{
    char *p = strndup(s, n);

    if (p == NULL)
        eider_oom(n + 1);
    return p;
}
