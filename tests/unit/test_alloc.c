/*
 * Unit tests for framework/alloc.c, the allocation policy: the eider_*
 * allocators give what libc's would, and a request that cannot be met
 * logs and aborts instead of returning NULL (checked in a child process).
 */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#include "alloc.h"
#include "unit.h"

/* Under AddressSanitizer an impossible size is a report and an exit, not
 * NULL, unless this says otherwise (unused in other builds). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

TEST(copies_as_libc_does)
{
    char *a = eider_strdup("eider"), *b = eider_strndup("eider", 3), *c = eider_strndup("ab", 10);
    int *z = eider_calloc(4, sizeof(int));

    CHECK_STR(a, "eider");
    CHECK_STR(b, "eid");
    CHECK_STR(c, "ab");
    CHECK(z[0] == 0 && z[3] == 0);
    z = eider_realloc(z, 1000 * sizeof(int));
    z[999] = 7;
    CHECK_INT(z[999], 7);
    free(a);
    free(b);
    free(c);
    free(z);
}

/* Runs FN in a child; returns the signal that ended it, or 0. */
static int dies_of(void (*fn)(void))
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        /* No core file for the abort we expect. */
        signal(SIGABRT, SIG_DFL);
        fn();
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void huge_malloc(void) { (void)eider_malloc(SIZE_MAX / 2); }
static void huge_calloc(void) { (void)eider_calloc(SIZE_MAX / 16, 8); }
static void huge_realloc(void) { (void)eider_realloc(eider_malloc(8), SIZE_MAX / 2); }

TEST(a_failed_allocation_aborts)
{
    CHECK_INT(dies_of(huge_malloc), SIGABRT);
    CHECK_INT(dies_of(huge_calloc), SIGABRT);
    CHECK_INT(dies_of(huge_realloc), SIGABRT);
}

UNIT_MAIN(copies_as_libc_does, a_failed_allocation_aborts)
