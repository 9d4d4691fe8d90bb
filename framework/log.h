/*
 * Error log (levels, one line per write, never interleaved between
 * processes) and access logs (global and per listener, buffered per
 * worker, flushed in whole lines).
 */
#ifndef EIDER_LOG_H
#define EIDER_LOG_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>

enum eider_log_level {
    EIDER_LOG_DEBUG, EIDER_LOG_INFO, EIDER_LOG_NOTICE,
    EIDER_LOG_WARN, EIDER_LOG_ERROR, EIDER_LOG_CRIT
};

/* Level name <-> value; eider_log_level_parse returns -1 for unknown. */
int eider_log_level_parse(const char *name);
const char *eider_log_level_name(int level);

/* Opens the error log: "stderr" or a file path (appended). Returns 0, or
 * -1 with errno set; on failure the previous target stays in use. */
int eider_log_open(const char *target, int level);

/* Reopens the current error and access log files (after rotation); an
 * access log file that could not be opened is tried again. */
void eider_log_reopen(void);

/* Writes one line "YYYY/MM/DD HH:MM:SS [level] PID: message". */
void eider_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* From now on every eider_log at EIDER_LOG_ERROR or above adds one to
 * *COUNTER (a worker's scoreboard slot), whether error_log's level writes
 * it or not; NULL stops counting. */
void eider_log_count_errors(volatile uint64_t *counter);
/* eider_log with a va_list. */
void eider_logv(int level, const char *fmt, va_list ap);
/* 1 if a line at LEVEL would be written (error_log's level lets it
 * through), so callers skip formatting what nobody reads. */
int eider_log_enabled(int level);

/* Access logs. Sink 0 is the global one (the access_log directive); each
 * distinct target a listener names with "listen ... access_log=" gets a
 * sink of its own: its own descriptor and buffer. A listener without the
 * option writes to sink 0. */
#define EIDER_ACCESS_SINKS 65   /* the global log and one per listener (EIDER_MAX_LISTENERS) */

struct eider_config;

/* Opens the global access log: "off", "stdout", "stderr" or a file path
 * (appended). Returns 0, or -1 with errno set; on failure the previous
 * target stays in use. */
int eider_access_open(const char *target);

/* Opens the access logs CFG's listeners have of their own, after closing
 * those opened for the previous configuration; call it after
 * eider_access_open(cfg->access_log), so that a listener naming the global
 * target shares sink 0. Listeners naming the same target share a sink.
 * Returns 0, or -1 after logging at LEVEL each that could not be opened:
 * the others are open, and such a one drops its lines until a reopen
 * (USR1) or a reload can open it. */
int eider_access_open_listeners(const struct eider_config *cfg, int level);

/* The sink of a listener's access_log= value (NULL: none given): 0 for
 * NULL, -1 for "off" or a target no sink was opened for. A worker asks
 * once per listener: its sinks are the master's as of the fork. */
int eider_access_sink(const char *target);

/* Whether SINK (from eider_access_sink) writes anywhere. */
int eider_access_enabled(int sink);
/* Appends one complete line (with its newline) to SINK's buffer; the buffer
 * is written when it fills, and on eider_access_flush(). A SINK that is off
 * drops it. */
void eider_access_append(int sink, const char *line, size_t len);
/* Writes every sink's buffered lines. */
void eider_access_flush(void);

/* Hands every log file this process has open (error log, access logs) to
 * UID:GID, so that workers, which run as that user, can reopen them by
 * path after USR1. Logs a warning for each that fails. */
void eider_log_chown(uid_t uid, gid_t gid);

/* The current time as the access log prints it ("26/Nov/2026:10:00:00
 * +0000"), recomputed at most once a second. */
const char *eider_log_time_local(void);

#endif
