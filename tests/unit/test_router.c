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

TEST(root_index)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("index.js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 1);
        CHECK_STR(route(r, "/"), "/");
        CHECK_STR(route(r, ""), "/");
        CHECK_STR(route(r, "/x"), "-");
        CHECK_INT(match(r, "/", &m), 0);
        CHECK_INT(m.nparams, 0);
        eider_match_clear(&m);
        /* An empty path has no segments: no buffer to free. */
        CHECK_INT(eider_router_match(r, "", 0, &m), 0);
        CHECK(m.buf == NULL);
        eider_match_clear(&m);
        eider_match_clear(&m);   /* clearing twice is harmless */
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(empty_root_matches_nothing)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("empty/"));

    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 0);
        CHECK_STR(route(r, "/"), "-");
        CHECK_STR(route(r, "/empty"), "-");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(static_files_and_index)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("index.js", "users.js", "about/index.js",
                                              "a/b/c.js", "a/b/index.js"));

    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 5);
        CHECK_STR(route(r, "/users"), "/users");
        CHECK_STR(route(r, "/about"), "/about");
        CHECK_STR(route(r, "/a/b/c"), "/a/b/c");
        CHECK_STR(route(r, "/a/b"), "/a/b");
        CHECK_STR(route(r, "/a"), "-");          /* a dir without index */
        CHECK_STR(route(r, "/users.js"), "-");
        CHECK_STR(route(r, "/about/index"), "-");
        CHECK_STR(route(r, "/Users"), "-");      /* case-sensitive */
        CHECK_STR(route(r, "/a/b/c/d"), "-");
        CHECK_STR(route(r, "/%75sers"), "/users"); /* segments are decoded first */
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(trailing_and_double_slashes)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("index.js", "users.js", "a/b.js"));

    CHECK(r != NULL);
    if (r) {
        CHECK_STR(route(r, "/users/"), "/users");
        CHECK_STR(route(r, "//users"), "/users");
        CHECK_STR(route(r, "/users//"), "/users");
        CHECK_STR(route(r, "/a//b"), "/a/b");
        CHECK_STR(route(r, "///a///b///"), "/a/b");
        CHECK_STR(route(r, "//"), "/");
        CHECK_STR(route(r, "///"), "/");
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

TEST(param_basic)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("users/[id].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/users/42", &m) >= 0);
        CHECK_INT(m.nparams, 1);
        CHECK_STR(m.params[0].name, "id");
        CHECK_MEM(m.params[0].value, m.params[0].len, "42");
        CHECK_STR(param(&m, "id"), "42");
        eider_match_clear(&m);
        CHECK_STR(route(r, "/users/42"), "/users/[id]");
        CHECK_STR(route(r, "/users/42/"), "/users/[id]");
        CHECK_STR(route(r, "/users"), "-");          /* a param needs a segment */
        CHECK_STR(route(r, "/users/"), "-");
        CHECK_STR(route(r, "/users/42/x"), "-");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(param_decoding)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("users/[id].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/users/a%20b", &m) >= 0);
        CHECK_STR(param(&m, "id"), "a b");
        CHECK_INT(m.params[0].len, 3);
        eider_match_clear(&m);

        CHECK(match(r, "/users/a+b", &m) >= 0);         /* + is not a space in paths */
        CHECK_STR(param(&m, "id"), "a+b");
        eider_match_clear(&m);

        CHECK(match(r, "/users/%C3%A9t%C3%A9", &m) >= 0);
        CHECK_STR(param(&m, "id"), "\xc3\xa9t\xc3\xa9");
        eider_match_clear(&m);

        CHECK(match(r, "/users/100%25", &m) >= 0);
        CHECK_STR(param(&m, "id"), "100%");
        eider_match_clear(&m);

        CHECK(match(r, "/users/%zz%4", &m) >= 0);       /* malformed kept */
        CHECK_STR(param(&m, "id"), "%zz%4");
        eider_match_clear(&m);

        CHECK(match(r, "/users/..a", &m) >= 0);         /* only exactly ".." is refused */
        CHECK_STR(param(&m, "id"), "..a");
        eider_match_clear(&m);
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(param_in_directories)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("users/[id]/posts/[pid].js", "users/[id]/index.js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/users/7/posts/x%2By", &m) >= 0);
        CHECK_INT(m.nparams, 2);
        CHECK_STR(m.params[0].name, "id");
        CHECK_STR(m.params[1].name, "pid");
        CHECK_STR(param(&m, "id"), "7");
        CHECK_STR(param(&m, "pid"), "x+y");
        eider_match_clear(&m);
        CHECK_STR(route(r, "/users/7/posts/9"), "/users/[id]/posts/[pid]");
        CHECK_STR(route(r, "/users/7"), "/users/[id]");
        CHECK_STR(route(r, "/users/7/posts"), "-");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(static_beats_param)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("users/new.js", "users/[id].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/users/new", &m) >= 0);
        CHECK_STR(eider_router_pattern(r, (size_t)m.handler), "/users/new");
        CHECK_INT(m.nparams, 0);
        eider_match_clear(&m);
        CHECK_STR(route(r, "/users/old"), "/users/[id]");
        CHECK_STR(route(r, "/users/%6eew"), "/users/new");   /* decoded "new" */
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(param_beats_rest)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("files/[id].js", "files/[...rest].js",
                                              "files/top.js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK_STR(route(r, "/files/top"), "/files/top");
        CHECK_STR(route(r, "/files/x"), "/files/[id]");
        CHECK(match(r, "/files/x/y", &m) >= 0);
        CHECK_STR(eider_router_pattern(r, (size_t)m.handler), "/files/[...rest]");
        CHECK_INT(m.nparams, 1);                        /* [id] was popped */
        CHECK_STR(param(&m, "rest"), "x/y");
        CHECK(param(&m, "id") == NULL);
        eider_match_clear(&m);
        CHECK_STR(route(r, "/files/top/y"), "/files/[...rest]");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(backtrack_static_to_param)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("users/new.js", "users/[id]/edit.js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK_STR(route(r, "/users/new"), "/users/new");
        CHECK(match(r, "/users/new/edit", &m) >= 0);
        CHECK_STR(eider_router_pattern(r, (size_t)m.handler), "/users/[id]/edit");
        CHECK_STR(param(&m, "id"), "new");
        eider_match_clear(&m);
        CHECK_STR(route(r, "/users/new/other"), "-");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(backtrack_empty_static_dir_to_param)
{
    /* "lib/" holds only private files, so /lib is not a route and the
     * [id] sibling must still get it. */
    char *dir;
    struct eider_router *r = tree(&dir, FILES("lib/_x.js", "[id].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/lib", &m) >= 0);
        CHECK_STR(param(&m, "id"), "lib");
        eider_match_clear(&m);
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(backtrack_param_to_rest)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("docs/[section]/intro.js", "docs/[...path].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/docs/guide/intro", &m) >= 0);
        CHECK_STR(eider_router_pattern(r, (size_t)m.handler), "/docs/[section]/intro");
        CHECK_STR(param(&m, "section"), "guide");
        CHECK_INT(m.nparams, 1);
        eider_match_clear(&m);

        CHECK(match(r, "/docs/guide/other", &m) >= 0);
        CHECK_STR(eider_router_pattern(r, (size_t)m.handler), "/docs/[...path]");
        CHECK_INT(m.nparams, 1);
        CHECK_STR(m.params[0].name, "path");
        CHECK_STR(param(&m, "path"), "guide/other");
        eider_match_clear(&m);

        CHECK_STR(route(r, "/docs/guide"), "/docs/[...path]");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(backtrack_deep_static_to_root_rest)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("a/b/c.js", "[...all].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK_STR(route(r, "/a/b/c"), "/a/b/c");
        CHECK(match(r, "/a/b/x", &m) >= 0);
        CHECK_STR(eider_router_pattern(r, (size_t)m.handler), "/[...all]");
        CHECK_STR(param(&m, "all"), "a/b/x");
        eider_match_clear(&m);
        CHECK_STR(route(r, "/a/b"), "/[...all]");
        CHECK_STR(route(r, "/"), "-");                  /* needs one segment */
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(rest_joined)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("files/[...rest].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/files/a/b/c", &m) >= 0);
        CHECK_INT(m.nparams, 1);
        CHECK_STR(m.params[0].name, "rest");
        CHECK_MEM(m.params[0].value, m.params[0].len, "a/b/c");
        CHECK_STR(param(&m, "rest"), "a/b/c");
        eider_match_clear(&m);

        CHECK(match(r, "/files/one", &m) >= 0);
        CHECK_STR(param(&m, "rest"), "one");
        eider_match_clear(&m);

        /* Decoded, empty segments dropped. */
        CHECK(match(r, "/files/a%20x//b/", &m) >= 0);
        CHECK_STR(param(&m, "rest"), "a x/b");
        CHECK_INT(m.params[0].len, 5);
        eider_match_clear(&m);
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(rest_needs_a_segment)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("files/[...rest].js", "other/[...rest].js",
                                              "other/index.js"));

    CHECK(r != NULL);
    if (r) {
        CHECK_STR(route(r, "/files"), "-");
        CHECK_STR(route(r, "/files/"), "-");
        CHECK_STR(route(r, "/files//"), "-");
        CHECK_STR(route(r, "/other"), "/other");
        CHECK_STR(route(r, "/other/"), "/other");
        CHECK_STR(route(r, "/other/x"), "/other/[...rest]");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(rest_after_param)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("u/[id]/[...rest].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK(match(r, "/u/42/a/b", &m) >= 0);
        CHECK_INT(m.nparams, 2);
        CHECK_STR(param(&m, "id"), "42");      /* joining rest leaves id intact */
        CHECK_STR(param(&m, "rest"), "a/b");
        eider_match_clear(&m);
        CHECK_STR(route(r, "/u/42"), "-");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(private_hidden_node_modules_not_routed)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("index.js", "_lib/db.js", "_private.js",
                                              ".hidden.js", ".git/config.js",
                                              "node_modules/pkg/index.js",
                                              "api/_helper.js", "api/ok.js",
                                              "api/node_modules/x.js", "api/.env.js",
                                              "_dir/[id].js"));

    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 2);   /* index.js and api/ok.js */
        CHECK_STR(route(r, "/_lib/db"), "-");
        CHECK_STR(route(r, "/_private"), "-");
        CHECK_STR(route(r, "/.hidden"), "-");
        CHECK_STR(route(r, "/.git/config"), "-");
        CHECK_STR(route(r, "/node_modules/pkg"), "-");
        CHECK_STR(route(r, "/api/_helper"), "-");
        CHECK_STR(route(r, "/api/node_modules/x"), "-");
        CHECK_STR(route(r, "/api/.env"), "-");
        CHECK_STR(route(r, "/_dir/1"), "-");
        CHECK_STR(route(r, "/api/ok"), "/api/ok");
        for (size_t i = 0; i < eider_router_count(r); i++) {
            CHECK(strstr(eider_router_file(r, i), "/_") == NULL);
            CHECK(strstr(eider_router_file(r, i), "node_modules") == NULL);
            CHECK(strstr(eider_router_file(r, i), "/.") == NULL);
        }
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(non_js_files_ignored)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("README.md", "data.json", "x.JS", "script.jsx",
                                              "ok.js", "dir.js/", "js"));

    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 1);
        CHECK_STR(route(r, "/ok"), "/ok");
        CHECK_STR(route(r, "/README"), "-");
        CHECK_STR(route(r, "/x"), "-");
        CHECK_STR(route(r, "/js"), "-");
    }
    eider_router_free(r);
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

/* --- conflicts and build errors --- */

TEST(conflict_file_and_index)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("users.js", "users/index.js"));

    CHECK(r == NULL);
    CHECK_CONTAINS(err, "users.js");
    CHECK_CONTAINS(err, "users/index.js");
    CHECK_CONTAINS(err, "/users");
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(conflict_param_file_and_param_index)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("u/[id].js", "u/[id]/index.js"));

    CHECK(r == NULL);
    CHECK_CONTAINS(err, "[id].js");
    CHECK_CONTAINS(err, "[id]/index.js");
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(conflict_param_names)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("u/[id].js", "u/[slug].js"));

    CHECK(r == NULL);
    CHECK_CONTAINS(err, "[id]");
    CHECK_CONTAINS(err, "[slug]");
    eider_router_free(r);
    unit_rmtree(dir);

    /* A [param] directory and a differently named [param] file. */
    r = tree(&dir, FILES("u/[id]/x.js", "u/[slug].js"));
    CHECK(r == NULL);
    CHECK_CONTAINS(err, "[id]");
    CHECK_CONTAINS(err, "[slug]");
    eider_router_free(r);
    unit_rmtree(dir);

    /* Two [param] directories. */
    r = tree(&dir, FILES("u/[a]/x.js", "u/[b]/y.js"));
    CHECK(r == NULL);
    CHECK_CONTAINS(err, "[a]");
    CHECK_CONTAINS(err, "[b]");
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(conflict_two_catch_alls)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("f/[...a].js", "f/[...b].js"));

    CHECK(r == NULL);
    CHECK(err[0] != '\0');
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(catch_all_directory_refused)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("f/[...rest]/index.js"));

    CHECK(r == NULL);
    CHECK_CONTAINS(err, "[...rest]");
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(no_conflict_cases)
{
    /* Same param name in file and dir, different names in different
     * dirs, a file beside a dir of the same name without index. */
    char *dir;
    struct eider_router *r = tree(&dir, FILES("u/[id].js", "u/[id]/edit.js",
                                              "a/[x].js", "b/[y].js",
                                              "users.js", "users/[id].js"));
    CHECK(r != NULL);
    if (r) {
        CHECK_INT(eider_router_count(r), 6);
        CHECK_STR(route(r, "/u/1"), "/u/[id]");
        CHECK_STR(route(r, "/u/1/edit"), "/u/[id]/edit");
        CHECK_STR(route(r, "/users"), "/users");
        CHECK_STR(route(r, "/users/1"), "/users/[id]");
        CHECK_STR(route(r, "/b/1"), "/b/[y]");
    }
    eider_router_free(r);
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

/* --- unsafe and oversized paths --- */

TEST(dot_segments_refused)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("[...all].js", "users/[id].js", "a/x.js"));

    CHECK(r != NULL);
    if (r) {
        /* Sanity: the catch-all takes anything else. */
        CHECK_STR(route(r, "/b/c"), "/[...all]");
        CHECK_STR(route(r, "/..a"), "/[...all]");
        CHECK_STR(route(r, "/.a"), "/[...all]");

        CHECK_STR(route(r, "/.."), "-");
        CHECK_STR(route(r, "/."), "-");
        CHECK_STR(route(r, "/a/../x"), "-");
        CHECK_STR(route(r, "/%2e%2e"), "-");
        CHECK_STR(route(r, "/%2E%2E"), "-");
        CHECK_STR(route(r, "/%2e."), "-");
        CHECK_STR(route(r, "/.%2e/x"), "-");
        CHECK_STR(route(r, "/%2e"), "-");
        CHECK_STR(route(r, "/a/%2e%2e/a/x"), "-");
        CHECK_STR(route(r, "/users/%2e%2e"), "-");
        CHECK_STR(route(r, "/users/.."), "-");
    }
    eider_router_free(r);
    unit_rmtree(dir);
}

TEST(encoded_slash_and_nul_refused)
{
    char *dir;
    struct eider_router *r = tree(&dir, FILES("[...all].js", "users/[id].js"));
    struct eider_match m;

    CHECK(r != NULL);
    if (r) {
        CHECK_STR(route(r, "/a%2Fb"), "-");
        CHECK_STR(route(r, "/a%2fb"), "-");
        CHECK_STR(route(r, "/users/1%2F2"), "-");
        CHECK_STR(route(r, "/users/%2F"), "-");
        CHECK_STR(route(r, "/a%00b"), "-");
        CHECK_STR(route(r, "/users/%00"), "-");
        CHECK_STR(route(r, "/x/%2e%2e%2Fetc"), "-");
        /* A refused path leaves no params behind. */
        CHECK_INT(match(r, "/users/a%2Fb", &m), -1);
        CHECK_INT(m.handler, -1);
        CHECK_INT(m.nparams, 0);
        eider_match_clear(&m);
        /* A raw NUL inside LEN is refused too. */
        CHECK_INT(eider_router_match(r, "/users/a\0b", 10, &m), -1);
        eider_match_clear(&m);
    }
    eider_router_free(r);
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

UNIT_MAIN(root_index, empty_root_matches_nothing, static_files_and_index,
          trailing_and_double_slashes, files_and_patterns, handler_numbers_are_stable,
          param_basic, param_decoding, param_in_directories, static_beats_param,
          param_beats_rest, backtrack_static_to_param, backtrack_empty_static_dir_to_param,
          backtrack_param_to_rest, backtrack_deep_static_to_root_rest, rest_joined,
          rest_needs_a_segment, rest_after_param, private_hidden_node_modules_not_routed,
          non_js_files_ignored, dangling_symlink_ignored, symlink_loop,
          conflict_file_and_index, conflict_param_file_and_param_index, conflict_param_names,
          conflict_two_catch_alls, catch_all_directory_refused, no_conflict_cases,
          build_errors, dot_segments_refused, encoded_slash_and_nul_refused, max_segments,
          max_params, match_reuse_same_struct)
