/*
 * What each directive means: one row of eider_directives[] (after Redis's
 * static_configs[]): name, argument counts, whether it may repeat, the
 * setter that checks and stores the value, the field it stores into, and
 * its default as config text. Most rows use a generic setter for their
 * type (time, size, path, on/off); the rest have their own.
 * Keep in step with man/eider.conf.5.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "config_internal.h"
#include "log.h"

#define FIELD(name) offsetof(struct eider_config, name)
#define SLOT(cfg, type, d) ((type *)((char *)(cfg) + (d)->offset))

char *eider_config_path(const char *dir, const char *path)
{
    char *out;

    if (path[0] == '/' || dir == NULL)
        return strdup(path);
    if (asprintf(&out, "%s/%s", dir, path) < 0)
        return NULL;
    return out;
}

/* --- value parsers --- */

int eider_parse_size(const char *s, size_t *out)
{
    char *end;
    unsigned long long v;

    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    unsigned long long mult;
    switch (tolower((unsigned char)*end)) {
    case '\0': mult = 1; break;
    case 'k': mult = 1024ULL; end++; break;
    case 'm': mult = 1024ULL * 1024; end++; break;
    case 'g': mult = 1024ULL * 1024 * 1024; end++; break;
    default: return -1;
    }
    if (*end != '\0' || v > (unsigned long long)SIZE_MAX / 2 / mult)
        return -1;
    v *= mult;
    *out = (size_t)v;
    return 0;
}

int eider_parse_time(const char *s, int *seconds)
{
    long long total = 0;

    if (*s == '\0')
        return -1;
    while (*s != '\0') {
        char *end;
        long long v;
        if (!isdigit((unsigned char)*s))
            return -1;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno != 0)
            return -1;
        long long mult;
        switch (*end) {
        case '\0': case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        default: return -1;
        }
        if (v > INT_MAX / mult)
            return -1;
        total += v * mult;
        if (total > INT_MAX)
            return -1;
        s = *end ? end + 1 : end;
    }
    *seconds = (int)total;
    return 0;
}

int eider_parse_listen_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon;
    char *end;
    long port;

    memset(ss, 0, sizeof(*ss));
    if (strncmp(s, "unix:", 5) == 0) {
        struct sockaddr_un *sun = (struct sockaddr_un *)ss;
        size_t n = strlen(s + 5);
        if (s[5] != '/' || n >= sizeof(sun->sun_path))
            return -1;
        sun->sun_family = AF_UNIX;
        memcpy(sun->sun_path, s + 5, n);
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
        return 0;
    }
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
            return -1;
        memcpy(host, s + 1, (size_t)(close - s - 1));
        host[close - s - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL || (size_t)(colon - s) >= sizeof(host))
            return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    }
    errno = 0;
    port = strtol(colon + 1, &end, 10);
    if (!isdigit((unsigned char)colon[1]) || *end != '\0' || errno != 0 || port < 1 || port > 65535)
        return -1;
    if (s[0] == '[') {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
            return -1;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*sin6);
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        if (strcmp(host, "*") == 0)
            sin->sin_addr.s_addr = htonl(INADDR_ANY);
        else if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
            return -1;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        *len = sizeof(*sin);
    }
    return 0;
}

/* --- generic setters: the field is at d->offset --- */

static const char *set_time(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    (void)argc;
    if (eider_parse_time(argv[0], SLOT(cfg, int, d)) < 0 || *SLOT(cfg, int, d) < 1)
        return "expected a time like 30s, 5m or 1h (at least 1s)";
    return NULL;
}

static const char *set_size(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    (void)argc;
    if (eider_parse_size(argv[0], SLOT(cfg, size_t, d)) < 0)
        return "expected a size like 512, 8k or 1m";
    if (*SLOT(cfg, size_t, d) < d->min) {
        static char msg[64];
        snprintf(msg, sizeof(msg), "must be at least %zu bytes", d->min);
        return msg;
    }
    return NULL;
}

/* A whole number, at least d->min; 0 means "no limit" where min is 0. */
static const char *set_count(struct eider_config *cfg, const struct eider_directive *d,
                             int argc, char **argv)
{
    char *end;
    long n = strtol(argv[0], &end, 10);

    (void)argc;
    if (argv[0][0] < '0' || argv[0][0] > '9' || *end != '\0' || n < (long)d->min || n > 1000000000) {
        static char msg[80];
        snprintf(msg, sizeof(msg), "expected a whole number of at least %zu", d->min);
        return msg;
    }
    *SLOT(cfg, int, d) = (int)n;
    return NULL;
}

/* A file or directory, relative to the directory of the current file. */
static const char *set_path(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    char **slot = SLOT(cfg, char *, d);

    (void)argc;
    free(*slot);
    *slot = eider_config_path(cfg->dir, argv[0]);
    return NULL;
}

/* A path, or one of the special words in d->words ("stderr stdout"). */
static const char *set_log_target(struct eider_config *cfg, const struct eider_directive *d,
                                  int argc, char **argv)
{
    char **slot = SLOT(cfg, char *, d);
    size_t n = strlen(argv[0]);
    const char *w = strstr(d->words, argv[0]);

    if (w != NULL && (w == d->words || w[-1] == ' ') && (w[n] == ' ' || w[n] == '\0')) {
        free(*slot);
        *slot = strdup(argv[0]);
        return NULL;
    }
    return set_path(cfg, d, argc, argv);
}

static const char *set_flag(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    (void)argc;
    if (strcmp(argv[0], "on") != 0 && strcmp(argv[0], "off") != 0)
        return "expected \"on\" or \"off\"";
    *SLOT(cfg, int, d) = strcmp(argv[0], "on") == 0;
    return NULL;
}

static const char *set_string(struct eider_config *cfg, const struct eider_directive *d,
                              int argc, char **argv)
{
    char **slot = SLOT(cfg, char *, d);

    (void)argc;
    free(*slot);
    *slot = strdup(argv[0]);
    return NULL;
}

/* A size, or "off" (stored as 0, as is a size of 0): a limit that can be
 * turned off. d->min is the smallest size that is not 0. */
static const char *set_size_off(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    size_t *slot = SLOT(cfg, size_t, d);

    (void)argc;
    if (strcmp(argv[0], "off") == 0) {
        *slot = 0;
        return NULL;
    }
    if (eider_parse_size(argv[0], slot) < 0)
        return "expected a size like 512k, 64m or 1g, or off";
    if (*slot != 0 && *slot < d->min) {
        static char msg[80];
        if (d->min % (1024 * 1024) == 0)
            snprintf(msg, sizeof(msg), "must be at least %zum, or off", d->min / (1024 * 1024));
        else
            snprintf(msg, sizeof(msg), "must be at least %zuk, or off", d->min / 1024);
        return msg;
    }
    return NULL;
}

/* A time of at least 1s, or "off" (stored as 0). */
static const char *set_time_off(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    if (strcmp(argv[0], "off") == 0) {
        *SLOT(cfg, int, d) = 0;
        return NULL;
    }
    if (set_time(cfg, d, argc, argv) != NULL)
        return "expected a time like 30s, 5m or 1h (at least 1s), or off";
    return NULL;
}

/* --- setters of their own --- */

static const char *set_listen(struct eider_config *cfg, const struct eider_directive *d,
                              int argc, char **argv)
{
    struct eider_listen l = { .backlog = 511, .mode = -1, .owner = -1, .group = -1 };
    struct eider_listen *grown;
    const char *own_log = NULL;   /* access_log=, resolved once the listen is accepted */
    const char *own_status = NULL;   /* status_path= */
    static char msg[160];

    (void)d;
    if (eider_parse_listen_addr(argv[0], &l.addr, &l.addrlen) < 0)
        return "expected an address like 127.0.0.1:8080, *:8080, [::1]:8080 or unix:/run/eider.sock";
    for (int i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        const char *v = eq ? eq + 1 : "";
        size_t n;
        char *end;
        if (strcmp(argv[i], "reuseport") == 0) {
            l.reuseport = 1;
        } else if (strcmp(argv[i], "ssl") == 0) {
            l.ssl = 1;
        } else if (strcmp(argv[i], "proxy_protocol") == 0) {
            l.proxy_protocol = 1;
        } else if (strncmp(argv[i], "backlog=", 8) == 0 && eider_parse_size(v, &n) == 0
                   && n > 0 && n <= 65535) {
            l.backlog = (int)n;
        } else if (l.addr.ss_family == AF_UNIX && strncmp(argv[i], "mode=", 5) == 0) {
            l.mode = (int)strtol(v, &end, 8);
            if (*v == '\0' || *end != '\0' || l.mode < 0 || l.mode > 07777)
                return "mode= expects octal permissions like 0660";
        } else if (l.addr.ss_family == AF_UNIX && strncmp(argv[i], "owner=", 6) == 0) {
            struct passwd *pw = getpwnam(v);
            if (pw == NULL) {
                snprintf(msg, sizeof(msg), "owner=: no user \"%.100s\" on this system", v);
                return msg;
            }
            l.owner = pw->pw_uid;
        } else if (l.addr.ss_family == AF_UNIX && strncmp(argv[i], "group=", 6) == 0) {
            struct group *gr = getgrnam(v);
            if (gr == NULL) {
                snprintf(msg, sizeof(msg), "group=: no group \"%.100s\" on this system", v);
                return msg;
            }
            l.group = gr->gr_gid;
        } else if (strncmp(argv[i], "access_log=", 11) == 0) {
            if (*v == '\0')
                return "access_log= expects a file, stdout, stderr or off";
            own_log = v;
        } else if (strncmp(argv[i], "status_path=", 12) == 0) {
            if (strcmp(v, "off") != 0 && (v[0] != '/' || strpbrk(v, "?# ") != NULL))
                return "status_path= expects a URL path starting with /, like /eider-status, or off";
            own_status = v;
        } else {
            return l.addr.ss_family == AF_UNIX
                ? "unknown option (expected ssl, proxy_protocol, backlog=N, mode=0660, owner=USER, "
                  "group=GROUP, access_log=FILE or status_path=PATH)"
                : "unknown option (expected ssl, proxy_protocol, reuseport, backlog=N, access_log=FILE "
                  "or status_path=PATH)";
        }
    }
    if (l.reuseport && l.addr.ss_family == AF_UNIX)
        return "reuseport is for TCP listeners, not unix: sockets";
    if (l.ssl && l.proxy_protocol)
        return "proxy_protocol together with ssl is not supported: terminate TLS in the proxy "
               "(or give each its own listen)";
    for (size_t i = 0; i < cfg->nlistens; i++)
        if (cfg->listens[i].addrlen == l.addrlen && memcmp(&cfg->listens[i].addr, &l.addr, l.addrlen) == 0)
            return "this address is already listened on";
    grown = realloc(cfg->listens, (cfg->nlistens + 1) * sizeof(*grown));
    if (grown == NULL)
        return "out of memory";
    l.text = strdup(argv[0]);
    /* The same words and relative paths as the access_log directive. */
    if (own_log != NULL) {
        int word = strcmp(own_log, "off") == 0 || strcmp(own_log, "stdout") == 0
                   || strcmp(own_log, "stderr") == 0;
        l.access_log = word ? strdup(own_log) : eider_config_path(cfg->dir, own_log);
    }
    l.status_path = own_status != NULL ? strdup(own_status) : NULL;
    cfg->listens = grown;
    cfg->listens[cfg->nlistens++] = l;
    return NULL;
}

static const char *set_workers(struct eider_config *cfg, const struct eider_directive *d,
                               int argc, char **argv)
{
    char *end;
    long n;

    (void)d, (void)argc;
    if (strcmp(argv[0], "auto") == 0) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
        cfg->workers = n > 0 ? (int)n : 1;
        return NULL;
    }
    n = strtol(argv[0], &end, 10);
    if (argv[0][0] == '\0' || *end != '\0' || n < 1 || n > 1024)
        return "expected \"auto\" or a number from 1 to 1024";
    cfg->workers = (int)n;
    return NULL;
}

static const char *set_error_log(struct eider_config *cfg, const struct eider_directive *d,
                                 int argc, char **argv)
{
    int level = EIDER_LOG_INFO;

    if (argc == 2 && (level = eider_log_level_parse(argv[1])) < 0)
        return "unknown level (expected debug, info, notice, warn, error or crit)";
    cfg->error_level = level;
    return set_log_target(cfg, d, 1, argv);
}

/* user/group: the name must exist here, so a typo fails "eider -t". */
static const char *set_account(struct eider_config *cfg, const struct eider_directive *d,
                               int argc, char **argv)
{
    static char msg[160];
    int is_user = d->offset == FIELD(user);
    char **slot = SLOT(cfg, char *, d);

    (void)argc;
    if (is_user ? getpwnam(argv[0]) == NULL : getgrnam(argv[0]) == NULL) {
        snprintf(msg, sizeof(msg), "no %s \"%.100s\" on this system", d->name, argv[0]);
        return msg;
    }
    free(*slot);
    *slot = strdup(argv[0]);
    return NULL;
}

/* Appends a copy of S to the array *V of *N strings. */
static void push_string(char ***v, size_t *n, const char *s)
{
    char **grown = realloc(*v, (*n + 1) * sizeof(char *));
    if (grown == NULL)
        return;
    *v = grown;
    (*v)[(*n)++] = strdup(s);
}

static const char *set_env(struct eider_config *cfg, const struct eider_directive *d,
                           int argc, char **argv)
{
    (void)d;
    for (int i = 0; i < argc; i++) {
        for (const char *p = argv[i]; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '_'))
                return "expected environment variable names (letters, digits, _)";
        push_string(&cfg->env, &cfg->nenv, argv[i]);
    }
    return NULL;
}

static const char *set_fs_root(struct eider_config *cfg, const struct eider_directive *d,
                               int argc, char **argv)
{
    static char msg[300];

    (void)d;
    for (int i = 0; i < argc; i++) {
        char *abs = eider_config_path(cfg->dir, argv[i]);
        char *real = abs ? realpath(abs, NULL) : NULL;
        if (real == NULL) {
            snprintf(msg, sizeof(msg), "%.200s: %s", abs ? abs : argv[i], strerror(errno));
            free(abs);
            return msg;
        }
        push_string(&cfg->fs_roots, &cfg->nfs_roots, real);
        free(real);
        free(abs);
    }
    return NULL;
}

/* trusted_proxies, status_allow: address ranges, appended (the directive
 * may repeat). */
static const char *set_cidrs(struct eider_config *cfg, const struct eider_directive *d,
                             int argc, char **argv)
{
    struct eider_cidrs *set = SLOT(cfg, struct eider_cidrs, d);

    for (int i = 0; i < argc; i++) {
        struct eider_cidr c, *grown;
        if (eider_cidr_parse(argv[i], &c) < 0)
            return "expected addresses or CIDR ranges like 10.0.0.0/8, 127.0.0.1 or ::1";
        grown = realloc(set->v, (set->n + 1) * sizeof(*grown));
        if (grown == NULL)
            return "out of memory";
        set->v = grown;
        set->v[set->n++] = c;
    }
    return NULL;
}

/* status_path: an absolute URL path. */
static const char *set_url_path(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    char **slot = SLOT(cfg, char *, d);

    (void)argc;
    if (argv[0][0] != '/' || strpbrk(argv[0], "?# ") != NULL)
        return "expected a URL path starting with /, like /eider-status";
    free(*slot);
    *slot = strdup(argv[0]);
    return NULL;
}

const struct eider_directive eider_directives[] = {
    /* name                      args  rep  setter          field / words / min                 default */
    { "listen",                  1, 8, 1, set_listen,     0, NULL, 0,                              "127.0.0.1:8080" },
    { "workers",                 1, 1, 0, set_workers,    0, NULL, 0,                              "auto" },
    { "handlers",                1, 1, 0, set_path,       FIELD(handlers), NULL, 0,                "handlers" },
    { "error_log",               1, 2, 0, set_error_log,  FIELD(error_log), "stderr stdout syslog", 0, "stderr info" },
    { "access_log",              1, 1, 0, set_log_target, FIELD(access_log), "off stdout stderr", 0, "stdout" },
    { "client_max_body_size",    1, 1, 0, set_size,       FIELD(client_max_body_size), NULL, 0,    "1m" },
    { "client_max_header_size",  1, 1, 0, set_size,       FIELD(client_max_header_size), NULL, 256, "8k" },
    { "client_header_timeout",   1, 1, 0, set_time,       FIELD(client_header_timeout), NULL, 0,   "60s" },
    { "client_body_timeout",     1, 1, 0, set_time,       FIELD(client_body_timeout), NULL, 0,     "60s" },
    { "proxy_protocol_timeout",  1, 1, 0, set_time,       FIELD(proxy_protocol_timeout), NULL, 0,  "5s" },
    { "keepalive_requests",      1, 1, 0, set_count,      FIELD(keepalive_requests), NULL, 0,      "1000" },
    { "worker_connections",      1, 1, 0, set_count,      FIELD(worker_connections), NULL, 1,      "8192" },
    { "keepalive_timeout",       1, 1, 0, set_time,       FIELD(keepalive_timeout), NULL, 0,       "75s" },
    { "send_timeout",            1, 1, 0, set_time,       FIELD(send_timeout), NULL, 0,            "60s" },
    { "worker_max_send_buffer",  1, 1, 0, set_size_off,   FIELD(worker_max_send_buffer), NULL, 64 * 1024, "4m" },
    { "request_timeout",         1, 1, 0, set_time,       FIELD(request_timeout), NULL, 0,         "30s" },
    { "worker_shutdown_timeout", 1, 1, 0, set_time,       FIELD(worker_shutdown_timeout), NULL, 0, "10s" },
    { "worker_stuck_timeout",    1, 1, 0, set_time_off,   FIELD(worker_stuck_timeout), NULL, 0,    "60s" },
    { "worker_max_requests",     1, 1, 0, set_count,      FIELD(worker_max_requests), NULL, 0,     "0" },
    { "worker_max_rss",          1, 1, 0, set_size_off,   FIELD(worker_max_rss), NULL, 1024 * 1024, "off" },
    { "js_time_limit",           1, 1, 0, set_time,       FIELD(js_time_limit), NULL, 0,           "5s" },
    { "js_memory_limit",         1, 1, 0, set_size_off,   FIELD(js_memory_limit), NULL, 1024 * 1024, "128m" },
    { "js_cache",                1, 1, 0, set_log_target, FIELD(js_cache), "off auto", 0,         "auto" },
    { "daemon",                  1, 1, 0, set_flag,       FIELD(daemon), NULL, 0,                  "off" },
    { "pid",                     1, 1, 0, set_path,       FIELD(pid_file), NULL, 0,                NULL },
    { "user",                    1, 1, 0, set_account,    FIELD(user), NULL, 0,                    NULL },
    { "group",                   1, 1, 0, set_account,    FIELD(group), NULL, 0,                   NULL },
    { "env",                     1, 16, 1, set_env,       0, NULL, 0,                              NULL },
    { "fs_root",                 1, 16, 1, set_fs_root,   0, NULL, 0,                              NULL },
    { "trusted_proxies",         1, 16, 1, set_cidrs,     FIELD(trusted), NULL, 0,                 NULL },
    { "status_path",             1, 1, 0, set_url_path,   FIELD(status_path), NULL, 0,             NULL },
    { "status_allow",            1, 16, 1, set_cidrs,     FIELD(status_allow), NULL, 0,            "127.0.0.1 ::1" },
    { "ssl_certificate",         1, 1, 0, set_path,       FIELD(ssl_certificate), NULL, 0,         NULL },
    { "ssl_certificate_key",     1, 1, 0, set_path,       FIELD(ssl_certificate_key), NULL, 0,     NULL },
    { "ssl_ciphers",             1, 1, 0, set_string,     FIELD(ssl_ciphers), NULL, 0,
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
      "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305" },
    { "fetch_ca_file",           1, 1, 0, set_path,       FIELD(fetch_ca_file), NULL, 0,           NULL },
    { "fetch_timeout",           1, 1, 0, set_time,       FIELD(fetch_timeout), NULL, 0,           "30s" },
    { "fetch_max_response_size", 1, 1, 0, set_size,       FIELD(fetch_max_response_size), NULL, 0, "16m" },
};
const size_t eider_ndirectives = sizeof(eider_directives) / sizeof(eider_directives[0]);
