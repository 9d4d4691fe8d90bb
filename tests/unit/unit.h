/*
 * A minimal unit test harness: TEST(name) { ... CHECK(cond); ... } and
 * UNIT_MAIN(test, test, ...). Prints "ok NAME" / "FAIL NAME: ..." and a
 * last line "N passed, N failed", the form tests/convention.py reads.
 *
 * Also: CHECK_INT / CHECK_CONTAINS / CHECKF for readable failures,
 * unit_report for table-driven tests (one "ok ROW" line per row), and
 * temporary directory helpers (unit_tmpdir, unit_write, unit_mkdirs,
 * unit_rmtree) for tests that need files.
 *
 * Every CHECK* counts itself; the line before the summary says how many
 * checks ran ("N checks"), so a refactoring of the tests can show that it
 * checks no less than before.
 */
#ifndef EIDER_UNIT_H
#define EIDER_UNIT_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define UNIT_UNUSED __attribute__((unused))

static int unit_failed_now;
static int unit_passed, unit_failed;
static unsigned long unit_checks;

#define TEST(name) static void name(void)

#define CHECK(cond) do { \
        unit_checks++; \
        if (!(cond)) { \
            printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            unit_failed_now = 1; \
        } \
    } while (0)

#define CHECK_STR(a, b) do { \
        unit_checks++; \
        const char *a_ = (a), *b_ = (b); \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) { \
            printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
            unit_failed_now = 1; \
        } \
    } while (0)

/* Integer equality, printing both values. */
#define CHECK_INT(a, b) do { \
        unit_checks++; \
        long long a_ = (long long)(a), b_ = (long long)(b); \
        if (a_ != b_) { \
            printf("  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
                   #a, a_, b_); \
            unit_failed_now = 1; \
        } \
    } while (0)

/* HAY contains NEEDLE. */
#define CHECK_CONTAINS(hay, needle) do { \
        unit_checks++; \
        const char *h_ = (hay), *n_ = (needle); \
        if (h_ == NULL || n_ == NULL || strstr(h_, n_) == NULL) { \
            printf("  %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
                   h_ ? h_ : "(null)", n_ ? n_ : "(null)"); \
            unit_failed_now = 1; \
        } \
    } while (0)

/* Memory (not NUL-terminated) equals the string B. */
#define CHECK_MEM(p, len, b) do { \
        unit_checks++; \
        const char *p_ = (p), *b_ = (b); size_t l_ = (len); \
        if (p_ == NULL || l_ != strlen(b_) || memcmp(p_, b_, l_) != 0) { \
            printf("  %s:%d: \"%.*s\" (%zu bytes) != \"%s\"\n", __FILE__, __LINE__, \
                   p_ ? (int)l_ : 6, p_ ? p_ : "(null)", l_, b_); \
            unit_failed_now = 1; \
        } \
    } while (0)

/* COND holds; otherwise prints the printf-style message after it (say
 * which input of which row, since a table's checks share one line). */
#define CHECKF(cond, ...) do { \
        unit_checks++; \
        if (!(cond)) { \
            printf("  %s:%d: ", __FILE__, __LINE__); \
            printf(__VA_ARGS__); \
            putchar('\n'); \
            unit_failed_now = 1; \
        } \
    } while (0)

/* --- temporary files --- */

/* Makes a fresh directory /tmp/eider-unit-XXXXXX; the caller frees the
 * returned path and removes the tree with unit_rmtree. */
static UNIT_UNUSED char *unit_tmpdir(void)
{
    char tmpl[] = "/tmp/eider-unit-XXXXXX";

    if (mkdtemp(tmpl) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    return strdup(tmpl);
}

/* Creates every missing directory of DIR/REL up to (not including) the
 * last component when IS_FILE, or all of it otherwise. */
static UNIT_UNUSED void unit_mkdirs(const char *dir, const char *rel, int is_file)
{
    char path[PATH_MAX];
    size_t base;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    base = strlen(dir) + 1;
    for (char *p = path + base; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            perror(path);
            exit(2);
        }
        *p = '/';
    }
    if (!is_file && mkdir(path, 0755) < 0 && errno != EEXIST) {
        perror(path);
        exit(2);
    }
}

/* Writes TEXT to DIR/REL (creating its directories); returns nothing,
 * exits on failure (a broken test setup is not a framework bug). */
static UNIT_UNUSED void unit_write(const char *dir, const char *rel, const char *text)
{
    char path[PATH_MAX];
    FILE *f;

    unit_mkdirs(dir, rel, 1);
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static int unit_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* rm -rf DIR (symlinks are removed, never followed), then frees DIR. */
static UNIT_UNUSED void unit_rmtree(char *dir)
{
    if (dir == NULL)
        return;
    nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* --- runner --- */

typedef void (*unit_fn)(void);

/* Ends the case NAME: prints "ok NAME", or "FAIL NAME" when a check
 * failed since the last report (its details are above), and starts the
 * next case clean. A table-driven TEST calls it once per row with the
 * row's name, so each row is a case of its own; whatever the TEST checks
 * after its last row is reported under the TEST's name. */
static UNIT_UNUSED void unit_report(const char *name)
{
    if (unit_failed_now) {
        printf("FAIL %s: see above\n", name);
        unit_failed++;
    } else {
        printf("ok %s\n", name);
        unit_passed++;
    }
    unit_failed_now = 0;
}

/* Runs the N tests FNS named NAMES; returns the exit status (1 if any
 * case failed). */
static int unit_run(const char *const *names, const unit_fn *fns, int n)
{
    for (int i = 0; i < n; i++) {
        unit_failed_now = 0;
        fns[i]();
        unit_report(names[i]);
    }
    printf("%lu checks\n", unit_checks);
    printf("%d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}

#define UNIT_NAME_(f) #f,
/* stdout is line buffered so a crash still shows the tests before it. */
#define UNIT_MAIN(...) \
    int main(void) { \
        static const unit_fn fns[] = { __VA_ARGS__ }; \
        static const char *const names_all = #__VA_ARGS__; \
        static char buf[16384]; const char *names[sizeof(fns) / sizeof(fns[0])]; \
        int n = (int)(sizeof(fns) / sizeof(fns[0])), k = 0; \
        setvbuf(stdout, NULL, _IOLBF, 0); \
        snprintf(buf, sizeof(buf), "%s", names_all); \
        for (char *s = strtok(buf, ", \t\n"); s && k < n; s = strtok(NULL, ", \t\n")) names[k++] = s; \
        while (k < n) names[k++] = "(unnamed)"; \
        return unit_run(names, fns, n); \
    }

#endif
