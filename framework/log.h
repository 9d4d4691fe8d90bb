/*
 * Error log (levels, one line per write, never interleaved between
 * processes) and access log (buffered per worker, flushed in whole lines).
 */
#ifndef EIDER_LOG_H
#define EIDER_LOG_H

#include <stddef.h>
#include <stdarg.h>

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

/* Reopens the current error and access log files (after rotation). */
void eider_log_reopen(void);

/* Writes one line "YYYY/MM/DD HH:MM:SS [level] PID: message". */
void eider_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void eider_logv(int level, const char *fmt, va_list ap);
int eider_log_enabled(int level);

/* Access log: "off", "stdout", "stderr" or a file path. */
int eider_access_open(const char *target);
int eider_access_enabled(void);
/* Appends one complete line (with its newline) to the buffer; the buffer is
 * written when it fills, and on eider_access_flush(). */
void eider_access_append(const char *line, size_t len);
void eider_access_flush(void);

/* The current time as the access log prints it ("26/Nov/2026:10:00:00
 * +0000"), recomputed at most once a second. */
const char *eider_log_time_local(void);

#endif
