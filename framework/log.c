/*
 * Logs. Each error log line is formatted into one buffer and written with a
 * single write() on an O_APPEND descriptor, so lines from the master and
 * workers never interleave. Access logs are buffered per process and
 * written in whole lines, for the same reason; there is one buffer per
 * sink (the global access log, and each target listeners name with
 * access_log=), so a line only ever goes where its listener says.
 *
 * The master opens every sink and workers inherit them at fork: a worker
 * has dropped privileges and might not be allowed to open them itself.
 */
#include "log.h"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 4096
#define ACCESS_BUF_SIZE 32768

static const char *level_names[] = {
    "debug", "info", "notice", "warn", "error", "crit"
};

#define SYSLOG_FD (-2)   /* the error log goes to syslog(3) */

struct log_target {
    int fd;
    char path[1024];   /* empty for stdout/stderr/syslog */
};

/* One access log destination and the lines a worker has not written yet.
 * All zeros is a sink not configured yet, which writes nowhere. */
struct access_sink {
    char name[1024];           /* the configured target, to find the sink by; "": none yet */
    struct log_target t;       /* t.fd -1: off, or could not be opened */
    size_t len;
    char buf[ACCESS_BUF_SIZE];
};

static struct log_target error_log = { STDERR_FILENO, "" };
static int error_level = EIDER_LOG_INFO;
/* [0] is the global access log; [1..nsinks) the listeners' own. Zero
 * initialized (bss, not 2 MB of .data), and the buffers of sinks never
 * used are never touched, so they cost no memory. */
static struct access_sink sinks[EIDER_ACCESS_SINKS];
static int nsinks = 1;

int eider_log_level_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
        if (strcasecmp(name, level_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *eider_log_level_name(int level)
{
    return level_names[level];
}

/* Points a target at "stdout", "stderr" or an appended file. */
static int target_open(struct log_target *t, const char *target)
{
    int fd;

    if (strcmp(target, "syslog") == 0) {
        openlog("eider", LOG_PID | LOG_NDELAY, LOG_DAEMON);
        fd = SYSLOG_FD;
    } else if (strcmp(target, "stderr") == 0) {
        fd = STDERR_FILENO;
    } else if (strcmp(target, "stdout") == 0) {
        fd = STDOUT_FILENO;
    } else {
        fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return -1;
    }
    if (t->fd > STDERR_FILENO)
        close(t->fd);
    t->fd = fd;
    if (fd > STDERR_FILENO)
        snprintf(t->path, sizeof(t->path), "%s", target);
    else
        t->path[0] = '\0';
    return 0;
}

static void target_reopen(struct log_target *t)
{
    if (t->fd <= STDERR_FILENO || t->path[0] == '\0')
        return;
    int fd = open(t->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        eider_log(EIDER_LOG_ERROR, "cannot reopen %s: %s", t->path, strerror(errno));
        return;
    }
    dup2(fd, t->fd);   /* keeps the descriptor number stable */
    close(fd);
}

int eider_log_open(const char *target, int level)
{
    if (target_open(&error_log, target) < 0)
        return -1;
    error_level = level;
    return 0;
}

/* Whether a sink's name is a file path (not off, stdout or stderr). */
static int names_file(const char *name)
{
    return name[0] != '\0' && strcmp(name, "off") != 0 && strcmp(name, "stdout") != 0
           && strcmp(name, "stderr") != 0;
}

void eider_log_reopen(void)
{
    eider_access_flush();
    target_reopen(&error_log);
    for (int i = 0; i < nsinks; i++) {
        struct access_sink *s = &sinks[i];
        if (!names_file(s->name) || s->t.fd >= 0)
            target_reopen(&s->t);   /* leaves stdout, stderr and off alone */
        else if (target_open(&s->t, s->name) < 0)   /* rotation is when operators fix paths */
            eider_log(EIDER_LOG_ERROR, "cannot open access log %s: %s", s->name, strerror(errno));
    }
}

void eider_log_chown(uid_t uid, gid_t gid)
{
    const char *paths[1 + EIDER_ACCESS_SINKS];
    int n = 0;

    paths[n++] = error_log.path;
    for (int i = 0; i < nsinks; i++)
        paths[n++] = sinks[i].t.path;
    for (int i = 0; i < n; i++)
        if (paths[i][0] == '/' && chown(paths[i], uid, gid) < 0)
            eider_log(EIDER_LOG_WARN, "chown %s: %s", paths[i], strerror(errno));
}

int eider_log_enabled(int level)
{
    return level >= error_level;
}

/* Where eider_log counts errors (eider_log_count_errors), or NULL. */
static volatile uint64_t *error_counter;

void eider_log_count_errors(volatile uint64_t *counter)
{
    error_counter = counter;
}

void eider_logv(int level, const char *fmt, va_list ap)
{
    char line[LOG_LINE_MAX];
    time_t now = time(NULL);
    struct tm tm;
    size_t n;
    int r;

    static const int syslog_priority[] = {
        LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING, LOG_ERR, LOG_CRIT
    };

    if (level >= EIDER_LOG_ERROR && error_counter != NULL)
        (*error_counter)++;
    if (level < error_level)
        return;
    if (error_log.fd == SYSLOG_FD) {
        vsnprintf(line, sizeof(line), fmt, ap);
        syslog(syslog_priority[level], "%s", line);
        return;
    }
    localtime_r(&now, &tm);
    n = strftime(line, sizeof(line), "%Y/%m/%d %H:%M:%S", &tm);
    r = snprintf(line + n, sizeof(line) - n, " [%s] %d: ", level_names[level], (int)getpid());
    n += (size_t)r;
    r = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
    if (r < 0)
        r = 0;
    n += (size_t)r;
    if (n > sizeof(line) - 2)
        n = sizeof(line) - 2;   /* truncated, but still one line */
    line[n++] = '\n';
    ssize_t w = write(error_log.fd, line, n);
    (void)w;   /* nowhere left to report a failing error log */
}

void eider_log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    eider_logv(level, fmt, ap);
    va_end(ap);
}

/* Writes S's buffered lines: whole-buffer writes on an O_APPEND descriptor,
 * so they land after other workers' lines, never inside them. */
static void sink_flush(struct access_sink *s)
{
    size_t off = 0;

    while (off < s->len && s->t.fd >= 0) {
        ssize_t w = write(s->t.fd, s->buf + off, s->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;   /* disk full or closed: drop rather than block */
        off += (size_t)w;
    }
    s->len = 0;
}

/* Closes S's descriptor (never stdout or stderr); S then drops its lines. */
static void sink_close(struct access_sink *s)
{
    sink_flush(s);
    if (s->t.fd > STDERR_FILENO)
        close(s->t.fd);
    s->t.fd = -1;
    s->t.path[0] = '\0';
}

int eider_access_open(const char *target)
{
    struct access_sink *s = &sinks[0];

    if (target == NULL)
        target = "off";
    if (strlen(target) >= sizeof(s->name)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    sink_flush(s);
    if (strcmp(target, "off") == 0)
        sink_close(s);
    else if (target_open(&s->t, target) < 0)
        return -1;
    snprintf(s->name, sizeof(s->name), "%s", target);
    return 0;
}

int eider_access_open_listeners(const struct eider_config *cfg, int level)
{
    int rc = 0;

    /* Reopened, not kept, like the global log at a reload: a file moved
     * away without USR1 is followed by the next reload. */
    for (int i = 1; i < nsinks; i++)
        sink_close(&sinks[i]);
    nsinks = 1;
    for (size_t i = 0; i < cfg->nlistens; i++) {
        const char *target = cfg->listens[i].access_log;
        const char *why = NULL;
        struct access_sink *s;

        if (target == NULL || strcmp(target, "off") == 0 || eider_access_sink(target) >= 0)
            continue;   /* the global log, none, or a sink opened for an earlier listener */
        if (nsinks == EIDER_ACCESS_SINKS)
            why = "too many access logs";
        else if (strlen(target) >= sizeof(s->name))
            why = strerror(ENAMETOOLONG);
        if (why == NULL) {
            s = &sinks[nsinks++];
            snprintf(s->name, sizeof(s->name), "%s", target);
            s->t = (struct log_target){ -1, "" };
            s->len = 0;
            if (target_open(&s->t, target) < 0)
                why = strerror(errno);
        }
        if (why != NULL) {
            eider_log(level, "cannot open access log %s of listen %s: %s",
                      target, cfg->listens[i].text, why);
            rc = -1;
        }
    }
    return rc;
}

int eider_access_sink(const char *target)
{
    if (target == NULL)
        return 0;
    if (strcmp(target, "off") == 0)
        return -1;
    for (int i = 0; i < nsinks; i++)
        if (strcmp(sinks[i].name, target) == 0)
            return i;
    return -1;
}

int eider_access_enabled(int sink)
{
    return sink >= 0 && sink < nsinks && sinks[sink].name[0] != '\0' && sinks[sink].t.fd >= 0;
}

void eider_access_append(int sink, const char *line, size_t len)
{
    struct access_sink *s;

    if (!eider_access_enabled(sink))
        return;
    s = &sinks[sink];
    if (s->len + len > sizeof(s->buf))
        sink_flush(s);
    if (len > sizeof(s->buf)) {
        ssize_t w = write(s->t.fd, line, len);
        (void)w;
        return;
    }
    memcpy(s->buf + s->len, line, len);
    s->len += len;
}

void eider_access_flush(void)
{
    for (int i = 0; i < nsinks; i++)
        sink_flush(&sinks[i]);
}

const char *eider_log_time_local(void)
{
    static char buf[40];
    static time_t cached = -1;
    time_t now = time(NULL);

    if (now != cached) {
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(buf, sizeof(buf), "%d/%b/%Y:%H:%M:%S %z", &tm);
        cached = now;
    }
    return buf;
}
