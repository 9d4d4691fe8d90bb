/*
 * eider test [-c FILE] [-g DIRECTIVES] [DIR]: runs every *.test.js and
 * *.test.ts file under DIR (default: tests/ under the handlers root), one
 * after another, each in a child process of its own (a fresh heap, so
 * tests cannot leak into each other, and a crash fails one file only) run
 * as eider run runs a script. The files use the node:test built-in
 * (framework/js/lib/test.js), which prints unnumbered TAP result lines;
 * this file numbers them across files and prints TAP version 13, the plan
 * and a last line "N passed, N failed". Exits 1 if anything failed.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "cmd.h"
#include "config.h"

#define TEST_USAGE "Usage: eider test [-c FILE] [-g DIRECTIVES] [DIR]\n"

/* The totals over all files. */
struct tally {
    unsigned number, passed, failed;
};

/* A test file: NAME.test.js or NAME.test.ts. */
static int is_test_file(const char *name)
{
    size_t len = strlen(name);

    return len > 8 && (strcmp(name + len - 8, ".test.js") == 0 || strcmp(name + len - 8, ".test.ts") == 0);
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the test files under DIR (recursing, skipping node_modules and
 * hidden names) to *FILES (*N of them, malloc'd, the caller frees). */
static void find_tests(const char *dir, char ***files, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    struct stat st;
    char path[PATH_MAX];

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "node_modules") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (stat(path, &st) < 0)
            continue;
        if (S_ISDIR(st.st_mode))
            find_tests(path, files, n);
        else if (S_ISREG(st.st_mode) && is_test_file(de->d_name)) {
            *files = eider_realloc(*files, (*n + 1) * sizeof(char *));
            (*files)[(*n)++] = eider_strdup(path);
        }
    }
    closedir(d);
}

/* In the child: runs the test file PATH with its stdout on FD. Never returns. */
static void run_child(const char *conf_file, const char *extra, const char *path, int fd)
{
    char *argv[8];
    int argc = 0;

    if (dup2(fd, STDOUT_FILENO) < 0)
        _exit(1);
    close(fd);
    argv[argc++] = "run";
    if (conf_file != NULL)
        argv[argc++] = "-c", argv[argc++] = (char *)conf_file;
    if (extra != NULL)
        argv[argc++] = "-g", argv[argc++] = (char *)extra;
    argv[argc++] = (char *)path;
    argv[argc] = NULL;
    fflush(stdout);
    exit(eider_cmd_run(argc, argv));
}

/* Copies the child's output from IN to stdout, numbering its result lines
 * ("ok - ..." / "not ok - ...") into T. Returns the failures it saw. */
static unsigned relay(FILE *in, struct tally *t)
{
    char *line = NULL;
    size_t cap = 0;
    unsigned failures = 0;

    while (getline(&line, &cap, in) != -1) {
        if (strncmp(line, "ok - ", 5) == 0) {
            t->passed++;
            printf("ok %u - %s", ++t->number, line + 5);
        } else if (strncmp(line, "not ok - ", 9) == 0) {
            t->failed++, failures++;
            printf("not ok %u - %s", ++t->number, line + 9);
        } else
            fputs(line, stdout);
    }
    free(line);
    fflush(stdout);
    return failures;
}

/* Runs one test file PATH in a child process, adding to T. */
static void run_file(const char *conf_file, const char *extra, const char *path, struct tally *t)
{
    int fds[2], status = 0;
    unsigned failures;
    pid_t pid;
    FILE *in;

    printf("# %s\n", path);
    fflush(stdout);
    if (pipe(fds) < 0 || (pid = fork()) < 0) {
        printf("not ok %u - %s\n  ---\n  message: 'cannot start it: %s'\n  ...\n", ++t->number, path,
               strerror(errno));
        t->failed++;
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        run_child(conf_file, extra, path, fds[1]);
    }
    close(fds[1]);
    in = fdopen(fds[0], "r");
    failures = in != NULL ? relay(in, t) : 0;
    if (in != NULL)
        fclose(in);
    else
        close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    /* It stopped before its tests could report: a syntax error (on
     * stderr, as file:line:column), an uncaught error, a crash. */
    if (failures == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        printf("not ok %u - %s\n  ---\n  message: 'the file failed (%s %d): see its error above'\n  ...\n",
               ++t->number, path, WIFEXITED(status) ? "exit status" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        t->failed++;
    }
}

int eider_cmd_test(int argc, char **argv)
{
    const char *conf_file = NULL, *extra = NULL;
    struct tally t = { 0 };
    char dir[PATH_MAX], err[2048];
    char **files = NULL;
    size_t n = 0;
    int opt;

    optind = 1;
    while ((opt = getopt(argc, argv, "c:g:h")) != -1) {
        switch (opt) {
        case 'c': conf_file = optarg; break;
        case 'g': extra = optarg; break;
        case 'h': fputs(TEST_USAGE, stdout); return 0;
        default:  fputs(TEST_USAGE, stderr); return 2;
        }
    }
    if (argc - optind > 1) {
        fputs("eider test: give at most one DIR\n" TEST_USAGE, stderr);
        return 2;
    }
    if (optind < argc)
        snprintf(dir, sizeof(dir), "%s", argv[optind]);
    else {
        struct eider_config *cfg = eider_config_load(conf_file, extra, err, sizeof(err));
        if (cfg == NULL) {
            fprintf(stderr, "eider test: %s\n", err);
            return 1;
        }
        snprintf(dir, sizeof(dir), "%s/tests", cfg->handlers);
        eider_config_free(cfg);
    }
    find_tests(dir, &files, &n);
    if (n == 0) {
        fprintf(stderr, "eider test: no *.test.js files under %s: put them there or name a DIR\n", dir);
        return 1;
    }
    if (n > 1)
        qsort(files, n, sizeof(char *), path_cmp);
    printf("TAP version 13\n");
    for (size_t i = 0; i < n; i++) {
        run_file(conf_file, extra, files[i], &t);
        free(files[i]);
    }
    free(files);
    printf("1..%u\n%u passed, %u failed\n", t.number, t.passed, t.failed);
    fflush(stdout);
    return t.failed ? 1 : 0;
}
