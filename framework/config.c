/*
 * Config parser. The syntax is nginx's: words separated by white space,
 * "quoted" or 'quoted' words, ";" ends a directive, "#" starts a comment,
 * "include PATTERN;" reads other files in place. What each directive means
 * is one row of the table in directives.c.
 */
#include "alloc.h"
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_internal.h"
#include "file.h"
#include "log.h"

#define MAX_ARGS 16
#define MAX_TOKEN 4096
#define MAX_INCLUDE_DEPTH 8

#define DEFAULT_FILE "(default)"   /* the "file" of the defaults' text */

#define NDIRECTIVES eider_ndirectives
#define directives eider_directives

struct parser {
    struct eider_config *cfg;
    const char *file;          /* for messages */
    const char *dir;           /* for include */
    const char *p, *end;
    int line;
    int depth;
    int ndone;                 /* directives applied from this file and its includes */
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

/* Space, tab, CR and LF separate words, as in nginx. */
static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A control byte (or DEL) that is not a separator: refused outside quotes,
 * where it would be taken into a word unseen, and NUL anywhere, since it
 * ends the C string the word becomes (silently truncating it). */
static int is_control(char c)
{
    unsigned char u = (unsigned char)c;

    return (u < 0x20 && !is_blank(c)) || u == 0x7f;
}

/* Reports the control byte C at the current line; returns TOK_ERROR. */
static enum token control_error(struct parser *ps, char c, int quoted)
{
    parse_error(ps, "control byte 0x%02x%s %s: remove it (eider.conf is text; "
                "was it saved by a binary tool or with the wrong encoding?)",
                (unsigned char)c, c == '\0' ? " (NUL)" : "",
                quoted ? "inside a quoted string" : "outside quotes");
    return TOK_ERROR;
}

/* Reads the next token into buf; quotes may hold ";", "#" and spaces.
 * Refuses NUL anywhere and other control bytes outside quotes. */
static enum token next_token(struct parser *ps, char *buf, size_t buflen)
{
    const char *p = ps->p;
    size_t n = 0;

    for (;;) {
        while (p < ps->end && is_blank(*p)) {
            if (*p == '\n')
                ps->line++;
            p++;
        }
        if (p < ps->end && *p == '#') {
            while (p < ps->end && *p != '\n' && *p != '\0')
                p++;
            continue;
        }
        break;
    }
    if (p >= ps->end) {
        ps->p = p;
        return TOK_EOF;
    }
    if (is_control(*p))
        return control_error(ps, *p, 0);
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
            if (*p == '\0')
                return control_error(ps, *p, 1);
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
        while (p < ps->end && !is_blank(*p) && *p != ';'
               && *p != '{' && *p != '}' && *p != '#') {
            if (is_control(*p))
                return control_error(ps, *p, 0);
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
    dir = eider_strdup(path);
    slash = strrchr(dir, '/');
    if (slash != NULL)
        *slash = '\0';
    ps.file = path;
    ps.dir = dir;
    ps.p = text;
    ps.end = text + len;
    ps.line = 1;
    ps.ndone = 0;
    ps.depth = parent->depth + 1;
    rc = parse_text(&ps);
    parent->ndone += ps.ndone;
    free(text);
    free(dir);
    return rc;
}

static int do_include(struct parser *ps, const char *pattern)
{
    char *path = eider_config_path(ps->dir, pattern);
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

static const struct eider_directive *find_directive(const char *name)
{
    for (size_t i = 0; i < NDIRECTIVES; i++)
        if (strcmp(directives[i].name, name) == 0)
            return &directives[i];
    return NULL;
}

/* Checks and applies one directive with its arguments. */
static int apply(struct parser *ps, int argc, char **argv)
{
    const struct eider_directive *d;
    int lo, hi;
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
    eider_directive_args(d, &lo, &hi);
    if (argc - 1 < lo || argc - 1 > hi) {
        if (lo == hi)
            parse_error(ps, "\"%s\" takes %d argument%s, not %d", d->name, lo, lo == 1 ? "" : "s",
                        argc - 1);
        else
            parse_error(ps, "\"%s\" takes %d to %d arguments, not %d", d->name, lo, hi, argc - 1);
        return -1;
    }
    if (!d->repeatable && ps->seen[d - directives]) {
        parse_error(ps, "\"%s\" is duplicate", d->name);
        return -1;
    }
    ps->seen[d - directives] = 1;
    /* Setters resolve relative paths against the current file's dir, and
     * a listen keeps its file:line for the checks after parsing. */
    free(ps->cfg->dir);
    ps->cfg->dir = ps->dir ? eider_strdup(ps->dir) : NULL;
    free(ps->cfg->at);
    ps->cfg->at = NULL;
    if (strcmp(ps->file, DEFAULT_FILE) != 0 && asprintf(&ps->cfg->at, "%s:%d", ps->file, ps->line) < 0)
        ps->cfg->at = NULL;
    msg = d->set(ps->cfg, d, argc - 1, argv + 1);
    if (msg != NULL) {
        parse_error(ps, "\"%s\": %s", d->name, msg);
        return -1;
    }
    free(ps->cfg->where[d - directives]);
    ps->cfg->where[d - directives] = ps->cfg->at ? eider_strdup(ps->cfg->at) : NULL;
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
            ps->ndone++;
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
        argv[argc++] = eider_strdup(tok);
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
    struct eider_config *cfg = eider_calloc(1, sizeof(*cfg));
    unsigned char *seen = eider_calloc(NDIRECTIVES, 1);
    unsigned char *def_seen = eider_calloc(NDIRECTIVES, 1);
    char cwd[PATH_MAX];
    struct parser ps = { .cfg = cfg, .err = err, .errlen = errlen };
    int rc = 0, nfile = 0, nextra = 0;

    cfg->where = eider_calloc(NDIRECTIVES, sizeof(*cfg->where));
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        snprintf(cwd, sizeof(cwd), ".");
    if (file != NULL) {
        char *abs = eider_config_path(cwd, file);
        char *slash;
        cfg->file = abs;
        ps.dir = eider_strdup(abs);
        slash = strrchr((char *)ps.dir, '/');
        *slash = '\0';
    } else {
        ps.dir = eider_strdup(cwd);
    }

    /* Defaults first (listen only if no listen is given), then the file. */
    ps.seen = def_seen;
    for (size_t i = 0; rc == 0 && i < NDIRECTIVES; i++) {
        if (directives[i].def == NULL || directives[i].repeatable)
            continue;
        char text[256];
        snprintf(text, sizeof(text), "%s %s;", directives[i].name, directives[i].def);
        rc = parse_string(&ps, DEFAULT_FILE, text);
    }
    ps.seen = seen;
    if (rc == 0 && file != NULL) {
        struct parser top = ps;
        top.file = NULL;
        top.depth = -1;
        top.ndone = 0;
        rc = parse_file(&top, cfg->file);
        nfile = top.ndone;
    }
    if (rc == 0 && extra != NULL) {
        int before = ps.ndone;
        cfg->extra = eider_strdup(extra);
        rc = parse_string(&ps, "(command line -g)", extra);
        nextra = ps.ndone - before;
    }
    if (rc == 0 && file != NULL && nfile == 0 && nextra == 0) {
        /* Likely truncated, or the wrong file: nginx refuses one too (an
         * empty file and -g directives is a config). An empty file has no
         * line: the message says line 1. */
        snprintf(err, errlen, "%s:1: the file has no directives (it is empty or only comments): "
                 "write them, e.g. \"listen 127.0.0.1:8080;\" and \"handlers DIR;\" "
                 "(man eider.conf), or run eider without -c for the defaults", cfg->file);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < NDIRECTIVES; i++) {
        if (!directives[i].repeatable || seen[i] || directives[i].def == NULL)
            continue;
        char text[256];
        snprintf(text, sizeof(text), "%s %s;", directives[i].name, directives[i].def);
        rc = parse_string(&ps, DEFAULT_FILE, text);
    }
    free((char *)ps.dir);
    free(seen);
    free(def_seen);
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
    for (size_t i = 0; i < cfg->nlistens; i++) {
        free(cfg->listens[i].where);
        free(cfg->listens[i].text);
        free(cfg->listens[i].access_log);
        free(cfg->listens[i].status_path);
    }
    free(cfg->listens);
    free(cfg->file);
    free(cfg->extra);
    free(cfg->dir);
    free(cfg->at);
    for (size_t i = 0; cfg->where != NULL && i < NDIRECTIVES; i++)
        free(cfg->where[i]);
    free(cfg->where);
    for (size_t i = 0; i < cfg->nshdicts; i++)
        free(cfg->shdicts[i].name);
    free(cfg->shdicts);
    eider_directives_free(cfg);   /* every field a directive sets */
    free(cfg);
}

const char *eider_config_where(const struct eider_config *cfg, const char *directive)
{
    const struct eider_directive *d = find_directive(directive);

    return d != NULL && cfg->where != NULL ? cfg->where[d - directives] : NULL;
}

void eider_config_blame(const struct eider_config *cfg, const char *where, const char *directive,
                        char *err, size_t errlen)
{
    char *msg = eider_strdup(err);

    if (where != NULL)
        snprintf(err, errlen, "%s: %s", where, msg);
    else if (cfg->file != NULL)
        snprintf(err, errlen, "%s: no \"%s\" directive, so its default applies: %s",
                 cfg->file, directive, msg);
    else
        snprintf(err, errlen, "(the embedded default config, no -c): %s", msg);
    free(msg);
}
