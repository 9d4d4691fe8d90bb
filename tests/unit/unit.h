/*
 * A minimal unit test harness: TEST(name) { ... CHECK(cond); ... } and
 * UNIT_MAIN(test, test, ...). Prints "ok NAME" / "FAIL NAME: ..." and a
 * last line "N passed, N failed", the form tests/run.py reads.
 */
#ifndef EIDER_UNIT_H
#define EIDER_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_now;

#define TEST(name) static void name(void)

#define CHECK(cond) do { \
        if (!(cond)) { \
            printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            unit_failed_now = 1; \
        } \
    } while (0)

#define CHECK_STR(a, b) do { \
        const char *a_ = (a), *b_ = (b); \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) { \
            printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
            unit_failed_now = 1; \
        } \
    } while (0)

typedef void (*unit_fn)(void);

static int unit_run(const char *const *names, const unit_fn *fns, int n)
{
    int passed = 0, failed = 0;

    for (int i = 0; i < n; i++) {
        unit_failed_now = 0;
        fns[i]();
        if (unit_failed_now) {
            printf("FAIL %s: see above\n", names[i]);
            failed++;
        } else {
            printf("ok %s\n", names[i]);
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define UNIT_NAME_(f) #f,
#define UNIT_MAIN(...) \
    int main(void) { \
        static const unit_fn fns[] = { __VA_ARGS__ }; \
        static const char *const names_all = #__VA_ARGS__; \
        static char buf[4096]; const char *names[sizeof(fns) / sizeof(fns[0])]; \
        int n = (int)(sizeof(fns) / sizeof(fns[0])), k = 0; \
        snprintf(buf, sizeof(buf), "%s", names_all); \
        for (char *s = strtok(buf, ", "); s && k < n; s = strtok(NULL, ", ")) names[k++] = s; \
        return unit_run(names, fns, n); \
    }

#endif
