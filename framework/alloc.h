/*
 * eider's allocation policy (README, "Source layout"): memory for eider's
 * own structures (config, routes, timers, lists, names) comes from these,
 * which never return NULL: when malloc fails they log at crit level and
 * abort(), as Redis's zmalloc and Kore's kore_malloc do. A worker that
 * cannot allocate is replaced by the master anyway, and a check that
 * cannot allocate has nothing sensible to answer.
 *
 * Memory whose size comes from outside (a file's contents, a request or
 * answer body, a buffer a handler asked for) is not eider's to promise:
 * it is allocated with plain malloc and a failure fails that one
 * operation (an error to the handler, a 5xx to the client).
 */
#ifndef EIDER_ALLOC_H
#define EIDER_ALLOC_H

#include <stddef.h>

/* malloc, calloc, realloc, strdup and strndup that never return NULL. */
void *eider_malloc(size_t n);
void *eider_calloc(size_t count, size_t size);
void *eider_realloc(void *p, size_t n);
char *eider_strdup(const char *s);
char *eider_strndup(const char *s, size_t n);

/* Logs that N bytes could not be allocated and aborts. */
void eider_oom(size_t n) __attribute__((noreturn));

#endif
