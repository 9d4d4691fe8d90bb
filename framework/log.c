/*
 * Logs. Each error log line is formatted into one buffer and written with a
 * single write() on an O_APPEND descriptor, so lines from the master and
 * workers never interleave. The access log is buffered per process and
 * written in whole lines.
 */
#include "log.h"

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

static struct log_target error_log = { STDERR_FILENO, "" };
static int error_level = EIDER_LOG_INFO;
static struct log_target access_log = { -1, "" };
static char access_buf[ACCESS_BUF_SIZE];
static size_t access_len;

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

void eider_log_reopen(void)
{
    eider_access_flush();
    target_reopen(&error_log);
    target_reopen(&access_log);
}

int eider_log_enabled(int level)
{
    return level >= error_level;
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

int eider_access_open(const char *target)
{
    eider_access_flush();
    if (target == NULL || strcmp(target, "off") == 0) {
        if (access_log.fd > STDERR_FILENO)
            close(access_log.fd);
        access_log.fd = -1;
        return 0;
    }
    if (access_log.fd < 0)
        access_log.fd = STDERR_FILENO;   /* so target_open won't close it */
    return target_open(&access_log, target);
}

int eider_access_enabled(void)
{
    return access_log.fd >= 0;
}

void eider_access_append(const char *line, size_t len)
{
    if (access_log.fd < 0)
        return;
    if (access_len + len > sizeof(access_buf))
        eider_access_flush();
    if (len > sizeof(access_buf)) {
        ssize_t w = write(access_log.fd, line, len);
        (void)w;
        return;
    }
    memcpy(access_buf + access_len, line, len);
    access_len += len;
}

void eider_access_flush(void)
{
    size_t off = 0;

    while (off < access_len && access_log.fd >= 0) {
        ssize_t w = write(access_log.fd, access_buf + off, access_len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;   /* disk full or closed: drop rather than block */
        off += (size_t)w;
    }
    access_len = 0;
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
