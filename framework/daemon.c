/*
 * Daemon plumbing, each piece small: privilege drop (workers only), the
 * classic fork-and-setsid with a readiness pipe so "eider -c" returns once
 * the server answers, an atomically written pid file, "-s" signals, and
 * the sd_notify datagram protocol (spoken directly: no libsystemd needed
 * for one sendto()).
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

int eider_worker_identity(const struct eider_config *cfg, uid_t *uid, gid_t *gid,
                          char *err, size_t errlen)
{
    const char *user = cfg->user ? cfg->user : "nobody";
    struct passwd *pw;
    struct group *gr;

    if (geteuid() != 0) {
        *uid = geteuid();
        *gid = getegid();
        return 0;
    }
    if ((pw = getpwnam(user)) == NULL) {
        snprintf(err, errlen, "user \"%s\" does not exist (directive user)", user);
        return -1;
    }
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    if (cfg->group != NULL) {
        if ((gr = getgrnam(cfg->group)) == NULL) {
            snprintf(err, errlen, "group \"%s\" does not exist (directive group)", cfg->group);
            return -1;
        }
        *gid = gr->gr_gid;
    } else if (cfg->user == NULL && (gr = getgrnam("nogroup")) != NULL) {
        *gid = gr->gr_gid;   /* Debian's; elsewhere nobody's own group */
    }
    return 0;
}

int eider_drop_privileges(const struct eider_config *cfg, char *err, size_t errlen)
{
    uid_t uid;
    gid_t gid;

    if (geteuid() != 0)
        return 0;
    if (eider_worker_identity(cfg, &uid, &gid, err, errlen) < 0)
        return -1;
    const char *name = cfg->user ? cfg->user : "nobody";
    if (uid == 0) {
        /* "user root;" said so explicitly; a group may still apply. */
        if (gid != 0 && setgid(gid) < 0) {
            snprintf(err, errlen, "cannot switch to group %s: %s", cfg->group, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (setgid(gid) < 0 || initgroups(name, gid) < 0 || setuid(uid) < 0) {
        snprintf(err, errlen, "cannot switch to user %s: %s", name, strerror(errno));
        return -1;
    }
    if (setuid(0) == 0) {
        snprintf(err, errlen, "privileges could be regained after the switch to %s", name);
        return -1;
    }
    return 0;
}

int eider_daemonize(void)
{
    int pipefd[2];
    pid_t pid;
    char c = 0;

    if (pipe(pipefd) < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        close(pipefd[1]);
        while (read(pipefd[0], &c, 1) < 0 && errno == EINTR)
            ;
        _exit(c == 'R' ? 0 : 1);
    }
    close(pipefd[0]);
    setsid();
    if (chdir("/") < 0)
        eider_log(EIDER_LOG_WARN, "chdir /: %s", strerror(errno));
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        close(null);
    }
    return pipefd[1];
}

void eider_daemon_ready(int fd)
{
    int null;

    if (fd < 0)
        return;
    ssize_t n = write(fd, "R", 1);
    (void)n;
    close(fd);
    /* The starting terminal is gone from here on. */
    null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        close(null);
    }
}

static pid_t pidfile_read(const char *path)
{
    char buf[32];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return (pid_t)strtol(buf, NULL, 10);
}

static int alive(pid_t pid)
{
    return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

int eider_pidfile_write(const char *path, char *err, size_t errlen)
{
    char tmp[4096], buf[32];
    pid_t old = pidfile_read(path);
    int fd, n;

    if (old != getpid() && alive(old)) {
        snprintf(err, errlen, "already running: pid file %s names live process %d", path, (int)old);
        return -1;
    }
    snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write pid file %s: %s", tmp, strerror(errno));
        return -1;
    }
    n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
    if (write(fd, buf, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot write pid file %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

void eider_pidfile_remove(const char *path)
{
    if (path != NULL && pidfile_read(path) == getpid())
        unlink(path);
}

static const struct {
    const char *action;
    int sig;
} actions[] = {
    { "reload", SIGHUP },
    { "stop",   SIGTERM },
    { "quit",   SIGQUIT },
    { "reopen", SIGUSR1 },
};

int eider_signal_master(const struct eider_config *cfg, const char *action,
                        char *err, size_t errlen)
{
    int sig = 0;
    pid_t pid;

    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (strcmp(action, actions[i].action) == 0)
            sig = actions[i].sig;
    if (sig == 0) {
        snprintf(err, errlen, "unknown signal \"%s\" (expected reload, stop, quit or reopen)", action);
        return -1;
    }
    if (cfg->pid_file == NULL) {
        snprintf(err, errlen, "no pid file configured: -s needs \"pid FILE;\" in %s",
                 cfg->file ? cfg->file : "the config");
        return -1;
    }
    pid = pidfile_read(cfg->pid_file);
    if (pid < 0) {
        snprintf(err, errlen, "cannot read pid file %s: %s (is eider running?)", cfg->pid_file,
                 strerror(errno));
        return -1;
    }
    if (!alive(pid)) {
        snprintf(err, errlen, "pid file %s names pid %d, which is not running (stale pid file)",
                 cfg->pid_file, (int)pid);
        return -1;
    }
    if (kill(pid, sig) < 0) {
        snprintf(err, errlen, "cannot signal pid %d: %s", (int)pid, strerror(errno));
        return -1;
    }
    return 0;
}

void eider_notify(const char *state)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    socklen_t len;
    int fd;

    if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof(sun.sun_path))
        return;
    memcpy(sun.sun_path, path, strlen(path));
    if (sun.sun_path[0] == '@')
        sun.sun_path[0] = '\0';   /* abstract namespace */
    len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun, len) < 0)
        eider_log(EIDER_LOG_WARN, "sd_notify %s: %s", path, strerror(errno));
    close(fd);
}
