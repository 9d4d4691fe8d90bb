/*
 * The router. Each directory level is a trie node with static children
 * (exact names), at most one "[param]" child and at most one "[...rest]"
 * leaf. Matching tries them in that order and backtracks, so static
 * segments win over dynamic ones at every level.
 */
#include "alloc.h"
#include "router.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "url.h"

struct node {
    char *name;                /* static name, or the param name */
    size_t nlen;               /* strlen(name), compared first when matching */
    int handler;               /* -1 if this path has no file */
    struct node **kids;        /* static children */
    size_t nkids;
    struct node *param;        /* [name] child */
    struct node *rest;         /* [...name].js leaf */
};

struct eider_router {
    struct node *root;
    char **files;
    char **patterns;
    size_t nfiles;
    char *err;
    size_t errlen;
};

static struct node *node_new(const char *name)
{
    struct node *n = eider_calloc(1, sizeof(*n));
    n->name = eider_strdup(name);
    n->nlen = strlen(name);
    n->handler = -1;
    return n;
}

static void node_free(struct node *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    node_free(n->param);
    node_free(n->rest);
    free(n->name);
    free(n);
}

static struct node *static_child(struct node *n, const char *name)
{
    for (size_t i = 0; i < n->nkids; i++)
        if (strcmp(n->kids[i]->name, name) == 0)
            return n->kids[i];
    n->kids = eider_realloc(n->kids, (n->nkids + 1) * sizeof(*n->kids));
    return n->kids[n->nkids++] = node_new(name);
}

/* "[id]" -> "id", "[...rest]" -> "rest" (with *rest set); else NULL. */
static char *bracket_name(const char *s, size_t len, int *rest)
{
    *rest = 0;
    if (len < 3 || s[0] != '[' || s[len - 1] != ']')
        return NULL;
    s++, len -= 2;
    if (len > 3 && strncmp(s, "...", 3) == 0) {
        *rest = 1;
        s += 3, len -= 3;
    }
    return eider_strndup(s, len);
}

/* The dynamic child for "[name]", checking one name per level. */
static struct node *param_child(struct eider_router *r, struct node *n, const char *name,
                                const char *where)
{
    if (n->param == NULL)
        n->param = node_new(name);
    else if (strcmp(n->param->name, name) != 0) {
        snprintf(r->err, r->errlen, "%s: [%s] and [%s] are different parameter names at the "
                 "same level; rename one", where, n->param->name, name);
        return NULL;
    }
    return n->param;
}

static int set_handler(struct eider_router *r, struct node *n, const char *file,
                       const char *pattern)
{
    if (n->handler >= 0) {
        snprintf(r->err, r->errlen, "%s and %s both answer %s; remove one",
                 r->files[n->handler], file, pattern);
        return -1;
    }
    r->files = eider_realloc(r->files, (r->nfiles + 1) * sizeof(char *));
    r->patterns = eider_realloc(r->patterns, (r->nfiles + 1) * sizeof(char *));
    r->files[r->nfiles] = eider_strdup(file);
    r->patterns[r->nfiles] = eider_strdup(pattern[0] ? pattern : "/");
    n->handler = (int)r->nfiles++;
    return 0;
}

/* A handler file: NAME.js, or NAME.ts but not a declaration file NAME.d.ts,
 * nor a test NAME.test.js or NAME.test.ts (eider test runs those). */
static int is_handler_file(const char *name, size_t len)
{
    if (len <= 3 || (len > 8 && strncmp(name + len - 8, ".test.", 6) == 0))
        return 0;
    if (strcmp(name + len - 3, ".js") == 0)
        return 1;
    return strcmp(name + len - 3, ".ts") == 0 && !(len > 5 && strcmp(name + len - 5, ".d.ts") == 0);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directories being scanned, innermost first: a symlink back to one
 * of them would make the walk endless. */
struct ancestry {
    dev_t dev;
    ino_t ino;
    const struct ancestry *up;
};

static int in_ancestry(const struct ancestry *a, const struct stat *st)
{
    for (; a != NULL; a = a->up)
        if (a->dev == st->st_dev && a->ino == st->st_ino)
            return 1;
    return 0;
}

/* The names in D that can route (not "_private", ".hidden", node_modules
 * or tests, where eider test finds the *.test.js files), sorted so that handler numbers are stable; *N gets
 * their count. The caller frees each and the array. */
static char **routable_names(DIR *d, size_t *n)
{
    struct dirent *de;
    char **names = NULL;

    *n = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '_' || de->d_name[0] == '.' || strcmp(de->d_name, "node_modules") == 0
            || strcmp(de->d_name, "tests") == 0)
            continue;
        names = eider_realloc(names, (*n + 1) * sizeof(char *));
        names[(*n)++] = eider_strdup(de->d_name);
    }
    if (*n > 1)   /* qsort(NULL, 0, ...) is undefined behaviour */
        qsort(names, *n, sizeof(char *), name_cmp);
    return names;
}

static int scan(struct eider_router *r, struct node *n, const char *dir, const char *pattern,
                const struct ancestry *up);

/* The directory PATH (named NAME, ST its stat) under node N, whose route
 * prefix is PATTERN; HERE is N's own directory and those above it.
 * Returns 0, or -1 with r->err set. */
static int add_directory(struct eider_router *r, struct node *n, const char *path, const char *name,
                         const char *pattern, const struct stat *st, const struct ancestry *here)
{
    char sub[4096];
    int rest, rc = -1;
    char *param = bracket_name(name, strlen(name), &rest);

    if (param && rest) {
        snprintf(r->err, r->errlen, "%s: a catch-all [...%s] must be a file, not a directory",
                 path, param);
    } else if (in_ancestry(here, st)) {
        snprintf(r->err, r->errlen, "%s: a symbolic link back to a directory above it; "
                 "remove it or prefix its name with _", path);
    } else {
        struct node *child = param ? param_child(r, n, param, path) : static_child(n, name);
        snprintf(sub, sizeof(sub), "%s/%s", pattern, name);
        rc = child ? scan(r, child, path, sub, here) : -1;
    }
    free(param);
    return rc;
}

/* The handler file PATH (named NAME, LEN bytes without its ".js"/".ts")
 * under node N, whose route prefix is PATTERN: index, [param], [...rest]
 * or a plain name. Returns 0, or -1 with r->err set. */
static int add_file(struct eider_router *r, struct node *n, const char *path, const char *name,
                    size_t len, const char *pattern)
{
    char sub[4096];
    int rest, rc = 0;
    char *param = bracket_name(name, len, &rest);

    snprintf(sub, sizeof(sub), "%s/%.*s", pattern, (int)len, name);
    if (param && rest) {
        if (n->rest == NULL)
            n->rest = node_new(param);
        else {
            snprintf(r->err, r->errlen, "%s: a second catch-all in one directory", path);
            rc = -1;
        }
        rc = rc ? rc : set_handler(r, n->rest, path, sub);
    } else if (param) {
        struct node *child = param_child(r, n, param, path);
        rc = child ? set_handler(r, child, path, sub) : -1;
    } else if (len == 5 && strncmp(name, "index", 5) == 0) {
        rc = set_handler(r, n, path, pattern);
    } else {
        char *base = eider_strndup(name, len);
        rc = set_handler(r, static_child(n, base), path, sub);
        free(base);
    }
    free(param);
    return rc;
}

/* Adds DIR (whose route prefix is PATTERN) under node N; UP is the chain
 * of directories above, to refuse a symbolic link back into it. Returns
 * 0, or -1 with r->err set. */
static int scan(struct eider_router *r, struct node *n, const char *dir, const char *pattern,
                const struct ancestry *up)
{
    struct stat dst;
    struct ancestry here;
    DIR *d = opendir(dir);
    char **names;
    size_t nnames;
    int rc = 0;

    if (d == NULL || fstat(dirfd(d), &dst) < 0) {
        snprintf(r->err, r->errlen, "cannot open handlers directory %s: %s", dir, strerror(errno));
        if (d)
            closedir(d);
        return -1;
    }
    here = (struct ancestry){ dst.st_dev, dst.st_ino, up };
    names = routable_names(d, &nnames);
    closedir(d);
    for (size_t i = 0; rc == 0 && i < nnames; i++) {
        size_t len = strlen(names[i]);
        char path[4096];
        struct stat st;

        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        if (stat(path, &st) < 0)
            continue;   /* a dangling symlink routes nothing */
        if (S_ISDIR(st.st_mode))
            rc = add_directory(r, n, path, names[i], pattern, &st, &here);
        else if (S_ISREG(st.st_mode) && is_handler_file(names[i], len))
            rc = add_file(r, n, path, names[i], len - 3, pattern);
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    return rc;
}

struct eider_router *eider_router_build(const char *root, char *err, size_t errlen)
{
    struct eider_router *r = eider_calloc(1, sizeof(*r));

    r->root = node_new("");
    r->err = err;
    r->errlen = errlen;
    if (scan(r, r->root, root, "", NULL) < 0) {
        eider_router_free(r);
        return NULL;
    }
    r->err = NULL;
    return r;
}

void eider_router_free(struct eider_router *r)
{
    if (r == NULL)
        return;
    node_free(r->root);
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i]);
        free(r->patterns[i]);
    }
    free(r->files);
    free(r->patterns);
    free(r);
}

size_t eider_router_count(const struct eider_router *r)
{
    return r->nfiles;
}

const char *eider_router_file(const struct eider_router *r, size_t i)
{
    return r->files[i];
}

const char *eider_router_pattern(const struct eider_router *r, size_t i)
{
    return r->patterns[i];
}

struct segments {
    const char *seg[EIDER_MAX_SEGMENTS];
    size_t len[EIDER_MAX_SEGMENTS];
    const char *raw_end[EIDER_MAX_SEGMENTS];   /* for catch-all values */
    int n;
};

/* Depth-first match of segments[i..] below N; fills params on success. */
static int match_from(const struct node *n, const struct segments *s, int i,
                      struct eider_match *m)
{
    int saved = m->nparams;

    if (i == s->n)
        return n->handler;
    for (size_t k = 0; k < n->nkids; k++) {
        const struct node *kid = n->kids[k];
        if (kid->nlen == s->len[i] && memcmp(kid->name, s->seg[i], s->len[i]) == 0) {
            int h = match_from(kid, s, i + 1, m);
            if (h >= 0)
                return h;
            break;
        }
    }
    if (n->param != NULL && m->nparams < EIDER_MAX_PARAMS) {
        m->params[m->nparams++] = (struct eider_param){ n->param->name, s->seg[i], s->len[i] };
        int h = match_from(n->param, s, i + 1, m);
        if (h >= 0)
            return h;
        m->nparams = saved;
    }
    if (n->rest != NULL && n->rest->handler >= 0 && m->nparams < EIDER_MAX_PARAMS) {
        /* The rest value spans the decoded segments i..n-1 joined by "/":
         * they sit next to each other in buf, separated by NULs. */
        char *start = (char *)s->seg[i];
        size_t total = 0;
        for (int k = i; k < s->n; k++) {
            if (k > i)
                start[total++] = '/';
            total += s->len[k];
        }
        m->params[m->nparams++] = (struct eider_param){ n->rest->name, start, total };
        return n->rest->handler;
    }
    return -1;
}

int eider_router_match(const struct eider_router *r, const char *path, size_t len,
                       struct eider_match *m)
{
    struct segments s;
    const char *p = path, *end = path + len;
    char *out;

    m->handler = -1;
    m->nparams = 0;
    m->buf = NULL;
    s.n = 0;
    if (len > 0) {
        m->buf = len < sizeof(m->small) ? m->small : eider_malloc(len + 1);
        out = m->buf;
        while (p < end) {
            const char *slash = memchr(p, '/', (size_t)(end - p));
            const char *seg_end = slash ? slash : end;
            if (seg_end > p) {
                size_t dlen;
                if (s.n == EIDER_MAX_SEGMENTS)
                    return -1;
                dlen = eider_url_decode(p, (size_t)(seg_end - p), out, 0);
                /* A segment that decodes to "..", "." or holds "/" or NUL
                 * would let a URL name something the tree does not. */
                if ((dlen == 1 && out[0] == '.') || (dlen == 2 && out[0] == '.' && out[1] == '.')
                    || memchr(out, '/', dlen) || memchr(out, '\0', dlen))
                    return -1;
                s.seg[s.n] = out;
                s.len[s.n++] = dlen;
                out += dlen + 1;
            }
            p = seg_end + (slash ? 1 : 0);
        }
    }
    m->handler = match_from(r->root, &s, 0, m);
    return m->handler;
}

void eider_match_clear(struct eider_match *m)
{
    if (m->buf != m->small)
        free(m->buf);
    m->buf = NULL;
}
