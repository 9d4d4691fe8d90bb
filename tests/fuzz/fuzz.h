/*
 * Shared by the libFuzzer targets in tests/fuzz/: a failed property is a
 * crash (abort(), so libFuzzer saves the input), and a scratch directory
 * for the targets that need files, removed when the fuzzer exits.
 */
#ifndef EIDER_FUZZ_H
#define EIDER_FUZZ_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_UNUSED __attribute__((unused))

/* A broken property: say which, then abort() so libFuzzer keeps the
 * input as a crash (a plain return would count as a pass). */
#define FUZZ_ASSERT(cond, ...) do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fputc('\n', stderr); \
            abort(); \
        } \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char fuzz_scratch[PATH_MAX];

static int fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void fuzz_rm_scratch(void)
{
    if (fuzz_scratch[0] != '\0')
        nftw(fuzz_scratch, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes a fresh directory under $TMPDIR (or /tmp) for this process,
 * removed at exit; returns its path. A setup failure is not a finding:
 * exit(2) rather than abort(). */
static FUZZ_UNUSED const char *fuzz_scratch_dir(const char *name)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(fuzz_scratch, sizeof(fuzz_scratch), "%s/eider-%s-XXXXXX",
             tmp != NULL && tmp[0] == '/' ? tmp : "/tmp", name);
    if (mkdtemp(fuzz_scratch) == NULL) {
        perror(fuzz_scratch);
        exit(2);
    }
    atexit(fuzz_rm_scratch);
    return fuzz_scratch;
}

/* Writes TEXT to DIR/REL, making the directories on the way; a REL ending
 * in "/" is only a directory. */
static FUZZ_UNUSED void fuzz_write(const char *dir, const char *rel, const char *text)
{
    char path[PATH_MAX];
    size_t base = strlen(dir) + 1;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
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
    if (path[strlen(path) - 1] == '/')
        return;
    f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

#endif
