/*
 * Unit tests for framework/router.c: each test lays out a handlers tree
 * in a fresh /tmp directory, builds a router on it and matches paths.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "unit.h"
#include "router.h"

static char err[1024];

/* Creates FILES (NULL-terminated; a name ending in "/" is a directory)
 * under a new temp dir stored in *DIRP, and builds a router on it. */
static struct eider_router *tree(char **dirp, const char *const *files)
{
    char *dir = unit_tmpdir();

    for (size_t i = 0; files[i] != NULL; i++) {
        size_t len = strlen(files[i]);
        if (len > 0 && files[i][len - 1] == '/')
            unit_mkdirs(dir, files[i], 0);
        else
            unit_write(dir, files[i], "exports.GET = function (req, res) { res.end(); };\n");
    }
    *dirp = dir;
    err[0] = '\0';
    return eider_router_build(dir, err, sizeof(err));
}

#define FILES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The pattern of the handler PATH routes to, or "-" when none. */
static const char *route(const struct eider_router *r, const char *path)
{
    static char out[256];
    struct eider_match m;
    int h = eider_router_match(r, path, strlen(path), &m);

    if (h != m.handler)
        snprintf(out, sizeof(out), "(return %d but m.handler %d)", h, m.handler);
    else if (h < 0)
        snprintf(out, sizeof(out), "-");
    else
        snprintf(out, sizeof(out), "%s", eider_router_pattern(r, (size_t)h));
    eider_match_clear(&m);
    return out;
}

/* The value of parameter NAME in M (NUL-terminated), or NULL. */
static const char *param(const struct eider_match *m, const char *name)
{
    for (int i = 0; i < m->nparams; i++)
        if (strcmp(m->params[i].name, name) == 0) {
            if (m->params[i].value[m->params[i].len] != '\0')
                return "(not NUL-terminated)";
            return m->params[i].value;
        }
    return NULL;
}

static int match(const struct eider_router *r, const char *path, struct eider_match *m)
{
    return eider_router_match(r, path, strlen(path), m);
}

/* --- the tree table: a handlers tree and what paths route to --- */

/* A parameter PATH's match must carry; VALUE NULL: it must be absent. */
struct param_want {
    const char *name, *value;
};

/* What one path routes to. */
struct path_want {
    const char *path;
    size_t len;                  /* bytes of PATH to match; 0: strlen(PATH) */
    const char *pattern;         /* the handler's pattern, "-" for none */
    int nparams;                 /* how many params, -1: not checked */
    /* Each present parameter is also m.params[i] in this order, with
     * its length; the list ends at the first NULL name. */
    struct param_want params[3];
};

struct tree_case {
    const char *name;
    const char *const *files;    /* as for tree() */
    int count;                   /* handlers, -1: not checked */
    const char *hidden[4];       /* no handler's file path contains these */
    struct path_want paths[16];  /* ends at the first NULL path */
};

#define ROUTE(path, pattern) { (path), 0, (pattern), -1, { { NULL, NULL } } }
#define PARAMS(path, pattern, n, ...) { (path), 0, (pattern), (n), { __VA_ARGS__ } }

static const struct tree_case trees[] = {
    { "root_index", FILES("index.js"), 1, { NULL }, {
        PARAMS("/", "/", 0),
        ROUTE("", "/"),
        ROUTE("/x", "-") } },
    { "empty_root_matches_nothing", FILES("empty/"), 0, { NULL }, {
        ROUTE("/", "-"),
        ROUTE("/empty", "-") } },
    { "static_files_and_index",
      FILES("index.js", "users.js", "about/index.js", "a/b/c.js", "a/b/index.js"), 5, { NULL }, {
        ROUTE("/users", "/users"),
        ROUTE("/about", "/about"),
        ROUTE("/a/b/c", "/a/b/c"),
        ROUTE("/a/b", "/a/b"),
        ROUTE("/a", "-"),                       /* a dir without index */
        ROUTE("/users.js", "-"),
        ROUTE("/about/index", "-"),
        ROUTE("/Users", "-"),                   /* case-sensitive */
        ROUTE("/a/b/c/d", "-"),
        ROUTE("/%75sers", "/users") } },        /* segments are decoded first */
    { "trailing_and_double_slashes", FILES("index.js", "users.js", "a/b.js"), -1, { NULL }, {
        ROUTE("/users/", "/users"),
        ROUTE("//users", "/users"),
        ROUTE("/users//", "/users"),
        ROUTE("/a//b", "/a/b"),
        ROUTE("///a///b///", "/a/b"),
        ROUTE("//", "/"),
        ROUTE("///", "/") } },
    { "param_basic", FILES("users/[id].js"), -1, { NULL }, {
        PARAMS("/users/42", "/users/[id]", 1, { "id", "42" }),
        ROUTE("/users/42/", "/users/[id]"),
        ROUTE("/users", "-"),                   /* a param needs a segment */
        ROUTE("/users/", "-"),
        ROUTE("/users/42/x", "-") } },
    { "param_decoding", FILES("users/[id].js"), -1, { NULL }, {
        PARAMS("/users/a%20b", "/users/[id]", -1, { "id", "a b" }),
        PARAMS("/users/a+b", "/users/[id]", -1, { "id", "a+b" }),   /* + is not a space in paths */
        PARAMS("/users/%C3%A9t%C3%A9", "/users/[id]", -1, { "id", "\xc3\xa9t\xc3\xa9" }),
        PARAMS("/users/100%25", "/users/[id]", -1, { "id", "100%" }),
        PARAMS("/users/%zz%4", "/users/[id]", -1, { "id", "%zz%4" }),   /* malformed kept */
        PARAMS("/users/..a", "/users/[id]", -1, { "id", "..a" }) } },  /* only ".." is refused */
    { "param_in_directories", FILES("users/[id]/posts/[pid].js", "users/[id]/index.js"), -1,
      { NULL }, {
        PARAMS("/users/7/posts/x%2By", "/users/[id]/posts/[pid]", 2, { "id", "7" }, { "pid", "x+y" }),
        ROUTE("/users/7/posts/9", "/users/[id]/posts/[pid]"),
        ROUTE("/users/7", "/users/[id]"),
        ROUTE("/users/7/posts", "-") } },
    { "static_beats_param", FILES("users/new.js", "users/[id].js"), -1, { NULL }, {
        PARAMS("/users/new", "/users/new", 0),
        ROUTE("/users/old", "/users/[id]"),
        ROUTE("/users/%6eew", "/users/new") } },   /* decoded "new" */
    { "param_beats_rest", FILES("files/[id].js", "files/[...rest].js", "files/top.js"), -1,
      { NULL }, {
        ROUTE("/files/top", "/files/top"),
        ROUTE("/files/x", "/files/[id]"),
        PARAMS("/files/x/y", "/files/[...rest]", 1, { "rest", "x/y" }, { "id", NULL }),  /* [id] was popped */
        ROUTE("/files/top/y", "/files/[...rest]") } },
    { "backtrack_static_to_param", FILES("users/new.js", "users/[id]/edit.js"), -1, { NULL }, {
        ROUTE("/users/new", "/users/new"),
        PARAMS("/users/new/edit", "/users/[id]/edit", -1, { "id", "new" }),
        ROUTE("/users/new/other", "-") } },
    /* "lib/" holds only private files, so /lib is not a route and the
     * [id] sibling must still get it. */
    { "backtrack_empty_static_dir_to_param", FILES("lib/_x.js", "[id].js"), -1, { NULL }, {
        PARAMS("/lib", "/[id]", -1, { "id", "lib" }) } },
    { "backtrack_param_to_rest", FILES("docs/[section]/intro.js", "docs/[...path].js"), -1,
      { NULL }, {
        PARAMS("/docs/guide/intro", "/docs/[section]/intro", 1, { "section", "guide" }),
        PARAMS("/docs/guide/other", "/docs/[...path]", 1, { "path", "guide/other" }),
        ROUTE("/docs/guide", "/docs/[...path]") } },
    { "backtrack_deep_static_to_root_rest", FILES("a/b/c.js", "[...all].js"), -1, { NULL }, {
        ROUTE("/a/b/c", "/a/b/c"),
        PARAMS("/a/b/x", "/[...all]", -1, { "all", "a/b/x" }),
        ROUTE("/a/b", "/[...all]"),
        ROUTE("/", "-") } },                    /* needs one segment */
    { "rest_joined", FILES("files/[...rest].js"), -1, { NULL }, {
        PARAMS("/files/a/b/c", "/files/[...rest]", 1, { "rest", "a/b/c" }),
        PARAMS("/files/one", "/files/[...rest]", -1, { "rest", "one" }),
        /* Decoded, empty segments dropped. */
        PARAMS("/files/a%20x//b/", "/files/[...rest]", -1, { "rest", "a x/b" }) } },
    { "rest_needs_a_segment", FILES("files/[...rest].js", "other/[...rest].js", "other/index.js"),
      -1, { NULL }, {
        ROUTE("/files", "-"),
        ROUTE("/files/", "-"),
        ROUTE("/files//", "-"),
        ROUTE("/other", "/other"),
        ROUTE("/other/", "/other"),
        ROUTE("/other/x", "/other/[...rest]") } },
    { "rest_after_param", FILES("u/[id]/[...rest].js"), -1, { NULL }, {
        /* Joining rest leaves id intact. */
        PARAMS("/u/42/a/b", "/u/[id]/[...rest]", 2, { "id", "42" }, { "rest", "a/b" }),
        ROUTE("/u/42", "-") } },
    { "private_hidden_node_modules_not_routed",
      FILES("index.js", "_lib/db.js", "_private.js", ".hidden.js", ".git/config.js",
            "node_modules/pkg/index.js", "api/_helper.js", "api/ok.js",
            "api/node_modules/x.js", "api/.env.js", "_dir/[id].js"),
      2, { "/_", "node_modules", "/." }, {      /* index.js and api/ok.js */
        ROUTE("/_lib/db", "-"),
        ROUTE("/_private", "-"),
        ROUTE("/.hidden", "-"),
        ROUTE("/.git/config", "-"),
        ROUTE("/node_modules/pkg", "-"),
        ROUTE("/api/_helper", "-"),
        ROUTE("/api/node_modules/x", "-"),
        ROUTE("/api/.env", "-"),
        ROUTE("/_dir/1", "-"),
        ROUTE("/api/ok", "/api/ok") } },
    { "non_js_files_ignored",
      FILES("README.md", "data.json", "x.JS", "script.jsx", "ok.js", "dir.js/", "js"), 1,
      { NULL }, {
        ROUTE("/ok", "/ok"),
        ROUTE("/README", "-"),
        ROUTE("/x", "-"),
        ROUTE("/js", "-") } },
    /* Same param name in file and dir, different names in different
     * dirs, a file beside a dir of the same name without index. */
    { "no_conflict_cases",
      FILES("u/[id].js", "u/[id]/edit.js", "a/[x].js", "b/[y].js", "users.js", "users/[id].js"),
      6, { NULL }, {
        ROUTE("/u/1", "/u/[id]"),
        ROUTE("/u/1/edit", "/u/[id]/edit"),
        ROUTE("/users", "/users"),
        ROUTE("/users/1", "/users/[id]"),
        ROUTE("/b/1", "/b/[y]") } },
    { "dot_segments_refused", FILES("[...all].js", "users/[id].js", "a/x.js"), -1, { NULL }, {
        /* Sanity: the catch-all takes anything else. */
        ROUTE("/b/c", "/[...all]"),
        ROUTE("/..a", "/[...all]"),
        ROUTE("/.a", "/[...all]"),
        ROUTE("/..", "-"),
        ROUTE("/.", "-"),
        ROUTE("/a/../x", "-"),
        ROUTE("/%2e%2e", "-"),
        ROUTE("/%2E%2E", "-"),
        ROUTE("/%2e.", "-"),
        ROUTE("/.%2e/x", "-"),
        ROUTE("/%2e", "-"),
        ROUTE("/a/%2e%2e/a/x", "-"),
        ROUTE("/users/%2e%2e", "-"),
        ROUTE("/users/..", "-") } },
    { "encoded_slash_and_nul_refused", FILES("[...all].js", "users/[id].js"), -1, { NULL }, {
        ROUTE("/a%2Fb", "-"),
        ROUTE("/a%2fb", "-"),
        ROUTE("/users/1%2F2", "-"),
        ROUTE("/users/%2F", "-"),
        ROUTE("/a%00b", "-"),
        ROUTE("/users/%00", "-"),
        ROUTE("/x/%2e%2e%2Fetc", "-"),
        PARAMS("/users/a%2Fb", "-", 0),         /* a refused path leaves no params behind */
        { "/users/a\0b", 10, "-", -1, { { NULL, NULL } } } } },   /* a raw NUL inside LEN */
};

/* Checks what W->path routes to in R (the pattern, m.handler agreeing
 * with the return value, the params); every failure names the path. */
static void check_path(const struct eider_router *r, const struct path_want *w)
{
    struct eider_match m;
    size_t len = w->len ? w->len : strlen(w->path);
    int h = eider_router_match(r, w->path, len, &m);
    const char *got = h < 0 ? "-" : eider_router_pattern(r, (size_t)h);
    int k = 0;

    CHECKF(h == m.handler, "%s: returned %d but m.handler is %d", w->path, h, m.handler);
    CHECKF(strcmp(got, w->pattern) == 0, "%s routes to %s, expected %s", w->path, got, w->pattern);
    if (w->nparams >= 0)
        CHECKF(m.nparams == w->nparams, "%s: %d params, expected %d",
               w->path, m.nparams, w->nparams);
    for (size_t i = 0; i < 3 && w->params[i].name != NULL; i++) {
        const struct param_want *p = &w->params[i];
        const char *v = param(&m, p->name);

        if (p->value == NULL) {
            CHECKF(v == NULL, "%s: param %s is \"%s\", expected none", w->path, p->name, v);
            continue;
        }
        CHECKF(v != NULL && strcmp(v, p->value) == 0, "%s: param %s is \"%s\", expected \"%s\"",
               w->path, p->name, v ? v : "(none)", p->value);
        CHECKF(k < m.nparams && strcmp(m.params[k].name, p->name) == 0
               && m.params[k].len == strlen(p->value),
               "%s: params[%d] is not %s of %zu bytes", w->path, k, p->name, strlen(p->value));
        k++;
    }
    eider_match_clear(&m);
}

/* Each row of trees[] is a case: builds its tree, checks it. */
TEST(tree_table)
{
    for (size_t t = 0; t < sizeof(trees) / sizeof(trees[0]); t++) {
        const struct tree_case *c = &trees[t];
        char *dir;
        struct eider_router *r = tree(&dir, c->files);

        CHECKF(r != NULL, "%s: the build failed: %s", c->name, err);
        if (r && c->count >= 0)
            CHECKF((int)eider_router_count(r) == c->count, "%s: %zu handlers, expected %d",
                   c->name, eider_router_count(r), c->count);
        for (size_t i = 0; r && i < 16 && c->paths[i].path != NULL; i++)
            check_path(r, &c->paths[i]);
        for (size_t i = 0; r && i < eider_router_count(r); i++)
            for (size_t j = 0; j < 4 && c->hidden[j] != NULL; j++)
                CHECKF(strstr(eider_router_file(r, i), c->hidden[j]) == NULL,
                       "%s: handler %s is routed", c->name, eider_router_file(r, i));
        eider_router_free(r);
        unit_rmtree(dir);
        unit_report(c->name);
    }
}

/* --- the conflict table: trees the build refuses --- */

struct conflict_case {
    const char *name;
    const char *const *files;    /* as for tree() */
    const char *needles[3];      /* the error names these (it is never empty) */
};

static const struct conflict_case conflicts[] = {
    { "conflict_file_and_index", FILES("users.js", "users/index.js"),
      { "users.js", "users/index.js", "/users" } },
    { "conflict_param_file_and_param_index", FILES("u/[id].js", "u/[id]/index.js"),
      { "[id].js", "[id]/index.js" } },
    { "conflict_param_names", FILES("u/[id].js", "u/[slug].js"), { "[id]", "[slug]" } },
    /* A [param] directory and a differently named [param] file. */
    { "conflict_param_dir_and_param_file", FILES("u/[id]/x.js", "u/[slug].js"),
      { "[id]", "[slug]" } },
    { "conflict_two_param_dirs", FILES("u/[a]/x.js", "u/[b]/y.js"), { "[a]", "[b]" } },
    { "conflict_two_catch_alls", FILES("f/[...a].js", "f/[...b].js"), { NULL } },
    { "catch_all_directory_refused", FILES("f/[...rest]/index.js"), { "[...rest]" } },
};

/* Each row of conflicts[] is a case: its build fails, saying why. */
TEST(conflict_table)
{
    for (size_t t = 0; t < sizeof(conflicts) / sizeof(conflicts[0]); t++) {
        const struct conflict_case *c = &conflicts[t];
        char *dir;
        struct eider_router *r = tree(&dir, c->files);

        CHECKF(r == NULL, "%s: the build succeeded", c->name);
        CHECKF(err[0] != '\0', "%s: no error message", c->name);
        for (size_t i = 0; i < 3 && c->needles[i] != NULL; i++)
            CHECKF(strstr(err, c->needles[i]) != NULL, "%s: the error \"%s\" does not name %s",
                   c->name, err, c->needles[i]);
        eider_router_free(r);
        unit_rmtree(dir);
        unit_report(c->name);
    }
}

/* --- what the tables cannot say --- */

TEST(empty_path_has_no_buffer)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("index.js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        /* An empty path has no segments: no buffer to free. */
        CHECK_INT(eider_router_match(r, "", 0, &m), 0);
        CHECK(m.buf == NULL);
        eider_match_clear(&m);
        eider_match_clear(&m);   /* clearing twice is harmless */
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(files_and_patterns)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("index.js", "users/[id].js", "users/index.js",
                                              "files/[...rest].js"));
    char want[4200];

    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 4);
        for (size_t i = 0; i < eider_router_count(r); i++) {
            /* Every file is an absolute path under the root, and each
             * pattern round-trips to its own handler. */
            const char *f = eider_router_file(r, i);
            CHECK(strncmp(f, dir, strlen(dir)) == 0 && f[strlen(dir)] == '/');
        }
        struct eider_match m;
        int h = match(r, "/users/7", &m);
        CHECK(h >= 0);
        if (h >= 0) {
            snprintf(want, sizeof(want), "%s/users/[id].js", dir);
            CHECK_STR(eider_router_file(r, (size_t)h), want);
            CHECK_STR(eider_router_pattern(r, (size_t)h), "/users/[id]");
        }
        eider_match_clear(&m);
        h = match(r, "/users", &m);
        if (h >= 0) {
            snprintf(want, sizeof(want), "%s/users/index.js", dir);
            CHECK_STR(eider_router_file(r, (size_t)h), want);
        }
        eider_match_clear(&m);
        CHECK_STR(route(r, "/files/x"), "/files/[...rest]");
        CHECK_STR(route(r, "/"), "/");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(handler_numbers_are_stable)
{
    /* Two builds of one tree number the handlers the same way. */
    char *dir;
    struct eider_router *r = tree(&dir, FILES("z.js", "a.js", "m/index.js", "m/[id].js", "b.js"));
    struct eider_router *r2 = eider_router_build(dir, err, sizeof(err));

    CHECK(r != NULL && r2 != NULL);
    if (r && r2) {
        CHECK_INT(eider_router_count(r), eider_router_count(r2));
        for (size_t i = 0; i < eider_router_count(r) && i < eider_router_count(r2); i++)
            CHECK_STR(eider_router_file(r, i), eider_router_file(r2, i));
    }
    eider_router_free(r);
    eider_router_free(r2);
    unit_rmtree(dir);
}

TEST(dangling_symlink_ignored)
{
    char *dir;
    struct eider_router *r;
    char link[4200], target[4200];

    dir = unit_tmpdir();
    unit_write(dir, "ok.js", "");
    unit_write(dir, "real/t.js", "");
    snprintf(link, sizeof(link), "%s/gone.js", dir);
    CHECK(symlink("/nonexistent/eider-unit/x.js", link) == 0);
    snprintf(link, sizeof(link), "%s/alias.js", dir);
    snprintf(target, sizeof(target), "%s/real/t.js", dir);
    CHECK(symlink(target, link) == 0);
    r = eider_router_build(dir, err, sizeof(err));
    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 3);
        CHECK_STR(route(r, "/gone"), "-");
        CHECK_STR(route(r, "/alias"), "/alias");     /* a link to a file routes */
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

/* Builds a router on DIR in a child process; returns 1 if it finished
 * within SECONDS, 0 if it had to be killed. */
static int builds_within(const char *dir, int seconds)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        char e[256];
        struct eider_router *r = eider_router_build(dir, e, sizeof(e));
        eider_router_free(r);
        _exit(0);
    }
    for (int i = 0; i < seconds * 20; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status);
        nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 0;
}

TEST(symlink_loop)
{
    /* A link back to an ancestor directory must not be walked again:
     * either the build refuses it or the loop adds no routes. */
    char *dir = unit_tmpdir();
    char link[4200];
    struct eider_router *r;

    unit_write(dir, "x.js", "");
    snprintf(link, sizeof(link), "%s/loop", dir);
    CHECK(symlink(".", link) == 0);
    err[0] = '\0';
    r = eider_router_build(dir, err, sizeof(err));
    if (r != NULL) {
        CHECK_STR(route(r, "/x"), "/x");
        CHECK_STR(route(r, "/loop/loop/x"), "-");
        CHECK_INT(eider_router_count(r), 1);
    }
    eider_router_free(r);

    /* Two such links: the walk must still end (it is 2^40 scans now). */
    snprintf(link, sizeof(link), "%s/again", dir);
    CHECK(symlink(".", link) == 0);
    CHECK(builds_within(dir, 3));
    unit_rmtree(dir);
}

TEST(build_errors)
{
    struct eider_router *r;
    char *dir = unit_tmpdir();
    char path[4200];

    snprintf(path, sizeof(path), "%s/missing", dir);
    err[0] = '\0';
    r = eider_router_build(path, err, sizeof(err));
    CHECK(r == NULL);
    CHECK_CONTAINS(err, path);
    eider_router_free(r);

    unit_write(dir, "file.js", "");
    snprintf(path, sizeof(path), "%s/file.js", dir);
    err[0] = '\0';
    r = eider_router_build(path, err, sizeof(err));
    CHECK(r == NULL);
    CHECK(err[0] != '\0');
    eider_router_free(r);

    /* A short error buffer is not overrun (valgrind checks). */
    {
        char small[8];
        r = eider_router_build("/nonexistent/eider-unit", small, sizeof(small));
        CHECK(r == NULL);
        CHECK(strlen(small) < sizeof(small));
        eider_router_free(r);
    }
    unit_rmtree(dir);
}

TEST(max_segments)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("[...all].js"));
    char path[EIDER_MAX_SEGMENTS * 4 + 16];
    struct eider_match m;
    size_t n = 0;

    CHECK(r != NULL);
    if (r) {
        for (int i = 0; i < EIDER_MAX_SEGMENTS; i++)
            n += (size_t)snprintf(path + n, sizeof(path) - n, "/a");
        CHECK(match(r, path, &m) >= 0);
        CHECK_INT(m.params[0].len, EIDER_MAX_SEGMENTS * 2 - 1);
        eider_match_clear(&m);

        /* Empty segments do not count. */
        snprintf(path + n, sizeof(path) - n, "//");
        CHECK(match(r, path, &m) >= 0);
        eider_match_clear(&m);

        snprintf(path + n, sizeof(path) - n, "/a");
        CHECK_INT(match(r, path, &m), -1);              /* one too many */
        CHECK_INT(m.handler, -1);
        eider_match_clear(&m);
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(max_params)
{
    /* EIDER_MAX_PARAMS nested params match; one more level cannot. */
    char *dir = unit_tmpdir();
    char rel[1024], path[256];
    struct eider_router *r;
    struct eider_match m;
    size_t n = 0, pn = 0;

    for (int i = 0; i < EIDER_MAX_PARAMS; i++) {
        n += (size_t)snprintf(rel + n, sizeof(rel) - n, "%s[p%d]", i ? "/" : "", i);
        pn += (size_t)snprintf(path + pn, sizeof(path) - pn, "/v%d", i);
    }
    snprintf(rel + n, sizeof(rel) - n, "/index.js");
    unit_write(dir, rel, "");
    snprintf(rel + n, sizeof(rel) - n, "/[p%d].js", EIDER_MAX_PARAMS);
    unit_write(dir, rel, "");
    r = eider_router_build(dir, err, sizeof(err));
    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, path, &m) >= 0);
        CHECK_INT(m.nparams, EIDER_MAX_PARAMS);
        CHECK_STR(param(&m, "p0"), "v0");
        CHECK_STR(param(&m, "p15"), "v15");
        eider_match_clear(&m);

        snprintf(path + pn, sizeof(path) - pn, "/extra");
        CHECK_INT(match(r, path, &m), -1);
        CHECK(m.nparams <= EIDER_MAX_PARAMS);
        eider_match_clear(&m);
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(match_reuse_same_struct)
{
    /* One eider_match reused across calls (cleared in between) starts
     * fresh each time. */
    char *dir;
    struct eider_router *r = tree(&dir, FILES("a/[x]/[y].js", "b.js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/a/1/2", &m) >= 0);
        CHECK_INT(m.nparams, 2);
        eider_match_clear(&m);
        CHECK(match(r, "/b", &m) >= 0);
        CHECK_INT(m.nparams, 0);
        eider_match_clear(&m);
        CHECK_INT(match(r, "/zzz", &m), -1);
        CHECK_INT(m.nparams, 0);
        eider_match_clear(&m);
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

UNIT_MAIN(tree_table, conflict_table, empty_path_has_no_buffer, files_and_patterns,
          handler_numbers_are_stable, dangling_symlink_ignored, symlink_loop, build_errors,
          max_segments, max_params, match_reuse_same_struct)
