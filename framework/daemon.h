/*
 * Running as a system daemon: privileges, backgrounding, the pid file,
 * "eider -s", and systemd's readiness protocol.
 */
#ifndef EIDER_DAEMON_H
#define EIDER_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

struct eider_config;

/* In a worker: become cfg's user and group (root with none configured:
 * nobody/nogroup). A no-op when not started as root. 0, or -1 with err. */
int eider_drop_privileges(const struct eider_config *cfg, char *err, size_t errlen);
/* The uid/gid workers will run as; 0 or -1 with err (unknown user). */
int eider_worker_identity(const struct eider_config *cfg, uid_t *uid, gid_t *gid,
                          char *err, size_t errlen);

/* Forks into the background. In the child (the new master) returns a
 * descriptor to pass to eider_daemon_ready(); the parent waits for that and
 * exits 0, or 1 if the master died first. */
int eider_daemonize(void);
void eider_daemon_ready(int fd);

/* Writes the pid file atomically; refuses (-1, err says "already
 * running") when it names a live process other than us. */
int eider_pidfile_write(const char *path, char *err, size_t errlen);
/* Removes the pid file if it still names this process. */
void eider_pidfile_remove(const char *path);

/* "eider -s ACTION": sends the matching signal to the master named by the
 * config's pid file. Returns 0, or -1 with err. */
int eider_signal_master(const struct eider_config *cfg, const char *action,
                        char *err, size_t errlen);

/* sd_notify: sends STATE (e.g. "READY=1") to $NOTIFY_SOCKET if set. */
void eider_notify(const char *state);

#endif
