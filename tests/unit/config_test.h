/*
 * What tests/unit/test_config.c and test_config_syntax.c share: loading a
 * config text written into a fresh /tmp directory, and checking that one
 * fails at FILE:LINE with a message. Static functions: each test binary
 * includes it once.
 */
#ifndef EIDER_TEST_CONFIG_H
#define EIDER_TEST_CONFIG_H

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "../../framework/config.h"   /* not ./config.h (autoconf) */
#include "../../framework/log.h"

static char err[2048];
static char *cur;             /* temp dir of the config being tested */

/* Writes TEXT as DIR/eider.conf and loads it with EXTRA (the -g text). */
static UNIT_UNUSED struct eider_config *load(const char *dir, const char *text, const char *extra)
{
    char path[PATH_MAX];

    unit_write(dir, "eider.conf", text);
    snprintf(path, sizeof(path), "%s/eider.conf", dir);
    err[0] = '\0';
    return eider_config_load(path, extra, err, sizeof(err));
}

/* Loads TEXT in a fresh dir (kept in CUR until done()); NULL on error. */
static UNIT_UNUSED struct eider_config *cfg_of(const char *text, const char *extra)
{
    struct eider_config *c;

    cur = unit_tmpdir();
    c = load(cur, text, extra);
    if (c == NULL)
        printf("  unexpected error for \"%s\": %s\n", text, err);
    return c;
}

static UNIT_UNUSED void done(struct eider_config *c)
{
    eider_config_free(c);
    unit_rmtree(cur);
    cur = NULL;
}

/* "CUR/REL" in a static buffer. */
static UNIT_UNUSED const char *in_cur(const char *rel)
{
    static char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s/%s", cur, rel);
    return buf;
}

/* Loads TEXT (after writing FILES, NULL-terminated name/content pairs)
 * in a fresh dir and expects an error "FILE:LINE: ..." holding NEEDLE.
 * FILE NULL means the config itself, "(...)" is taken literally, any
 * other name is relative to the temp dir. */
static UNIT_UNUSED int fails_at(const char *const *files, const char *text, const char *extra,
                    const char *file, int line, const char *needle)
{
    char *dir = unit_tmpdir();
    char prefix[PATH_MAX + 64];
    struct eider_config *c;
    int ok = 1;

    for (size_t i = 0; files && files[i]; i += 2)
        unit_write(dir, files[i], files[i + 1]);
    c = load(dir, text, extra);
    if (file == NULL)
        snprintf(prefix, sizeof(prefix), "%s/eider.conf:%d: ", dir, line);
    else if (file[0] == '(')
        snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
    else
        snprintf(prefix, sizeof(prefix), "%s/%s:%d: ", dir, file, line);
    if (c != NULL) {
        printf("  \"%s\"%s%s: loaded, expected an error with \"%s\"\n", text,
               extra ? " -g " : "", extra ? extra : "", needle);
        ok = 0;
    } else if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, needle) == NULL) {
        printf("  \"%s\": error \"%s\", expected \"%s...%s...\"\n", text, err, prefix, needle);
        ok = 0;
    }
    eider_config_free(c);
    unit_rmtree(dir);
    return ok;
}

#define FAILS(text, line, needle) CHECK(fails_at(NULL, (text), NULL, NULL, (line), (needle)))
#define FILES(...) ((const char *const[]){ __VA_ARGS__, NULL })


static UNIT_UNUSED int listen_is(const struct eider_listen *l, int family, const char *host, int port)
{
    char buf[INET6_ADDRSTRLEN];
    int got_port;

    if (family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)&l->addr;
        if (sin->sin_family != AF_INET || l->addrlen != sizeof(*sin))
            return 0;
        inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
        got_port = ntohs(sin->sin_port);
    } else {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&l->addr;
        if (sin6->sin6_family != AF_INET6 || l->addrlen != sizeof(*sin6))
            return 0;
        inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
        got_port = ntohs(sin6->sin6_port);
    }
    if (strcmp(buf, host) != 0 || got_port != port) {
        printf("  listen is %s port %d, expected %s port %d\n", buf, got_port, host, port);
        return 0;
    }
    return 1;
}

static UNIT_UNUSED int online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}


#endif
