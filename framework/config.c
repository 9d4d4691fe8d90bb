/*
 * Config parser. The syntax is nginx's: words separated by white space,
 * "quoted" or 'quoted' words, ";" ends a directive, "#" starts a comment,
 * "include PATTERN;" reads other files in place. What each directive means
 * is one row of the directives[] table: name, argument counts, default,
 * and the setter that checks and stores the value.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <limits.h>
#include <stdint.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "file.h"
#include "log.h"

#define MAX_ARGS 16
#define MAX_TOKEN 4096
#define MAX_INCLUDE_DEPTH 8

/* A setter returns NULL on success or a message saying what to fix. */
typedef const char *(*directive_set)(struct eider_config *cfg, int argc, char **argv);

struct directive {
    const char *name;
    int min_args, max_args;
    int repeatable;
    directive_set set;
    const char *def;           /* default, as config text; NULL for none */
};

static const char *set_listen(struct eider_config *, int, char **);
static const char *set_workers(struct eider_config *, int, char **);
static const char *set_handlers(struct eider_config *, int, char **);
static const char *set_error_log(struct eider_config *, int, char **);
static const char *set_access_log(struct eider_config *, int, char **);
static const char *set_body_size(struct eider_config *, int, char **);
static const char *set_header_size(struct eider_config *, int, char **);
static const char *set_header_timeout(struct eider_config *, int, char **);
static const char *set_keepalive_timeout(struct eider_config *, int, char **);
static const char *set_request_timeout(struct eider_config *, int, char **);
static const char *set_shutdown_timeout(struct eider_config *, int, char **);
static const char *set_daemon(struct eider_config *, int, char **);
static const char *set_pid(struct eider_config *, int, char **);
static const char *set_user(struct eider_config *, int, char **);
static const char *set_group(struct eider_config *, int, char **);
static const char *set_env(struct eider_config *, int, char **);
static const char *set_fs_root(struct eider_config *, int, char **);
static const char *set_fetch_ca_file(struct eider_config *, int, char **);
static const char *set_fetch_timeout(struct eider_config *, int, char **);
static const char *set_fetch_max_response_size(struct eider_config *, int, char **);

/* Keep in step with man/eider.conf.5. */
static const struct directive directives[] = {
    { "listen",                 1, 3, 1, set_listen,            "127.0.0.1:8080" },
    { "workers",                1, 1, 0, set_workers,           "auto" },
    { "handlers",               1, 1, 0, set_handlers,          "handlers" },
    { "error_log",              1, 2, 0, set_error_log,         "stderr info" },
    { "access_log",             1, 1, 0, set_access_log,        "stdout" },
    { "client_max_body_size",   1, 1, 0, set_body_size,         "1m" },
    { "client_max_header_size", 1, 1, 0, set_header_size,       "8k" },
    { "client_header_timeout",  1, 1, 0, set_header_timeout,    "60s" },
    { "keepalive_timeout",      1, 1, 0, set_keepalive_timeout, "75s" },
    { "request_timeout",        1, 1, 0, set_request_timeout,   "30s" },
    { "worker_shutdown_timeout", 1, 1, 0, set_shutdown_timeout, "10s" },
    { "daemon",                 1, 1, 0, set_daemon,            "off" },
    { "pid",                    1, 1, 0, set_pid,               NULL },
    { "user",                   1, 1, 0, set_user,              NULL },
    { "group",                  1, 1, 0, set_group,             NULL },
    { "env",                    1, 16, 1, set_env,              NULL },
    { "fs_root",                1, 16, 1, set_fs_root,          NULL },
    { "fetch_ca_file",          1, 1, 0, set_fetch_ca_file,     NULL },
    { "fetch_timeout",          1, 1, 0, set_fetch_timeout,     "30s" },
    { "fetch_max_response_size", 1, 1, 0, set_fetch_max_response_size, "16m" },
};
#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))

struct parser {
    struct eider_config *cfg;
    const char *file;          /* for messages */
    const char *dir;           /* for include */
    const char *p, *end;
    int line;
    int depth;
    unsigned char *seen;       /* per directive, shared across includes */
    char *err;
    size_t errlen;
};

enum token { TOK_WORD, TOK_SEMI, TOK_LBRACE, TOK_RBRACE, TOK_EOF, TOK_ERROR };

static int parse_text(struct parser *ps);

static void parse_error(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void parse_error(struct parser *ps, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->file, ps->line);

    if (n < 0 || (size_t)n >= ps->errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Reads the next token into buf; quotes may hold ";", "#" and spaces. */
static enum token next_token(struct parser *ps, char *buf, size_t buflen)
{
    const char *p = ps->p;
    size_t n = 0;

    for (;;) {
        while (p < ps->end && isspace((unsigned char)*p)) {
            if (*p == '\n')
                ps->line++;
            p++;
        }
        if (p < ps->end && *p == '#') {
            while (p < ps->end && *p != '\n')
                p++;
            continue;
        }
        break;
    }
    if (p >= ps->end) {
        ps->p = p;
        return TOK_EOF;
    }
    if (*p == ';' || *p == '{' || *p == '}') {
        ps->p = p + 1;
        return *p == ';' ? TOK_SEMI : *p == '{' ? TOK_LBRACE : TOK_RBRACE;
    }
    if (*p == '"' || *p == '\'') {
        char q = *p++;
        int open_line = ps->line;
        while (p < ps->end && *p != q) {
            if (*p == '\\' && p + 1 < ps->end)
                p++;
            if (*p == '\n')
                ps->line++;
            if (n + 1 >= buflen) {
                parse_error(ps, "quoted string is too long");
                return TOK_ERROR;
            }
            buf[n++] = *p++;
        }
        if (p >= ps->end) {
            ps->line = open_line;
            parse_error(ps, "unterminated %c quote", q);
            return TOK_ERROR;
        }
        p++;
    } else {
        while (p < ps->end && !isspace((unsigned char)*p) && *p != ';'
               && *p != '{' && *p != '}' && *p != '#') {
            if (n + 1 >= buflen) {
                parse_error(ps, "word is too long");
                return TOK_ERROR;
            }
            buf[n++] = *p++;
        }
    }
    buf[n] = '\0';
    ps->p = p;
    return TOK_WORD;
}

/* Returns a malloc'd absolute path: PATH itself, or DIR/PATH. */
static char *resolve_path(const char *dir, const char *path)
{
    char *out;

    if (path[0] == '/' || dir == NULL)
        return strdup(path);
    if (asprintf(&out, "%s/%s", dir, path) < 0)
        return NULL;
    return out;
}

/* Parses FILE as if its text stood where the include directive is. */
static int parse_file(struct parser *parent, const char *path)
{
    struct parser ps = *parent;
    size_t len;
    char *text, *dir, *slash;
    int rc;

    if (parent->depth >= MAX_INCLUDE_DEPTH) {
        parse_error(parent, "includes nested deeper than %d (an include loop?)", MAX_INCLUDE_DEPTH);
        return -1;
    }
    text = eider_read_file(path, &len);
    if (text == NULL && parent->file == NULL)     /* the config file itself */
        snprintf(parent->err, parent->errlen, "cannot read %s: %s", path, strerror(errno));
    else if (text == NULL)
        parse_error(parent, "include \"%s\": %s", path, strerror(errno));
    if (text == NULL)
        return -1;
    dir = strdup(path);
    slash = strrchr(dir, '/');
    if (slash != NULL)
        *slash = '\0';
    ps.file = path;
    ps.dir = dir;
    ps.p = text;
    ps.end = text + len;
    ps.line = 1;
    ps.depth = parent->depth + 1;
    rc = parse_text(&ps);
    free(text);
    free(dir);
    return rc;
}

static int do_include(struct parser *ps, const char *pattern)
{
    char *path = resolve_path(ps->dir, pattern);
    glob_t g;
    int rc = 0, gr;

    /* Only a pattern is globbed: a plain name may sit in a directory whose
     * own name has glob characters. */
    if (strpbrk(pattern, "*?[") == NULL) {
        rc = parse_file(ps, path);
        free(path);
        return rc;
    }
    gr = glob(path, 0, NULL, &g);
    if (gr != 0 && gr != GLOB_NOMATCH) {
        parse_error(ps, "include \"%s\": cannot expand the pattern", path);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && gr == 0 && i < g.gl_pathc; i++)
        rc = parse_file(ps, g.gl_pathv[i]);
    if (gr == 0)
        globfree(&g);
    free(path);
    return rc;
}

static const struct directive *find_directive(const char *name)
{
    for (size_t i = 0; i < NDIRECTIVES; i++)
        if (strcmp(directives[i].name, name) == 0)
            return &directives[i];
    return NULL;
}

/* Checks and applies one directive with its arguments. */
static int apply(struct parser *ps, int argc, char **argv)
{
    const struct directive *d;
    const char *msg;

    if (strcmp(argv[0], "include") == 0) {
        if (argc != 2) {
            parse_error(ps, "\"include\" takes one file name or pattern");
            return -1;
        }
        return do_include(ps, argv[1]);
    }
    d = find_directive(argv[0]);
    if (d == NULL) {
        parse_error(ps, "unknown directive \"%s\" (man eider.conf lists them)", argv[0]);
        return -1;
    }
    if (argc - 1 < d->min_args || argc - 1 > d->max_args) {
        if (d->min_args == d->max_args)
            parse_error(ps, "\"%s\" takes %d argument%s, not %d", d->name,
                        d->min_args, d->min_args == 1 ? "" : "s", argc - 1);
        else
            parse_error(ps, "\"%s\" takes %d to %d arguments, not %d", d->name,
                        d->min_args, d->max_args, argc - 1);
        return -1;
    }
    if (!d->repeatable && ps->seen[d - directives]) {
        parse_error(ps, "\"%s\" is duplicate", d->name);
        return -1;
    }
    ps->seen[d - directives] = 1;
    /* Setters resolve relative paths against the current file's dir. */
    free(ps->cfg->dir);
    ps->cfg->dir = ps->dir ? strdup(ps->dir) : NULL;
    msg = d->set(ps->cfg, argc - 1, argv + 1);
    if (msg != NULL) {
        parse_error(ps, "\"%s\": %s", d->name, msg);
        return -1;
    }
    return 0;
}

static int is_directive_name(const char *word)
{
    return strcmp(word, "include") == 0 || find_directive(word) != NULL;
}

static int parse_text(struct parser *ps)
{
    char *argv[MAX_ARGS];
    char tok[MAX_TOKEN];
    int argc = 0, rc = -1, start_line = ps->line;

    for (;;) {
        enum token t = next_token(ps, tok, sizeof(tok));

        if (t == TOK_ERROR)
            break;
        if (t == TOK_EOF) {
            if (argc == 0) {
                rc = 0;
            } else {
                ps->line = start_line;
                parse_error(ps, "\"%s\" is not terminated by \";\"", argv[0]);
            }
            break;
        }
        if (t == TOK_LBRACE || t == TOK_RBRACE) {
            parse_error(ps, "unexpected \"%c\": eider.conf has no blocks", t == TOK_LBRACE ? '{' : '}');
            break;
        }
        if (t == TOK_SEMI) {
            if (argc == 0) {
                parse_error(ps, "unexpected \";\"");
                break;
            }
            int line = ps->line;
            ps->line = start_line;
            int ok = apply(ps, argc, argv);
            ps->line = line;
            for (int i = 0; i < argc; i++)
                free(argv[i]);
            argc = 0;
            if (ok < 0)
                return -1;
            continue;
        }
        if (argc == 0) {
            start_line = ps->line;
        } else if (is_directive_name(argv[0]) && is_directive_name(tok) && ps->line > start_line) {
            /* "workers 2\nlisten ..." : say where the ";" is missing. */
            ps->line = start_line;
            parse_error(ps, "\"%s\" is not terminated by \";\"", argv[0]);
            break;
        }
        if (argc == MAX_ARGS) {
            parse_error(ps, "too many arguments");
            break;
        }
        argv[argc++] = strdup(tok);
    }
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return rc;
}

static int parse_string(struct parser *ps, const char *name, const char *text)
{
    ps->file = name;
    ps->p = text;
    ps->end = text + strlen(text);
    ps->line = 1;
    return parse_text(ps);
}

struct eider_config *eider_config_load(const char *file, const char *extra,
                                       char *err, size_t errlen)
{
    struct eider_config *cfg = calloc(1, sizeof(*cfg));
    unsigned char seen[NDIRECTIVES] = { 0 };
    unsigned char def_seen[NDIRECTIVES] = { 0 };
    char cwd[PATH_MAX];
    struct parser ps = { .cfg = cfg, .err = err, .errlen = errlen };
    int rc = 0;

    if (getcwd(cwd, sizeof(cwd)) == NULL)
        snprintf(cwd, sizeof(cwd), ".");
    if (file != NULL) {
        char *abs = resolve_path(cwd, file);
        char *slash;
        cfg->file = abs;
        ps.dir = strdup(abs);
        slash = strrchr((char *)ps.dir, '/');
        *slash = '\0';
    } else {
        ps.dir = strdup(cwd);
    }

    /* Defaults first (listen only if no listen is given), then the file. */
    ps.seen = def_seen;
    for (size_t i = 0; rc == 0 && i < NDIRECTIVES; i++) {
        if (directives[i].def == NULL || directives[i].repeatable)
            continue;
        char text[256];
        snprintf(text, sizeof(text), "%s %s;", directives[i].name, directives[i].def);
        rc = parse_string(&ps, "(default)", text);
    }
    ps.seen = seen;
    if (rc == 0 && file != NULL) {
        struct parser top = ps;
        top.file = NULL;
        top.depth = -1;
        rc = parse_file(&top, cfg->file);
    }
    if (rc == 0 && extra != NULL) {
        cfg->extra = strdup(extra);
        rc = parse_string(&ps, "(command line -g)", extra);
    }
    for (size_t i = 0; rc == 0 && i < NDIRECTIVES; i++) {
        if (!directives[i].repeatable || seen[i] || directives[i].def == NULL)
            continue;
        char text[256];
        snprintf(text, sizeof(text), "%s %s;", directives[i].name, directives[i].def);
        rc = parse_string(&ps, "(default)", text);
    }
    free((char *)ps.dir);
    if (rc < 0) {
        eider_config_free(cfg);
        return NULL;
    }
    return cfg;
}

void eider_config_free(struct eider_config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < cfg->nlistens; i++)
        free(cfg->listens[i].text);
    free(cfg->listens);
    free(cfg->file);
    free(cfg->extra);
    free(cfg->dir);
    free(cfg->pid_file);
    free(cfg->user);
    free(cfg->group);
    for (size_t i = 0; i < cfg->nenv; i++)
        free(cfg->env[i]);
    free(cfg->env);
    for (size_t i = 0; i < cfg->nfs_roots; i++)
        free(cfg->fs_roots[i]);
    free(cfg->fs_roots);
    free(cfg->fetch_ca_file);
    free(cfg->handlers);
    free(cfg->error_log);
    free(cfg->access_log);
    free(cfg);
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

/* --- setters --- */

static const char *replace_path(struct eider_config *cfg, char **slot, const char *value)
{
    free(*slot);
    *slot = resolve_path(cfg->dir, value);
    return NULL;
}

static const char *set_listen(struct eider_config *cfg, int argc, char **argv)
{
    struct eider_listen l = { .backlog = 511 };
    struct eider_listen *grown;

    if (eider_parse_listen_addr(argv[0], &l.addr, &l.addrlen) < 0)
        return "expected an address like 127.0.0.1:8080, *:8080 or [::1]:8080";
    for (int i = 1; i < argc; i++) {
        size_t v;
        if (strcmp(argv[i], "reuseport") == 0)
            l.reuseport = 1;
        else if (strncmp(argv[i], "backlog=", 8) == 0 && eider_parse_size(argv[i] + 8, &v) == 0
                 && v > 0 && v <= 65535)
            l.backlog = (int)v;
        else
            return "unknown option (expected reuseport or backlog=N)";
    }
    for (size_t i = 0; i < cfg->nlistens; i++)
        if (cfg->listens[i].addrlen == l.addrlen && memcmp(&cfg->listens[i].addr, &l.addr, l.addrlen) == 0)
            return "this address is already listened on";
    grown = realloc(cfg->listens, (cfg->nlistens + 1) * sizeof(*grown));
    if (grown == NULL)
        return "out of memory";
    l.text = strdup(argv[0]);
    cfg->listens = grown;
    cfg->listens[cfg->nlistens++] = l;
    return NULL;
}

static const char *set_workers(struct eider_config *cfg, int argc, char **argv)
{
    char *end;
    long n;

    (void)argc;
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

static const char *set_handlers(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return replace_path(cfg, &cfg->handlers, argv[0]);
}

static const char *set_error_log(struct eider_config *cfg, int argc, char **argv)
{
    int level = EIDER_LOG_INFO;

    if (argc == 2 && (level = eider_log_level_parse(argv[1])) < 0)
        return "unknown level (expected debug, info, notice, warn, error or crit)";
    cfg->error_level = level;
    if (strcmp(argv[0], "stderr") == 0 || strcmp(argv[0], "stdout") == 0
        || strcmp(argv[0], "syslog") == 0) {
        free(cfg->error_log);
        cfg->error_log = strdup(argv[0]);
        return NULL;
    }
    return replace_path(cfg, &cfg->error_log, argv[0]);
}

static const char *set_access_log(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    if (strcmp(argv[0], "off") == 0 || strcmp(argv[0], "stdout") == 0
        || strcmp(argv[0], "stderr") == 0) {
        free(cfg->access_log);
        cfg->access_log = strdup(argv[0]);
        return NULL;
    }
    return replace_path(cfg, &cfg->access_log, argv[0]);
}

static const char *set_size(size_t *slot, const char *value)
{
    return eider_parse_size(value, slot) < 0 ? "expected a size like 512, 8k or 1m" : NULL;
}

static const char *set_body_size(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_size(&cfg->client_max_body_size, argv[0]);
}

static const char *set_header_size(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    const char *msg = set_size(&cfg->client_max_header_size, argv[0]);
    if (msg == NULL && cfg->client_max_header_size < 256)
        return "must be at least 256 bytes";
    return msg;
}

static const char *set_time(int *slot, const char *value)
{
    if (eider_parse_time(value, slot) < 0 || *slot < 1)
        return "expected a time like 30s, 5m or 1h (at least 1s)";
    return NULL;
}

static const char *set_header_timeout(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_time(&cfg->client_header_timeout, argv[0]);
}

static const char *set_keepalive_timeout(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_time(&cfg->keepalive_timeout, argv[0]);
}

static const char *set_request_timeout(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_time(&cfg->request_timeout, argv[0]);
}

static const char *set_shutdown_timeout(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_time(&cfg->worker_shutdown_timeout, argv[0]);
}

static const char *set_daemon(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    if (strcmp(argv[0], "on") != 0 && strcmp(argv[0], "off") != 0)
        return "expected \"on\" or \"off\"";
    cfg->daemon = strcmp(argv[0], "on") == 0;
    return NULL;
}

static const char *set_pid(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return replace_path(cfg, &cfg->pid_file, argv[0]);
}

static const char *set_name(char **slot, const char *value)
{
    free(*slot);
    *slot = strdup(value);
    return NULL;
}

static const char *set_user(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    static char msg[160];
    if (getpwnam(argv[0]) == NULL) {
        snprintf(msg, sizeof(msg), "no user \"%.100s\" on this system", argv[0]);
        return msg;
    }
    return set_name(&cfg->user, argv[0]);
}

static const char *set_group(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    static char msg[160];
    if (getgrnam(argv[0]) == NULL) {
        snprintf(msg, sizeof(msg), "no group \"%.100s\" on this system", argv[0]);
        return msg;
    }
    return set_name(&cfg->group, argv[0]);
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

static const char *set_env(struct eider_config *cfg, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        for (const char *p = argv[i]; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '_'))
                return "expected environment variable names (letters, digits, _)";
        push_string(&cfg->env, &cfg->nenv, argv[i]);
    }
    return NULL;
}

static const char *set_fs_root(struct eider_config *cfg, int argc, char **argv)
{
    static char msg[300];

    for (int i = 0; i < argc; i++) {
        char *abs = resolve_path(cfg->dir, argv[i]);
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

static const char *set_fetch_ca_file(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return replace_path(cfg, &cfg->fetch_ca_file, argv[0]);
}

static const char *set_fetch_timeout(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_time(&cfg->fetch_timeout, argv[0]);
}

static const char *set_fetch_max_response_size(struct eider_config *cfg, int argc, char **argv)
{
    (void)argc;
    return set_size(&cfg->fetch_max_response_size, argv[0]);
}
