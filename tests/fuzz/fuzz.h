/*
 * Shared by the libFuzzer targets in tests/fuzz/: a failed property is a
 * crash (abort(), so libFuzzer saves the input), and a scratch directory
 * for the targets that need files, removed when the fuzzer exits.
 */
#ifndef EIDER_FUZZ_H
#define EIDER_FUZZ_H

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
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

/* Removes the scratch directories of earlier runs of NAME whose process
 * is gone: a crash ends the process without running atexit(). */
static void fuzz_rm_stale(const char *tmp, const char *name)
{
    char prefix[128], path[PATH_MAX];
    size_t n = (size_t)snprintf(prefix, sizeof(prefix), "eider-%s-", name);
    DIR *d = opendir(tmp);
    struct dirent *de;

    while (d != NULL && (de = readdir(d)) != NULL) {
        long pid;
        char *end;
        if (strncmp(de->d_name, prefix, n) != 0)
            continue;
        pid = strtol(de->d_name + n, &end, 10);
        if (end == de->d_name + n || *end != '-' || pid <= 0
            || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmp, de->d_name);
        nftw(path, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
    if (d != NULL)
        closedir(d);
}

/* Makes a fresh directory under $TMPDIR (or /tmp) for this process,
 * named after its pid and removed at exit; returns its path. A setup
 * failure is not a finding: exit(2) rather than abort(). */
static FUZZ_UNUSED const char *fuzz_scratch_dir(const char *name)
{
    const char *tmp = getenv("TMPDIR");

    if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    fuzz_rm_stale(tmp, name);
    snprintf(fuzz_scratch, sizeof(fuzz_scratch), "%s/eider-%s-%ld-XXXXXX", tmp, name,
             (long)getpid());
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
