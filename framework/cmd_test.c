/*
 * eider test [-c FILE] [-g DIRECTIVES] [DIR]: runs every *.test.js and
 * *.test.ts file under DIR (default: tests/ under the handlers root), one
 * after another, each in a child process of its own (a fresh heap, so
 * tests cannot leak into each other, and a crash fails one file only) run
 * as eider run runs a script, with the handlers loaded beside it in a
 * bare worker for require('eider/test').request(). The files use the node:test built-in
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

#include <event2/buffer.h>
#include <event2/event.h>

#include "alloc.h"
#include "check.h"
#include "cmd.h"
#include "config.h"
#include "http.h"
#include "lower.h"
#include "runtime.h"
#include "shdict.h"
#include "sources.h"
#include "worker.h"

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

/* A child's handlers: a bare worker on the test file's loop, whose
 * captured answers go back to the test file's runtime. One request at a
 * time (lib/eider/test.js queues them): the worker has one capture. */
struct tester {
    struct eider_worker w;
    struct eider_capture cap;
    void *script_rt;     /* the test file's runtime */
    int ref;             /* the request() waiting for the answer, or 0 */
};

/* On the loop turn after the answer completed (not inside the handler's
 * res.end(), which is still on the C stack): hands it to the test file. */
static void deliver(evutil_socket_t fd, short what, void *arg)
{
    struct tester *t = arg;
    int ref = t->ref;

    (void)fd, (void)what;
    t->ref = 0;
    eider_js_runtime.answered(t->script_rt, ref, (const char *)evbuffer_pullup(t->cap.out, -1),
                              evbuffer_get_length(t->cap.out));
}

static void answer_complete(struct eider_capture *cap)
{
    static const struct timeval now = { 0, 0 };

    event_base_once(cap->base, -1, EV_TIMEOUT, deliver, cap->arg, &now);
}

/* test_request (runtime.h): sends one request to the handlers. */
static int test_request(void *arg, void *rt, int ref, const char *method, const char *target,
                        const char *const *headers, int nheaders, const char *body, size_t bodylen,
                        char *err, size_t errlen)
{
    struct tester *t = arg;
    struct evhttp_request *req;

    if (t->ref != 0) {
        snprintf(err, errlen, "a request is already waiting for its answer");
        return -1;
    }
    if ((req = eider_call_request(method, target, headers, nheaders, body, bodylen, err, errlen)) == NULL)
        return -1;
    t->script_rt = rt;
    t->ref = ref;
    t->cap.status = t->cap.done = 0;
    evbuffer_drain(t->cap.out, evbuffer_get_length(t->cap.out));
    eider_http_dispatch(req, &t->w.listeners[0]);
    return 0;
}

/* In the child: runs the test file PATH with its stdout on FD, with the
 * handlers of CFG loaded for request(). Never returns. */
static void run_child(const struct eider_config *cfg, const char *path, int fd)
{
    static struct tester t;   /* big: not on the stack */
    struct eider_router *router = NULL;
    struct eider_sources *hsources = NULL, *sources = eider_sources_new();
    const char *argv[2] = { "eider", path };
    char err[2048];
    int rc = 1;

    if (dup2(fd, STDOUT_FILENO) < 0)
        _exit(1);
    close(fd);
    t.w.base = event_base_new();
    t.cap.on_end = answer_complete;
    t.cap.arg = &t;
    struct eider_runtime_env env = {
        .cfg = cfg, .base = t.w.base, .sources = sources, .lower = eider_lower_batch,
        .root = "/", .script_argv = argv, .script_argc = 2,
        .test_request = test_request, .test_arg = &t,
    };
    void *rt = NULL;
    if (t.w.base == NULL || sources == NULL)
        fprintf(stderr, "eider test: out of memory\n");
    else if (eider_shdict_zones_sync(cfg, err, sizeof(err)) < 0
             || eider_handlers_check(cfg, &router, &hsources, err, sizeof(err)) < 0
             || eider_call_worker(&t.w, &t.cap, cfg, router, hsources, err, sizeof(err)) < 0
             || (rt = eider_js_runtime.create(&env, err, sizeof(err))) == NULL)
        fprintf(stderr, "eider test: %s\n", err);
    else
        rc = eider_js_runtime.run(rt, path);
    fflush(stdout);
    /* The child exits here: the OS takes the rest, as a worker's exit does. */
    _exit(rc);
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

/* Runs one test file PATH in a child process on CFG, adding to T. */
static void run_file(const struct eider_config *cfg, const char *path, struct tally *t)
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
        run_child(cfg, path, fds[1]);
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
    struct eider_config *cfg;
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
    if ((cfg = eider_config_load(conf_file, extra, err, sizeof(err))) == NULL) {
        fprintf(stderr, "eider test: %s\n", err);
        return 1;
    }
    if (optind < argc)
        snprintf(dir, sizeof(dir), "%s", argv[optind]);
    else
        snprintf(dir, sizeof(dir), "%s/tests", cfg->handlers);
    find_tests(dir, &files, &n);
    if (n == 0) {
        fprintf(stderr, "eider test: no *.test.js files under %s: put them there or name a DIR\n", dir);
        eider_config_free(cfg);
        return 1;
    }
    if (n > 1)
        qsort(files, n, sizeof(char *), path_cmp);
    printf("TAP version 13\n");
    for (size_t i = 0; i < n; i++) {
        run_file(cfg, files[i], &t);
        free(files[i]);
    }
    free(files);
    eider_config_free(cfg);
    printf("1..%u\n%u passed, %u failed\n", t.number, t.passed, t.failed);
    fflush(stdout);
    return t.failed ? 1 : 0;
}
