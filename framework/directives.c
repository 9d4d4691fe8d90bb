/*
 * What each directive means: one row of eider_directives[] (after Redis's
 * static_configs[] and its createIntConfig(name, ..., min, max, ...)),
 * written with designated initializers: name, arguments, whether it may
 * repeat, the setter that checks and stores the value, the field it
 * stores into and what that field holds (eider_directives_free() frees
 * from the table), the keywords it takes, its bounds, and its default as
 * config text. Most rows use a generic setter for their type (time, size,
 * count, path, on/off); the rest have their own. The options of a listen
 * are a table too (listen_options[], in directives_listen.c).
 * Keep in step with man/eider.conf.5 (tests/integration/test_docs.py
 * checks both ways).
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
#include <event2/util.h>
#include <libpq-fe.h>

#include "config.h"
#include "config_internal.h"
#include "alloc.h"
#include "log.h"
#include "shdict.h"

#define FIELD(name) offsetof(struct eider_config, name)
#define SLOT(cfg, type, d) ((type *)((char *)(cfg) + (d)->offset))

char *eider_config_path(const char *dir, const char *path)
{
    char *out;

    if (path[0] == '/' || dir == NULL)
        return eider_strdup(path);
    if (asprintf(&out, "%s/%s", dir, path) < 0)
        eider_oom(strlen(dir) + strlen(path) + 2);
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

/* --- the table's helpers --- */

int eider_one_of(const char *arg, const char *words)
{
    size_t n = strlen(arg);

    for (int i = 0; words != NULL && *words != '\0'; i++) {
        size_t w = strcspn(words, " ");
        if (w == n && n > 0 && strncmp(words, arg, n) == 0)
            return i;
        words += w + (words[w] == ' ');
    }
    return -1;
}

void eider_directive_args(const struct eider_directive *d, int *lo, int *hi)
{
    *lo = d->min_args ? d->min_args : 1;
    *hi = d->max_args ? d->max_args : *lo;
}

/* --- generic setters: the field is at d->offset, the bounds in the row --- */

/* A time: at least d->min seconds (1s when the row says 0), at most d->max. */
static const char *set_time(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    long long lo = d->min > 0 ? d->min : 1;
    int *slot = SLOT(cfg, int, d);

    (void)argc;
    if (eider_parse_time(argv[0], slot) < 0 || *slot < lo || (d->max > 0 && *slot > d->max)) {
        static char msg[96];
        if (d->max > 0)
            snprintf(msg, sizeof(msg), "expected a time like 30s, 5m or 1h (from %llds to %llds)",
                     lo, d->max);
        else
            snprintf(msg, sizeof(msg), "expected a time like 30s, 5m or 1h (at least %llds)", lo);
        return msg;
    }
    return NULL;
}

/* A size in bytes (k, m, g), at least d->min. */
static const char *set_size(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    (void)argc;
    if (eider_parse_size(argv[0], SLOT(cfg, size_t, d)) < 0)
        return "expected a size like 512, 8k or 1m";
    if ((long long)*SLOT(cfg, size_t, d) < d->min) {
        static char msg[64];
        snprintf(msg, sizeof(msg), "must be at least %lld bytes", d->min);
        return msg;
    }
    return NULL;
}

/* A whole number from d->min to d->max (10^9 when the row says 0); 0
 * means "no limit" where min is 0. A keyword of d->words stands for the
 * value a setter of its own gives it (workers auto). */
static const char *set_count(struct eider_config *cfg, const struct eider_directive *d,
                             int argc, char **argv)
{
    long long hi = d->max > 0 ? d->max : 1000000000;
    char *end;
    long n = strtol(argv[0], &end, 10);

    (void)argc;
    if (argv[0][0] < '0' || argv[0][0] > '9' || *end != '\0' || n < d->min || n > hi) {
        static char msg[96];
        if (d->words != NULL)
            snprintf(msg, sizeof(msg), "expected \"%s\" or a number from %lld to %lld", d->words,
                     d->min, hi);
        else if (d->max > 0)
            snprintf(msg, sizeof(msg), "expected a whole number from %lld to %lld", d->min, hi);
        else
            snprintf(msg, sizeof(msg), "expected a whole number of at least %lld", d->min);
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
    /* '' would name the config's own directory: a mistake, found here
     * rather than when the file is opened at start. */
    if (argv[0][0] == '\0')
        return "expected a path, not an empty string";
    free(*slot);
    *slot = eider_config_path(cfg->dir, argv[0]);
    return NULL;
}

/* A copy of the argument. */
static const char *set_string(struct eider_config *cfg, const struct eider_directive *d,
                              int argc, char **argv)
{
    char **slot = SLOT(cfg, char *, d);

    (void)argc;
    free(*slot);
    *slot = eider_strdup(argv[0]);
    return NULL;
}

/* A path, or one of the special words in d->words ("stderr stdout"). */
static const char *set_log_target(struct eider_config *cfg, const struct eider_directive *d,
                                  int argc, char **argv)
{
    if (eider_one_of(argv[0], d->words) >= 0)
        return set_string(cfg, d, argc, argv);
    if (argv[0][0] == '\0') {
        static char msg[120];
        snprintf(msg, sizeof(msg), "expected a path or one of: %s; not an empty string", d->words);
        return msg;
    }
    return set_path(cfg, d, argc, argv);
}

/* on or off, stored as 1 or 0. */
static const char *set_flag(struct eider_config *cfg, const struct eider_directive *d,
                            int argc, char **argv)
{
    int v = eider_one_of(argv[0], "off on");

    (void)argc;
    if (v < 0)
        return "expected \"on\" or \"off\"";
    *SLOT(cfg, int, d) = v;
    return NULL;
}

/* A size, or "off" (stored as 0, as is a size of 0): a limit that can be
 * turned off. d->min is the smallest size that is not 0. */
static const char *set_size_off(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    size_t *slot = SLOT(cfg, size_t, d);

    (void)argc;
    if (eider_one_of(argv[0], "off") == 0) {
        *slot = 0;
        return NULL;
    }
    if (eider_parse_size(argv[0], slot) < 0)
        return "expected a size like 512k, 64m or 1g, or off";
    if (*slot != 0 && (long long)*slot < d->min) {
        static char msg[80];
        if (d->min % (1024 * 1024) == 0)
            snprintf(msg, sizeof(msg), "must be at least %lldm, or off", d->min / (1024 * 1024));
        else
            snprintf(msg, sizeof(msg), "must be at least %lldk, or off", d->min / 1024);
        return msg;
    }
    return NULL;
}

/* A time as set_time, or "off" (stored as 0). */
static const char *set_time_off(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    if (eider_one_of(argv[0], "off") == 0) {
        *SLOT(cfg, int, d) = 0;
        return NULL;
    }
    if (set_time(cfg, d, argc, argv) != NULL)
        return "expected a time like 30s, 5m or 1h (at least 1s), or off";
    return NULL;
}

/* Appends a copy of each argument to the strings at d->offset, counted
 * at d->count; CHECK (may be NULL) refuses one with a message. */
static const char *push_strings(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv, const char *(*check)(const char *))
{
    char ***v = SLOT(cfg, char **, d);
    size_t *n = (size_t *)((char *)cfg + d->count);

    for (int i = 0; i < argc; i++) {
        const char *why = check ? check(argv[i]) : NULL;
        if (why != NULL)
            return why;
        *v = eider_realloc(*v, (*n + 1) * sizeof(char *));
        (*v)[(*n)++] = eider_strdup(argv[i]);
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
        struct eider_cidr c;
        if (eider_cidr_parse(argv[i], &c) < 0)
            return "expected addresses or CIDR ranges like 10.0.0.0/8, 127.0.0.1 or ::1";
        set->v = eider_realloc(set->v, (set->n + 1) * sizeof(*set->v));
        set->v[set->n++] = c;
    }
    return NULL;
}

/* A resolver nameserver: an IP address, with a port or not (evdns's
 * syntax: 10.0.0.2, 10.0.0.2:5353, ::1, [::1]:5353); NULL if so. */
static const char *nameserver_addr(const char *s)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof(ss);

    if (evutil_parse_sockaddr_port(s, (struct sockaddr *)&ss, &len) != 0)
        return "expected nameserver IP addresses, with a port or not, like 10.0.0.2, "
               "127.0.0.1:5353 or [::1]:53 (not host names)";
    return NULL;
}

/* resolver ADDRESS...: the nameservers of fetch, Redis and PostgreSQL
 * host names, appended (the directive may repeat). */
static const char *set_resolver(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    return push_strings(cfg, d, argc, argv, nameserver_addr);
}

/* --- other setters of their own --- */

/* workers: "auto" (one per core) or a count within the row's bounds. */
static const char *set_workers(struct eider_config *cfg, const struct eider_directive *d,
                               int argc, char **argv)
{
    if (eider_one_of(argv[0], d->words) == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        *SLOT(cfg, int, d) = n > 0 ? (int)n : 1;
        return NULL;
    }
    return set_count(cfg, d, argc, argv);
}

/* error_log TARGET [LEVEL]. */
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

    if (is_user ? getpwnam(argv[0]) == NULL : getgrnam(argv[0]) == NULL) {
        snprintf(msg, sizeof(msg), "no %s \"%.100s\" on this system", d->name, argv[0]);
        return msg;
    }
    return set_string(cfg, d, argc, argv);
}

/* An environment variable's name: letters, digits, _. */
static const char *env_name(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return "expected environment variable names (letters, digits, _)";
    return NULL;
}

static const char *set_env(struct eider_config *cfg, const struct eider_directive *d,
                           int argc, char **argv)
{
    return push_strings(cfg, d, argc, argv, env_name);
}

/* fs_root DIR...: each made absolute and resolved (realpath) now. */
static const char *set_fs_root(struct eider_config *cfg, const struct eider_directive *d,
                               int argc, char **argv)
{
    static char msg[300];

    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '\0')
            return "expected directories, not an empty string";
        char *abs = eider_config_path(cfg->dir, argv[i]);
        char *real = realpath(abs, NULL);
        if (real == NULL) {
            snprintf(msg, sizeof(msg), "%.200s: %s", abs, strerror(errno));
            free(abs);
            return msg;
        }
        push_strings(cfg, d, 1, &real, NULL);
        free(real);
        free(abs);
    }
    return NULL;
}

/* status_path: an absolute URL path. */
static const char *set_url_path(struct eider_config *cfg, const struct eider_directive *d,
                                int argc, char **argv)
{
    if (argv[0][0] != '/' || strpbrk(argv[0], "?# ") != NULL)
        return "expected a URL path starting with /, like /eider-status";
    return set_string(cfg, d, argc, argv);
}

/* shared_dict NAME SIZE: NAME becomes require('eider').shared.NAME, so it
 * is an identifier; each name once. */
static const char *set_shared_dict(struct eider_config *cfg, const struct eider_directive *d,
                                   int argc, char **argv)
{
    static char msg[200];
    size_t size;
    const char *p = argv[0];

    (void)d, (void)argc;
    if (!(isalpha((unsigned char)*p) || *p == '_') || strlen(p) > 63)
        return "expected a name of letters, digits and _ (not starting with a digit, up to 63)";
    for (; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return "expected a name of letters, digits and _ (not starting with a digit, up to 63)";
    for (size_t i = 0; i < cfg->nshdicts; i++)
        if (strcmp(cfg->shdicts[i].name, argv[0]) == 0) {
            snprintf(msg, sizeof(msg), "shared_dict %.64s is declared twice: give each a different name",
                     argv[0]);
            return msg;
        }
    if (eider_parse_size(argv[1], &size) < 0 || size < EIDER_SHDICT_MIN_SIZE || size > EIDER_SHDICT_MAX_SIZE) {
        snprintf(msg, sizeof(msg), "expected a size like 1m or 64m, from %zuk to %zug",
                 (size_t)EIDER_SHDICT_MIN_SIZE >> 10, EIDER_SHDICT_MAX_SIZE >> 30);
        return msg;
    }
    cfg->shdicts = eider_realloc(cfg->shdicts, (cfg->nshdicts + 1) * sizeof(*cfg->shdicts));
    cfg->shdicts[cfg->nshdicts++] = (struct eider_shdict_conf){ eider_strdup(argv[0]), size };
    return NULL;
}

/* redis_url: what require('redis').createClient() connects to without a
 * url: redis://[[user]:password@]host[:port][/db] or unix:///path. */
static const char *set_redis_url(struct eider_config *cfg, const struct eider_directive *d,
                                 int argc, char **argv)
{
    if (strncmp(argv[0], "rediss://", 9) == 0)
        return "TLS to Redis (rediss://) is not available: Debian 12's hiredis 0.14.1 has none; "
               "use redis:// on a trusted network or a local TLS tunnel (stunnel, spiped)";
    if (strncmp(argv[0], "redis://", 8) != 0 && strncmp(argv[0], "unix:///", 8) != 0)
        return "expected a URL like redis://127.0.0.1:6379, redis://:password@host:6379/0 "
               "or unix:///run/redis/redis.sock";
    return set_string(cfg, d, argc, argv);
}

/* pg_database NAME CONNINFO [max=N]: kept as three strings (name,
 * connection string, pool size or "") per database, for js_pg.c's
 * new Pool({ database: NAME }). The connection string is parsed now, so a
 * typo names this line rather than failing at the first query. */
static const char *set_pg_database(struct eider_config *cfg, const struct eider_directive *d,
                                   int argc, char **argv)
{
    static char msg[300];
    char *perr = NULL, *max = "";
    PQconninfoOption *opts;

    if (argv[0][0] == '\0' || env_name(argv[0]) != NULL)
        return "expected a database name of letters, digits and _";
    for (size_t i = 0; i < cfg->npg_databases; i += 3)
        if (strcmp(cfg->pg_databases[i], argv[0]) == 0) {
            snprintf(msg, sizeof(msg), "pg_database %.64s is declared twice: give each a different name",
                     argv[0]);
            return msg;
        }
    if ((opts = PQconninfoParse(argv[1], &perr)) == NULL) {
        size_t n = perr ? strcspn(perr, "\n") : 0;
        snprintf(msg, sizeof(msg), "invalid connection string: %.*s (expected like "
                 "postgresql://user:password@host:5432/db or 'host=... dbname=...')",
                 (int)(n > 150 ? 150 : n), perr ? perr : "");
        PQfreemem(perr);
        return msg;
    }
    PQconninfoFree(opts);
    if (argc > 2) {
        char *end;
        long n = strncmp(argv[2], "max=", 4) == 0 ? strtol(argv[2] + 4, &end, 10) : 0;
        if (n < 1 || n > 1000 || *end != '\0')
            return "expected max=N (connections per worker, 1 to 1000) after the connection string";
        max = argv[2] + 4;
    }
    push_strings(cfg, d, 1, &argv[0], NULL);
    push_strings(cfg, d, 1, &argv[1], NULL);
    return push_strings(cfg, d, 1, &max, NULL);
}

#define STRING(f) .offset = FIELD(f), .holds = EIDER_HOLDS_STRING
#define VALUE(f) .offset = FIELD(f)

const struct eider_directive eider_directives[] = {
    { .name = "listen", .max_args = 8, .repeatable = 1, .set = eider_set_listen, .def = "127.0.0.1:8080" },
    { .name = "workers", .set = set_workers, VALUE(workers), .words = "auto", .min = 1, .max = 1024,
      .def = "auto" },
    { .name = "handlers", .set = set_path, STRING(handlers), .def = "handlers" },
    { .name = "error_log", .max_args = 2, .set = set_error_log, STRING(error_log),
      .words = "stderr stdout syslog", .def = "stderr info" },
    { .name = "access_log", .set = set_log_target, STRING(access_log), .words = "off stdout stderr",
      .def = "stdout" },
    { .name = "client_max_body_size", .set = set_size, VALUE(client_max_body_size), .def = "1m" },
    { .name = "client_max_header_size", .set = set_size, VALUE(client_max_header_size), .min = 256,
      .def = "8k" },
    { .name = "client_header_timeout", .set = set_time, VALUE(client_header_timeout), .def = "60s" },
    { .name = "client_body_timeout", .set = set_time, VALUE(client_body_timeout), .def = "60s" },
    { .name = "proxy_protocol_timeout", .set = set_time, VALUE(proxy_protocol_timeout), .def = "5s" },
    { .name = "keepalive_requests", .set = set_count, VALUE(keepalive_requests), .def = "1000" },
    { .name = "worker_connections", .set = set_count, VALUE(worker_connections), .min = 1,
      .def = "8192" },
    { .name = "keepalive_timeout", .set = set_time, VALUE(keepalive_timeout), .def = "75s" },
    { .name = "send_timeout", .set = set_time, VALUE(send_timeout), .def = "60s" },
    { .name = "worker_max_send_buffer", .set = set_size_off, VALUE(worker_max_send_buffer),
      .min = 64 * 1024, .def = "4m" },
    { .name = "request_timeout", .set = set_time, VALUE(request_timeout), .def = "30s" },
    { .name = "worker_shutdown_timeout", .set = set_time, VALUE(worker_shutdown_timeout), .def = "10s" },
    { .name = "worker_stuck_timeout", .set = set_time_off, VALUE(worker_stuck_timeout), .def = "60s" },
    { .name = "worker_max_requests", .set = set_count, VALUE(worker_max_requests), .def = "0" },
    { .name = "worker_max_rss", .set = set_size_off, VALUE(worker_max_rss), .min = 1024 * 1024,
      .def = "off" },
    { .name = "js_time_limit", .set = set_time, VALUE(js_time_limit), .def = "5s" },
    { .name = "js_memory_limit", .set = set_size_off, VALUE(js_memory_limit), .min = 1024 * 1024,
      .def = "128m" },
    { .name = "js_cache", .set = set_log_target, STRING(js_cache), .words = "off auto", .def = "auto" },
    { .name = "daemon", .set = set_flag, VALUE(daemon), .def = "off" },
    { .name = "watch", .set = set_flag, VALUE(watch), .def = "off" },
    { .name = "pid", .set = set_path, STRING(pid_file) },
    { .name = "user", .set = set_account, STRING(user) },
    { .name = "group", .set = set_account, STRING(group) },
    { .name = "env", .max_args = 16, .repeatable = 1, .set = set_env, .offset = FIELD(env),
      .holds = EIDER_HOLDS_STRINGS, .count = FIELD(nenv) },
    { .name = "fs_root", .max_args = 16, .repeatable = 1, .set = set_fs_root, .offset = FIELD(fs_roots),
      .holds = EIDER_HOLDS_STRINGS, .count = FIELD(nfs_roots) },
    { .name = "trusted_proxies", .max_args = 16, .repeatable = 1, .set = set_cidrs,
      .offset = FIELD(trusted), .holds = EIDER_HOLDS_CIDRS },
    { .name = "status_path", .set = set_url_path, STRING(status_path) },
    { .name = "status_allow", .max_args = 16, .repeatable = 1, .set = set_cidrs,
      .offset = FIELD(status_allow), .holds = EIDER_HOLDS_CIDRS, .def = "127.0.0.1 ::1" },
    { .name = "ssl_certificate", .set = set_path, STRING(ssl_certificate) },
    { .name = "ssl_certificate_key", .set = set_path, STRING(ssl_certificate_key) },
    { .name = "ssl_ciphers", .set = set_string, STRING(ssl_ciphers),
      .def = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
             "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305" },
    { .name = "fetch_ca_file", .set = set_path, STRING(fetch_ca_file) },
    { .name = "fetch_timeout", .set = set_time, VALUE(fetch_timeout), .def = "30s" },
    { .name = "resolver", .max_args = 16, .repeatable = 1, .set = set_resolver,
      .offset = FIELD(resolvers), .holds = EIDER_HOLDS_STRINGS, .count = FIELD(nresolvers) },
    { .name = "fetch_max_response_size", .set = set_size, VALUE(fetch_max_response_size), .def = "16m" },
    { .name = "shared_dict", .min_args = 2, .repeatable = 1, .set = set_shared_dict },
    { .name = "redis_url", .set = set_redis_url, STRING(redis_url) },
    { .name = "redis_timeout", .set = set_time_off, VALUE(redis_timeout), .def = "5s" },
    { .name = "pg_database", .min_args = 2, .max_args = 3, .repeatable = 1, .set = set_pg_database,
      .offset = FIELD(pg_databases), .holds = EIDER_HOLDS_STRINGS, .count = FIELD(npg_databases) },
};
const size_t eider_ndirectives = sizeof(eider_directives) / sizeof(eider_directives[0]);

void eider_directives_free(struct eider_config *cfg)
{
    for (size_t i = 0; i < eider_ndirectives; i++) {
        const struct eider_directive *d = &eider_directives[i];
        switch (d->holds) {
        case EIDER_HOLDS_VALUE:
            break;
        case EIDER_HOLDS_STRING:
            free(*SLOT(cfg, char *, d));
            break;
        case EIDER_HOLDS_STRINGS: {
            char **v = *SLOT(cfg, char **, d);
            size_t n = *(size_t *)((char *)cfg + d->count);
            for (size_t k = 0; k < n; k++)
                free(v[k]);
            free(v);
            break;
        }
        case EIDER_HOLDS_CIDRS:
            free(SLOT(cfg, struct eider_cidrs, d)->v);
            break;
        }
    }
}
