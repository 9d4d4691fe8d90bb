/*
 * Unit tests for framework/path.c, the confinement of user-named files:
 * tables of hostile inputs (".." chains, "//", trailing "/.", NUL bytes,
 * over-long paths) for the text checks, and a real directory tree with
 * symbolic links out of the root for the whole check.
 */
#include <limits.h>

#include "path.h"
#include "unit.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* PATH (LEN bytes) from BASE normalises to WANT, or fails when WANT is NULL. */
struct norm_case {
    const char *base;
    const char *path;
    size_t len;             /* 0: strlen(path) */
    const char *want;
};

static const struct norm_case norm_cases[] = {
    { NULL, "/", 0, "/" },
    { NULL, "/a/b/c", 0, "/a/b/c" },
    { NULL, "//a///b//", 0, "/a/b" },
    { NULL, "/a/./b/.", 0, "/a/b" },                 /* trailing "/." */
    { NULL, "/a/b/..", 0, "/a" },
    { NULL, "/a/b/../../..", 0, "/" },               /* never above "/" */
    { NULL, "/../../../etc/passwd", 0, "/etc/passwd" },
    { NULL, "/a/...", 0, "/a/..." },                 /* "..." is a name */
    { NULL, "/a/..b/.c", 0, "/a/..b/.c" },
    { "/srv/root", "x.txt", 0, "/srv/root/x.txt" },
    { "/srv/root", "", 0, "/srv/root" },
    { "/srv/root", ".", 0, "/srv/root" },
    { "/srv/root", "./", 0, "/srv/root" },
    { "/srv/root", "../root2/x", 0, "/srv/root2/x" },
    { "/srv/root", "a/../../../..//etc/shadow", 0, "/etc/shadow" },
    { "/srv/root/", "a", 0, "/srv/root/a" },
    { "/srv/root", "/abs", 0, "/abs" },              /* absolute ignores the base */
    { NULL, "relative", 0, NULL },                   /* relative without a base */
    { "relbase", "x", 0, NULL },                     /* a base must be absolute */
    { NULL, "", 0, NULL },
    { "/srv/root", "a.txt\0../../etc/passwd", 22, NULL },   /* NUL inside */
    { "/srv/root", "a.txt\0", 6, NULL },
    { "/srv/root", "a.txt\0.jpg", 10, NULL },
};

TEST(normalise_table)
{
    for (size_t i = 0; i < N(norm_cases); i++) {
        const struct norm_case *c = &norm_cases[i];
        size_t len = c->len ? c->len : strlen(c->path);
        char out[PATH_MAX];
        int rc = eider_path_normalise(c->base, c->path, len, out);

        if (c->want == NULL && rc != -1) {
            printf("  case %zu: \"%s\" gave \"%s\", expected a failure\n", i, c->path, out);
            unit_failed_now = 1;
        } else if (c->want != NULL) {
            if (rc != 0) {
                printf("  case %zu: \"%s\" failed, expected \"%s\"\n", i, c->path, c->want);
                unit_failed_now = 1;
            } else {
                CHECK_STR(out, c->want);
            }
        }
    }
}

/* The longest path that fits, one byte more, and long chains that only
 * fit once their ".." are resolved. */
TEST(normalise_long)
{
    static char in[3 * PATH_MAX], out[PATH_MAX];
    size_t n;

    in[0] = '/';
    memset(in + 1, 'a', PATH_MAX - 2);
    CHECK_INT(eider_path_normalise(NULL, in, PATH_MAX - 1, out), 0);
    CHECK_INT(strlen(out), PATH_MAX - 1);
    memset(in + 1, 'a', PATH_MAX - 1);
    CHECK_INT(eider_path_normalise(NULL, in, PATH_MAX, out), -1);
    CHECK_INT(eider_path_normalise("/srv", in + 1, PATH_MAX - 1, out), -1);

    for (n = 0; n + 5 < sizeof(in); n += 5)
        memcpy(in + n, "a/../", 5);
    CHECK_INT(eider_path_normalise("/srv/root", in, n, out), 0);
    CHECK_STR(out, "/srv/root");
    for (n = 0; n + 3 < sizeof(in); n += 3)
        memcpy(in + n, "../", 3);
    CHECK_INT(eider_path_normalise("/srv/root", in, n, out), 0);
    CHECK_STR(out, "/");
}

struct within_case {
    const char *path, *root;
    int want;
};

static const struct within_case within_cases[] = {
    { "/srv/a", "/srv/a", 1 },
    { "/srv/a/x", "/srv/a", 1 },
    { "/srv/ab", "/srv/a", 0 },                      /* a prefix, not a parent */
    { "/srv/ab/x", "/srv/a", 0 },
    { "/srv", "/srv/a", 0 },
    { "/", "/srv/a", 0 },
    { "/etc/passwd", "/", 1 },                       /* root "/" holds everything */
    { "/", "/", 1 },
    { "/srv/a/x", "/srv/a/", 1 },                    /* trailing slash on the root */
    { "/srv/ab", "/srv/a/", 0 },
    { "/srv/a", "", 0 },                             /* an empty root holds nothing */
    { "/srv/a", "srv/a", 0 },
    { "srv/a/x", "/srv/a", 0 },                      /* not normalised: refused */
};

TEST(within_table)
{
    for (size_t i = 0; i < N(within_cases); i++) {
        const struct within_case *c = &within_cases[i];
        if (eider_path_within(c->path, c->root) != c->want) {
            printf("  case %zu: within(\"%s\", \"%s\") != %d\n", i, c->path, c->root, c->want);
            unit_failed_now = 1;
        }
    }
}

TEST(within_any)
{
    const char *roots[] = { "/srv/a", "/var/data" };

    CHECK_INT(eider_path_within_any("/var/data/x", roots, 2), 1);
    CHECK_INT(eider_path_within_any("/srv/a", roots, 2), 1);
    CHECK_INT(eider_path_within_any("/var/database", roots, 2), 0);
    CHECK_INT(eider_path_within_any("/srv/a", roots, 0), 0);
}

/* PATH (from the root, or absolute under the tree when it starts with
 * "@") confines to the file REAL (below the tree) or fails with ERR. */
struct confine_case {
    const char *path;
    int err;
    const char *real;
};

static const struct confine_case confine_cases[] = {
    { "a.txt", 0, "root/a.txt" },
    { "./sub/../a.txt", 0, "root/a.txt" },
    { "sub//b.txt", 0, "root/sub/b.txt" },
    { "@root/sub/b.txt", 0, "root/sub/b.txt" },
    { "in/b.txt", 0, "root/sub/b.txt" },             /* a link that stays inside */
    { "../outside/secret.txt", EACCES, NULL },
    { "sub/../../outside/secret.txt", EACCES, NULL },
    { "@outside/secret.txt", EACCES, NULL },
    { "@outside/missing", EACCES, NULL },            /* EACCES, not ENOENT: nothing learnt */
    { "@root2/c.txt", EACCES, NULL },                /* a sibling sharing the prefix */
    { "out/secret.txt", EACCES, NULL },              /* a directory link out of the root */
    { "out_file", EACCES, NULL },                    /* a file link out of the root */
    { "out/../a.txt", 0, "root/a.txt" },             /* ".." is textual, not through the link */
    { "missing.txt", ENOENT, NULL },
    { "a.txt/x", ENOTDIR, NULL },
    { "loop", ELOOP, NULL },
};

TEST(confine_table)
{
    char *dir = unit_tmpdir();
    char root[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
    const char *roots[1] = { root };

    unit_write(dir, "root/a.txt", "a");
    unit_write(dir, "root/sub/b.txt", "b");
    unit_write(dir, "root2/c.txt", "c");
    unit_write(dir, "outside/secret.txt", "s");
    snprintf(root, sizeof(root), "%s/root", dir);
    snprintf(link, sizeof(link), "%s/root/out", dir);
    snprintf(target, sizeof(target), "%s/outside", dir);
    CHECK(symlink(target, link) == 0);
    snprintf(link, sizeof(link), "%s/root/out_file", dir);
    snprintf(target, sizeof(target), "%s/outside/secret.txt", dir);
    CHECK(symlink(target, link) == 0);
    snprintf(link, sizeof(link), "%s/root/in", dir);
    CHECK(symlink("sub", link) == 0);
    snprintf(link, sizeof(link), "%s/root/loop", dir);
    CHECK(symlink("loop", link) == 0);

    for (size_t i = 0; i < N(confine_cases); i++) {
        const struct confine_case *c = &confine_cases[i];
        char path[PATH_MAX], real[PATH_MAX], want[PATH_MAX];
        int err;

        if (c->path[0] == '@')
            snprintf(path, sizeof(path), "%s/%s", dir, c->path + 1);
        else
            snprintf(path, sizeof(path), "%s", c->path);
        err = eider_path_confine(root, path, strlen(path), roots, 1, real);
        if (err != c->err) {
            printf("  case %zu: \"%s\" gave %s, expected %s\n", i, c->path,
                   strerror(err), strerror(c->err));
            unit_failed_now = 1;
        } else if (c->real != NULL) {
            snprintf(want, sizeof(want), "%s/%s", dir, c->real);
            CHECK_STR(real, want);
        }
    }
    CHECK_INT(eider_path_confine(root, "a.txt\0../../outside/secret.txt", 31, roots, 1,
                                 (char[PATH_MAX]){ 0 }), EACCES);
    unit_rmtree(dir);
}

/* The root "/" (fs_root /) allows every existing file. */
TEST(confine_root_slash)
{
    const char *roots[1] = { "/" };
    char real[PATH_MAX];

    CHECK_INT(eider_path_confine("/", "../../tmp", 9, roots, 1, real), 0);
    CHECK_STR(real, "/tmp");
}

UNIT_MAIN(normalise_table, normalise_long, within_table, within_any, confine_table,
          confine_root_slash)
