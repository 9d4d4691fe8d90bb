/*
 * fuzz_router: eider_router_match() on fuzzed paths (any bytes, NULs
 * included), against a fixed handlers tree laid out in a scratch directory
 * at start-up, with a reference matcher as the oracle.
 *
 * The tree has every kind of node (static names, [param] files and
 * directories, [...rest] catch-alls, index.js, names that need
 * percent-encoding, routes with EIDER_MAX_PARAMS parameters and one more)
 * and the places where static and dynamic routes compete, so the
 * backtracking has work to do. The reference matcher knows nothing of
 * tries: it tries every route pattern on the decoded segments and keeps
 * the best by the rule router.c documents (at each level static before
 * [param] before [...rest]), so any disagreement is a bug in one of them.
 */
#include "fuzz.h"
#include "router.h"
#include "url.h"

static const char *const tree[] = {
    "index.js", "about.js", "users.js", "users/new.js", "users/[id].js",
    "users/[id]/settings.js", "users/[id]/posts/[post].js",
    "teams/index.js", "teams/[team]/members.js", "teams/[team]/index.js",
    "files/[...path].js", "files/readme.js",
    "a/[x]/b.js", "a/s/c.js", "a/s/index.js", "a/[x]/[y]/z.js", "a/s/[...tail].js",
    "catalog/[slug]/reviews.js", "catalog/featured/today.js",
    "things/[...rest].js", "things/[id].js",
    "%41.js", "caf\xc3\xa9.js", "space name.js", "plus+sign.js", "x.json.js",
    "_private.js", "_lib/helper.js", ".hidden.js", "node_modules/m.js", "notjs.txt",
    NULL
};

static struct eider_router *router;

/* DIR/NAME/[p0]/.../[pN-1]/leaf.js: a route with N parameters. */
static void param_chain(const char *dir, const char *name, int n)
{
    char rel[1024];
    size_t len = (size_t)snprintf(rel, sizeof(rel), "%s", name);

    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(rel + len, sizeof(rel) - len, "/[p%d]", i);
    snprintf(rel + len, sizeof(rel) - len, "/leaf.js");
    fuzz_write(dir, rel, "module.exports = function (req, res) { res.end(); };\n");
}

static void build_router(void)
{
    const char *dir = fuzz_scratch_dir("fuzz-router");
    char err[1024];

    for (size_t i = 0; tree[i] != NULL; i++)
        fuzz_write(dir, tree[i], "exports.GET = function (req, res) { res.end(); };\n");
    /* Both sides of EIDER_MAX_PARAMS: the first leaf can be reached, the
     * second never. */
    param_chain(dir, "max", EIDER_MAX_PARAMS);
    param_chain(dir, "over", EIDER_MAX_PARAMS + 1);
    router = eider_router_build(dir, err, sizeof(err));
    if (router == NULL) {
        fprintf(stderr, "fuzz_router: cannot build the router: %s\n", err);
        exit(2);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    build_router();
    return 0;
}

/* --- the reference matcher --- */

struct seg {
    const char *p;   /* decoded, NUL-terminated */
    size_t len;
};

enum part_kind { STATIC, PARAM, REST };

/* One way a pattern binds the segments: the parameters in order. */
struct binding {
    int nparams;
    const char *name[EIDER_MAX_SEGMENTS];
    size_t namelen[EIDER_MAX_SEGMENTS];
    int first[EIDER_MAX_SEGMENTS], last[EIDER_MAX_SEGMENTS];   /* segment range */
    int rank[EIDER_MAX_SEGMENTS + 1];  /* per pattern part: its kind */
    int nparts;
};

/* Tries PATTERN ("/users/[id]", "/" for the root) on the segments. */
static int pattern_matches(const char *pattern, const struct seg *segs, int nsegs,
                           struct binding *b)
{
    const char *p = pattern;
    int k = 0;

    memset(b, 0, sizeof(*b));
    while (*p != '\0') {
        const char *start, *end;
        size_t len;
        while (*p == '/')
            p++;
        if (*p == '\0')
            break;
        start = p;
        while (*p != '\0' && *p != '/')
            p++;
        end = p;
        len = (size_t)(end - start);
        if (b->nparts == EIDER_MAX_SEGMENTS + 1)
            return 0;
        if (len >= 3 && start[0] == '[' && end[-1] == ']') {
            int rest = len > 5 && strncmp(start, "[...", 4) == 0;
            if (k >= nsegs)
                return 0;
            b->name[b->nparams] = start + (rest ? 4 : 1);
            b->namelen[b->nparams] = len - (rest ? 5 : 2);
            b->first[b->nparams] = k;
            b->last[b->nparams] = rest ? nsegs - 1 : k;
            b->nparams++;
            b->rank[b->nparts++] = rest ? REST : PARAM;
            k = rest ? nsegs : k + 1;
        } else {
            if (k >= nsegs || segs[k].len != len || memcmp(segs[k].p, start, len) != 0)
                return 0;
            b->rank[b->nparts++] = STATIC;
            k++;
        }
    }
    return k == nsegs && b->nparams <= EIDER_MAX_PARAMS;
}

/* Which of two matching bindings router.c must prefer: the first part
 * where their kinds differ decides, static < param < rest. */
static int better(const struct binding *a, const struct binding *b)
{
    for (int i = 0; i < a->nparts && i < b->nparts; i++)
        if (a->rank[i] != b->rank[i])
            return a->rank[i] < b->rank[i];
    return 0;
}

/* The value the reference expects for parameter I of B: the segments
 * joined with "/". */
static size_t expected_value(const struct binding *b, int i, const struct seg *segs, char *out)
{
    size_t n = 0;

    for (int k = b->first[i]; k <= b->last[i]; k++) {
        if (k > b->first[i])
            out[n++] = '/';
        memcpy(out + n, segs[k].p, segs[k].len);
        n += segs[k].len;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = (const char *)data, *end = path + size;
    struct eider_match m;
    struct seg segs[EIDER_MAX_SEGMENTS];
    struct binding best, cur;
    char *decoded = malloc(size + 1), *out = decoded, *value;
    int nsegs = 0, refused = 0, want = -1, got;

    /* The router's path is not NUL-terminated: give it exactly SIZE
     * bytes of its own, so ASan sees any read past the end. */
    char *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    got = eider_router_match(router, copy, size, &m);
    FUZZ_ASSERT(got == m.handler, "returned %d, m.handler %d", got, m.handler);
    FUZZ_ASSERT(got >= -1 && got < (int)eider_router_count(router), "handler %d", got);

    /* The reference: split on "/", skip empty segments, decode each; a
     * segment decoding to ".", ".." or holding "/" or NUL is refused, as
     * are more than EIDER_MAX_SEGMENTS segments. */
    for (const char *p = path; p < end && !refused;) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *seg_end = slash ? slash : end;
        if (seg_end > p) {
            size_t len = eider_url_decode(p, (size_t)(seg_end - p), out, 0);
            if (nsegs == EIDER_MAX_SEGMENTS || (len == 1 && out[0] == '.')
                || (len == 2 && out[0] == '.' && out[1] == '.')
                || memchr(out, '/', len) != NULL || memchr(out, '\0', len) != NULL) {
                refused = 1;
                break;
            }
            segs[nsegs].p = out;
            segs[nsegs++].len = len;
            out += len + 1;
        }
        p = seg_end + (slash ? 1 : 0);
    }
    for (size_t h = 0; !refused && h < eider_router_count(router); h++) {
        if (!pattern_matches(eider_router_pattern(router, h), segs, nsegs, &cur))
            continue;
        if (want < 0 || better(&cur, &best)) {
            want = (int)h;
            best = cur;
        }
    }
    FUZZ_ASSERT(got == want, "path \"%.*s\": router says %s, reference says %s", (int)size, path,
                got < 0 ? "-" : eider_router_pattern(router, (size_t)got),
                want < 0 ? "-" : eider_router_pattern(router, (size_t)want));

    /* The parameters: same names, same values, NUL-terminated. */
    if (got >= 0) {
        FUZZ_ASSERT(m.nparams == best.nparams, "%d parameters, expected %d", m.nparams,
                    best.nparams);
        value = malloc(size + 1);
        for (int i = 0; i < m.nparams; i++) {
            size_t len = expected_value(&best, i, segs, value);
            FUZZ_ASSERT(strlen(m.params[i].name) == best.namelen[i]
                        && memcmp(m.params[i].name, best.name[i], best.namelen[i]) == 0,
                        "parameter %d is named %s", i, m.params[i].name);
            FUZZ_ASSERT(m.params[i].len == len && memcmp(m.params[i].value, value, len) == 0,
                        "parameter %s is \"%.*s\", expected \"%.*s\"", m.params[i].name,
                        (int)m.params[i].len, m.params[i].value, (int)len, value);
            FUZZ_ASSERT(m.params[i].value[len] == '\0', "parameter %s not NUL-terminated",
                        m.params[i].name);
        }
        free(value);
    }
    eider_match_clear(&m);
    free(copy);
    free(decoded);
    return 0;
}
