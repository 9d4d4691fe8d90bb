/*
 * Lowering, the caller's side: the on-disk cache, and the helper process
 * (lower_helper.c) started at the first miss.
 *
 * A cache entry is the file CACHE_DIR/KEY, KEY the hex SHA-256 of the
 * compiler's own hash, the kind of file ("ts" or "js") and its text:
 *   "EIDERLOW1 CODELEN MAPLEN\n" code map
 * written to a temporary name and renamed, so that workers and checks
 * racing on one entry never see half of it. Entries are never invalidated:
 * a new compiler or a changed text is another key. Old entries are left
 * for the operator to clear (the directory can be emptied at any time).
 */
#include "alloc.h"
#include "lower.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "config.h"
#include "file.h"
#include "syntax.h"

#define COMPILER_FILE "eider-compiler.dbc"

/* The helper, while one runs. */
static pid_t helper_pid = -1;
static int helper_in = -1, helper_out = -1;   /* we write to in, read from out */

const char *eider_lower_compiler_path(void)
{
    static char path[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *slash;

    if (n > 0) {
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL) {
            *slash = '\0';
            snprintf(path, sizeof(path), "%s/%s", exe, COMPILER_FILE);
            if (access(path, R_OK) == 0)
                return path;
        }
    }
    snprintf(path, sizeof(path), "%s/%s", EIDER_PKGDATADIR, COMPILER_FILE);
    return access(path, R_OK) == 0 ? path : NULL;
}

/* The compiler's hash, from its first line; "" if it cannot be read. */
static const char *compiler_hash(void)
{
    static char hash[65];
    const char *path;
    char line[80];
    FILE *f;

    if (hash[0] != '\0' || (path = eider_lower_compiler_path()) == NULL || (f = fopen(path, "rb")) == NULL)
        return hash;
    if (fgets(line, sizeof(line), f) != NULL && strncmp(line, "EIDERBC1 ", 9) == 0 && strlen(line) >= 9 + 64)
        memcpy(hash, line + 9, 64);
    fclose(f);
    return hash;
}

static int is_ts(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".ts") == 0;
}

void eider_lower_cache_key(const char *path, const char *src, size_t len, char key[65])
{
    unsigned char md[32];
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    const char *kind = is_ts(path) ? "\nts\n" : "\njs\n";

    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    EVP_DigestUpdate(c, compiler_hash(), 64);
    EVP_DigestUpdate(c, kind, 4);
    EVP_DigestUpdate(c, src, len);
    EVP_DigestFinal_ex(c, md, NULL);
    EVP_MD_CTX_free(c);
    for (int i = 0; i < 32; i++)
        snprintf(key + 2 * i, 3, "%02x", md[i]);
}

/* Splits a cache entry's text into out (copies). Returns 0 or -1. */
static int parse_entry(const char *data, size_t len, struct eider_lowered *out)
{
    unsigned long long codelen, maplen;
    const char *nl = memchr(data, '\n', len);
    size_t head;

    if (nl == NULL || sscanf(data, "EIDERLOW1 %llu %llu\n", &codelen, &maplen) != 2)
        return -1;
    head = (size_t)(nl - data) + 1;
    if (codelen > len - head || maplen != len - head - codelen)
        return -1;
    /* Sized by the cache file: plain, and a failure is a cache miss. */
    out->code = strndup(data + head, codelen);
    out->map = strndup(data + head + codelen, maplen);
    out->len = codelen;
    out->maplen = maplen;
    if (out->code == NULL || out->map == NULL) {
        free(out->code);
        free(out->map);
        return -1;
    }
    return 0;
}

void eider_lower_cache_store(const char *dir, const char *key, const struct eider_lowered *out)
{
    char tmp[PATH_MAX], final[PATH_MAX], head[64];
    int fd, n = snprintf(head, sizeof(head), "EIDERLOW1 %zu %zu\n", out->len, out->maplen);

    snprintf(tmp, sizeof(tmp), "%s/.%s.%ld", dir, key, (long)getpid());
    snprintf(final, sizeof(final), "%s/%s", dir, key);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return;
    if (eider_write_full(fd, head, (size_t)n) < 0 || eider_write_full(fd, out->code, out->len) < 0
        || eider_write_full(fd, out->map, out->maplen) < 0 || close(fd) < 0 || rename(tmp, final) < 0)
        unlink(tmp);
}

/* Starts the helper. Returns 0, or -1 with the problem in err. */
static int helper_start(char *err, size_t errlen)
{
    const char *compiler = eider_lower_compiler_path();
    int to_child[2], from_child[2];

    if (compiler == NULL) {
        snprintf(err, errlen, "the lowering compiler (%s) is not installed beside eider nor in %s: "
                 "run make install, or write the file in ES5", COMPILER_FILE, EIDER_PKGDATADIR);
        return -1;
    }
    if (pipe2(to_child, O_CLOEXEC) < 0)
        goto fail;
    if (pipe2(from_child, O_CLOEXEC) < 0) {
        close(to_child[0]);
        close(to_child[1]);
        goto fail;
    }
    if ((helper_pid = fork()) < 0) {
        close(to_child[0]);
        close(to_child[1]);
        close(from_child[0]);
        close(from_child[1]);
        goto fail;
    }
    if (helper_pid == 0) {
        close(to_child[1]);
        close(from_child[0]);
        eider_lower_helper_main(compiler, to_child[0], from_child[1]);
    }
    close(to_child[0]);
    close(from_child[1]);
    helper_in = to_child[1];
    helper_out = from_child[0];
    return 0;
fail:
    snprintf(err, errlen, "cannot start the lowering helper: %s", strerror(errno));
    return -1;
}

void eider_lower_stop(void)
{
    int status;

    if (helper_pid < 0)
        return;
    close(helper_in);
    close(helper_out);
    while (waitpid(helper_pid, &status, 0) < 0 && errno == EINTR)
        ;
    helper_pid = -1;
    helper_in = helper_out = -1;
}

/* One request to the helper. Returns 0 with out filled, or -1 with err. */
static int helper_lower(const char *path, const char *src, size_t len, struct eider_lowered *out,
                        char *err, size_t errlen)
{
    char verdict;

    if (helper_pid < 0 && helper_start(err, errlen) < 0)
        return -1;
    if (eider_write_chunk(helper_in, path, strlen(path)) < 0 || eider_write_chunk(helper_in, src, len) < 0
        || eider_read_full(helper_out, &verdict, 1) < 0)
        goto died;
    if (verdict == 'E') {
        size_t mlen;
        char *msg = eider_read_chunk(helper_out, &mlen);
        if (msg == NULL)
            goto died;
        const char *sp = strchr(msg, ' ');
        /* "LINE:COL: message" is a syntax error in the user's text. */
        if (msg[0] >= '0' && msg[0] <= '9' && sp != NULL)
            snprintf(err, errlen, "%s:%.*s SyntaxError: %s", path, (int)(sp - msg), msg, sp + 1);
        else
            snprintf(err, errlen, "%s: %s", path, msg);
        free(msg);
        return -1;
    }
    if ((out->code = eider_read_chunk(helper_out, &out->len)) == NULL)
        goto died;
    if ((out->map = eider_read_chunk(helper_out, &out->maplen)) == NULL) {
        free(out->code);
        goto died;
    }
    return 0;
died:
    snprintf(err, errlen, "%s: the lowering helper stopped (out of memory?)", path);
    eider_lower_stop();
    return -1;
}

size_t eider_lower_prefetch(const char *cache_dir, const char *const *paths, size_t n)
{
    const char *compiler = eider_lower_compiler_path();
    const char **todo = eider_calloc(n + 1, sizeof(*todo));
    size_t ntodo = 0, step;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    pid_t pids[64];

    if (cache_dir == NULL || compiler == NULL) {
        free(todo);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char key[65], entry[PATH_MAX];
        size_t len;
        char *src = eider_read_file(paths[i], &len);
        size_t plen = strlen(paths[i]);
        if (src != NULL && (is_ts(paths[i]) || (plen > 3 && strcmp(paths[i] + plen - 3, ".js") == 0
                                                 && eider_syntax_modern(src, len)))) {
            eider_lower_cache_key(paths[i], src, len, key);
            snprintf(entry, sizeof(entry), "%s/%s", cache_dir, key);
            if (access(entry, F_OK) != 0)
                todo[ntodo++] = paths[i];
        }
        free(src);
    }
    /* One file gains nothing from a process of its own: the loader's
     * helper will do it. */
    step = cores < 1 ? 1 : (size_t)cores;
    step = step > ntodo ? ntodo : step > 64 ? 64 : step;
    if (ntodo < 2) {
        free(todo);
        return 0;
    }
    for (size_t k = 0; k < step; k++) {
        pids[k] = fork();
        if (pids[k] == 0)
            eider_lower_helper_batch(compiler, cache_dir, todo, ntodo, k, step);
    }
    for (size_t k = 0; k < step; k++) {
        int status;
        while (pids[k] > 0 && waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
            ;
    }
    free(todo);
    return ntodo;
}

int eider_lower(const char *cache_dir, const char *path, const char *src, size_t len,
                struct eider_lowered *out, char *err, size_t errlen)
{
    char key[65], entry[PATH_MAX];
    size_t elen;
    char *data;

    if (cache_dir != NULL) {
        eider_lower_cache_key(path, src, len, key);
        snprintf(entry, sizeof(entry), "%s/%s", cache_dir, key);
        if ((data = eider_read_file(entry, &elen)) != NULL) {
            int rc = parse_entry(data, elen, out);
            free(data);
            if (rc == 0)
                return 0;
        }
    }
    if (helper_lower(path, src, len, out, err, errlen) < 0)
        return -1;
    if (cache_dir != NULL)
        eider_lower_cache_store(cache_dir, key, out);
    return 0;
}

const char *eider_lower_cache_dir(const char *setting)
{
    /* Resolved once, by the master before any child drops privileges: a
     * check child running as the workers' user must not pick its own. */
    static char dir[PATH_MAX];
    const char *base;

    if (setting == NULL || strcmp(setting, "off") == 0)
        return NULL;
    if (strcmp(setting, "auto") != 0)
        return setting;
    if (dir[0] != '\0')
        return dir;
    if (geteuid() == 0)
        snprintf(dir, sizeof(dir), "/var/cache/eider");
    else if ((base = getenv("XDG_CACHE_HOME")) != NULL && base[0] == '/')
        snprintf(dir, sizeof(dir), "%s/eider", base);
    else if ((base = getenv("HOME")) != NULL && base[0] == '/')
        snprintf(dir, sizeof(dir), "%s/.cache/eider", base);
    else
        snprintf(dir, sizeof(dir), "/tmp/eider-cache-%ld", (long)geteuid());
    return dir;
}

int eider_lower_cache_prepare(const char *dir, long uid, long gid, char *err, size_t errlen)
{
    char path[PATH_MAX];
    struct stat st;

    if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path)) {
        snprintf(err, errlen, "js_cache %s: path too long", dir);
        return -1;
    }
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, c == '\0' ? 0700 : 0755) < 0 && errno != EEXIST) {
            snprintf(err, errlen, "js_cache %s: cannot create %s: %s", dir, path, strerror(errno));
            return -1;
        }
        if (c == '\0')
            break;
        *p = c;
    }
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "js_cache %s: not a directory", dir);
        return -1;
    }
    /* Another user's directory could hand us code that we would run. */
    if (st.st_uid != geteuid() && (uid == -1 || st.st_uid != (uid_t)uid)
        && !(geteuid() == 0 && uid != -1)) {
        snprintf(err, errlen, "js_cache %s: owned by another user (uid %ld): use a directory of "
                 "eider's own", dir, (long)st.st_uid);
        return -1;
    }
    if (uid != -1 && st.st_uid != (uid_t)uid && chown(dir, (uid_t)uid, (gid_t)gid) < 0) {
        snprintf(err, errlen, "js_cache %s: cannot give it to the workers' user: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int eider_lower_batch(const struct eider_config *cfg, const char *path, const char *src, size_t len,
                      char **code, size_t *codelen, char **map, size_t *maplen, char *err, size_t errlen)
{
    struct eider_lowered out;

    if (eider_lower(eider_lower_cache_dir(cfg->js_cache), path, src, len, &out, err, errlen) < 0)
        return -1;
    *code = out.code;
    *codelen = out.len;
    *map = out.map;
    *maplen = out.maplen;
    return 0;
}

int eider_lower_one(const struct eider_config *cfg, const char *path, const char *src, size_t len,
                    char **code, size_t *codelen, char **map, size_t *maplen, char *err, size_t errlen)
{
    int rc = eider_lower_batch(cfg, path, src, len, code, codelen, map, maplen, err, errlen);

    eider_lower_stop();
    return rc;
}

void eider_lower_prefetch_for(const struct eider_config *cfg, const char *const *paths, size_t n)
{
    eider_lower_prefetch(eider_lower_cache_dir(cfg->js_cache), paths, n);
}
