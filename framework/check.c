/*
 * The check of a generation. Compiling a handler runs its module's
 * top-level code, which is JavaScript from the handlers directory: a
 * master running as root does that in a forked child that first drops to
 * the workers' user, and the child sends back, over a pipe, the sources it
 * read (the texts every worker of the generation will compile) or the
 * error.
 */
#include "alloc.h"
#include "check.h"
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "lower.h"
#include "router.h"
#include "runtime.h"
#include "sources.h"
#include "tls.h"

/* Compiles every handler of R in a throwaway runtime, adding the files it
 * reads to S. */
static int compile_all(const struct eider_config *cfg, const struct eider_router *r,
                       struct eider_sources *s, char *err, size_t errlen)
{
    struct eider_runtime_env env = { .cfg = cfg, .router = r, .sources = s,
                                     .lower = eider_lower_batch, .prefetch = eider_lower_prefetch_for };
    size_t n = eider_router_count(r);
    const char **files = eider_malloc((n + 1) * sizeof(*files));
    void *rt;

    /* The routed files first, lowered side by side on every core. */
    for (size_t i = 0; files != NULL && i < n; i++)
        files[i] = eider_router_file(r, i);
    if (files != NULL)
        eider_lower_prefetch_for(cfg, files, n);
    free(files);
    rt = eider_js_runtime.create(&env, err, errlen);

    eider_lower_stop();
    if (rt == NULL)
        return -1;
    eider_js_runtime.destroy(rt);
    return 0;
}

/* Child -> parent: 'E' and the message, or 'S' then records
 * [path NUL, 8-byte length, bytes, 8-byte map length, map bytes] for each
 * module file read (a map length of all ones: no map). */
static void send_source(const char *path, const char *text, size_t len, const char *map,
                        size_t maplen, void *arg)
{
    int fd = *(int *)arg;
    uint64_t n = len, m = map != NULL ? maplen : UINT64_MAX;

    if (path[0] != '/')
        return;   /* the TLS entries: the parent read those itself */
    if (eider_write_full(fd, path, strlen(path) + 1) < 0 || eider_write_full(fd, &n, sizeof(n)) < 0
        || eider_write_full(fd, text, len) < 0 || eider_write_full(fd, &m, sizeof(m)) < 0
        || (map != NULL && eider_write_full(fd, map, maplen) < 0))
        _exit(2);
}

/* Takes LEN bytes at P as a new NUL-terminated string. */
static char *take(const char *p, size_t len)
{
    char *s = eider_malloc(len + 1);

    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

static char *read_all_fd(int fd, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = eider_malloc(cap);

    for (;;) {
        ssize_t r;
        if (n == cap)
            buf = eider_realloc(buf, cap *= 2);
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

static int compile_unprivileged(const struct eider_config *cfg, const struct eider_router *r,
                                struct eider_sources *s, char *err, size_t errlen)
{
    int fds[2], status;
    size_t len = 0;
    char *msg;
    pid_t pid;

    if (pipe(fds) < 0 || (pid = fork()) < 0) {
        snprintf(err, errlen, "cannot start the handler check: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (eider_drop_privileges(cfg, err, errlen) < 0
            || compile_all(cfg, r, s, err, errlen) < 0) {
            eider_write_full(fds[1], "E", 1);
            eider_write_full(fds[1], err, strlen(err));
            _exit(1);
        }
        eider_write_full(fds[1], "S", 1);
        eider_sources_foreach(s, send_source, &fds[1]);
        _exit(0);
    }
    close(fds[1]);
    msg = read_all_fd(fds[0], &len);
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (msg == NULL || len == 0 || !WIFEXITED(status) || (msg[0] == 'S') != (WEXITSTATUS(status) == 0)) {
        snprintf(err, errlen, "the handler check process failed (%s)",
                 WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no answer");
        free(msg);
        return -1;
    }
    if (msg[0] == 'E') {
        snprintf(err, errlen, "%.*s", (int)(len - 1), msg + 1);
        free(msg);
        return -1;
    }
    for (size_t i = 1; i < len;) {
        const char *path = msg + i;
        size_t plen = strnlen(path, len - i);
        uint64_t n, m;
        char *text, *map = NULL;
        if (i + plen + 1 + sizeof(n) > len)
            break;
        memcpy(&n, msg + i + plen + 1, sizeof(n));
        i += plen + 1 + sizeof(n);
        if (n > len - i || sizeof(m) > len - i - n)
            break;
        text = take(msg + i, n);
        i += n;
        memcpy(&m, msg + i, sizeof(m));
        i += sizeof(m);
        if (m != UINT64_MAX) {
            if (m > len - i) {
                free(text);
                break;
            }
            map = take(msg + i, m);
            i += m;
        }
        eider_sources_add(s, path, text, n, map, map != NULL ? m : 0);
    }
    free(msg);
    return 0;
}

/* Makes the js_cache directory, the workers' own when we are root (the
 * check lowers files as the workers' user). */
static int prepare_cache(const struct eider_config *cfg, char *err, size_t errlen)
{
    const char *dir = eider_lower_cache_dir(cfg->js_cache);
    uid_t uid;
    gid_t gid;

    if (dir == NULL)
        return 0;
    if (geteuid() != 0)
        return eider_lower_cache_prepare(dir, -1, -1, err, errlen);
    if (eider_worker_identity(cfg, &uid, &gid, err, errlen) < 0)
        return -1;
    return eider_lower_cache_prepare(dir, (long)uid, (long)gid, err, errlen);
}

/* The log files a start opens, by the directive that names them: a value
 * not starting with "/" is a word (stderr, stdout, syslog, off). */
static const struct { const char *directive; size_t offset; } log_files[] = {
    { "error_log",  offsetof(struct eider_config, error_log) },
    { "access_log", offsetof(struct eider_config, access_log) },
};

/* Opens PATH as a start will (append, created 0644): 0, or -1 with
 * "DIRECTIVE PATH: cannot open: reason" in err, blamed on WHERE. */
static int probe_log(const struct eider_config *cfg, const char *directive, const char *where,
                     const char *path, char *err, size_t errlen)
{
    int fd;

    if (path == NULL || path[0] != '/')
        return 0;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    snprintf(err, errlen, "%s %s: cannot open: %s", directive, path, strerror(errno));
    eider_config_blame(cfg, where, directive, err, errlen);
    return -1;
}

/* The pid file's directory takes new files (the master writes PATH.PID.tmp
 * there and renames it): 0, or -1 with the reason in err. */
static int probe_pid_dir(const struct eider_config *cfg, char *err, size_t errlen)
{
    const char *slash = cfg->pid_file != NULL ? strrchr(cfg->pid_file, '/') : NULL;
    char dir[4096];
    struct stat st;

    if (slash == NULL)
        return 0;
    snprintf(dir, sizeof(dir), "%.*s", slash == cfg->pid_file ? 1 : (int)(slash - cfg->pid_file),
             cfg->pid_file);
    if (stat(cfg->pid_file, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(err, errlen, "pid %s: is a directory; name a file in it", cfg->pid_file);
    else if (access(dir, W_OK | X_OK) < 0)
        snprintf(err, errlen, "pid %s: cannot create files in %s: %s", cfg->pid_file, dir,
                 strerror(errno));
    else
        return 0;
    eider_config_blame(cfg, eider_config_where(cfg, "pid"), "pid", err, errlen);
    return -1;
}

/* What a start opens besides sockets, so that eider -t fails where the
 * start would: the error and access logs (global and per listen) and the
 * pid file's directory. Log files are created, as nginx -t does. */
static int check_files(const struct eider_config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof(log_files) / sizeof(log_files[0]); i++) {
        const char *path = *(char *const *)((const char *)cfg + log_files[i].offset);
        if (probe_log(cfg, log_files[i].directive, eider_config_where(cfg, log_files[i].directive),
                      path, err, errlen) < 0)
            return -1;
    }
    for (size_t i = 0; i < cfg->nlistens; i++)
        if (probe_log(cfg, "listen access_log=", cfg->listens[i].where, cfg->listens[i].access_log,
                      err, errlen) < 0)
            return -1;
    return probe_pid_dir(cfg, err, errlen);
}

/* The handlers directory is one: checked before the router reads it so
 * the message names the directive's file:line (the router's own messages
 * name the handler files). */
static int check_handlers_dir(const struct eider_config *cfg, char *err, size_t errlen)
{
    struct stat st;
    const char *why = stat(cfg->handlers, &st) < 0 ? strerror(errno)
                      : !S_ISDIR(st.st_mode) ? "not a directory" : NULL;

    if (why == NULL)
        return 0;
    snprintf(err, errlen, "handlers %s: %s", cfg->handlers, why);
    eider_config_blame(cfg, eider_config_where(cfg, "handlers"), "handlers", err, errlen);
    return -1;
}

/* Watch mode is for a developer at a terminal: it shows errors (stacks in
 * 500 bodies) a server must not, and its messages go to stderr, which a
 * daemon has closed. 0, or -1 with the reason blamed on the watch line. */
static int check_watch(const struct eider_config *cfg, char *err, size_t errlen)
{
    if (!cfg->watch || !cfg->daemon)
        return 0;
    snprintf(err, errlen, "\"watch on\" cannot go with \"daemon on\" (set at %s): watch mode is "
             "for development in the foreground; turn one of them off",
             eider_config_where(cfg, "daemon") ? eider_config_where(cfg, "daemon") : "its default");
    eider_config_blame(cfg, eider_config_where(cfg, "watch"), "watch", err, errlen);
    return -1;
}

int eider_handlers_check(const struct eider_config *cfg, struct eider_router **router,
                         struct eider_sources **sources, char *err, size_t errlen)
{
    struct eider_sources *s = eider_sources_new();
    struct eider_router *r = NULL;
    int rc;

    rc = check_watch(cfg, err, errlen);
    if (rc == 0)
        rc = check_files(cfg, err, errlen);
    if (rc == 0)
        rc = eider_tls_check(cfg, s, err, errlen);
    if (rc == 0 && prepare_cache(cfg, err, errlen) < 0) {
        eider_config_blame(cfg, eider_config_where(cfg, "js_cache"), "js_cache", err, errlen);
        rc = -1;
    }
    if (rc == 0)
        rc = check_handlers_dir(cfg, err, errlen);
    if (rc == 0 && (r = eider_router_build(cfg->handlers, err, errlen)) == NULL)
        rc = -1;
    if (rc == 0)
        rc = geteuid() == 0 ? compile_unprivileged(cfg, r, s, err, errlen)
                            : compile_all(cfg, r, s, err, errlen);
    if (rc < 0) {
        eider_router_free(r);
        eider_sources_free(s);
        return -1;
    }
    *router = r;
    *sources = s;
    return 0;
}
