/*
 * The listen directive and its options (`listen ADDR [ssl] [reuseport]
 * [proxy_protocol] [backlog=N] [mode=] [owner=] [group=] [access_log=]
 * [status_path=];`): the options are a table of their own,
 * listen_options[], as the directives are (directives.c holds the row).
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
#include "config.h"
#include "config_internal.h"
#include "alloc.h"
#include "log.h"

/* --- listen and its options --- */

/* A listen being parsed, with what its options name. */
struct listen_parse {
    struct eider_listen l;
    const char *own_log;        /* access_log=, resolved once the listen is accepted */
    const char *own_status;     /* status_path= */
};

/* An option's setter: V is the text after "=" ("" for a bare word).
 * Returns NULL or what to fix. */
typedef const char *(*listen_option_set)(struct listen_parse *lp, const char *v);

static const char *opt_reuseport(struct listen_parse *lp, const char *v)
{
    (void)v;
    lp->l.reuseport = 1;
    return NULL;
}

static const char *opt_ssl(struct listen_parse *lp, const char *v)
{
    (void)v;
    lp->l.ssl = 1;
    return NULL;
}

static const char *opt_proxy_protocol(struct listen_parse *lp, const char *v)
{
    (void)v;
    lp->l.proxy_protocol = 1;
    return NULL;
}

static const char *opt_backlog(struct listen_parse *lp, const char *v)
{
    size_t n;

    if (eider_parse_size(v, &n) < 0 || n == 0 || n > 65535)
        return "backlog= expects a number from 1 to 65535";
    lp->l.backlog = (int)n;
    return NULL;
}

static const char *opt_mode(struct listen_parse *lp, const char *v)
{
    char *end;

    lp->l.mode = (int)strtol(v, &end, 8);
    if (*v == '\0' || *end != '\0' || lp->l.mode < 0 || lp->l.mode > 07777)
        return "mode= expects octal permissions like 0660";
    return NULL;
}

static const char *opt_owner(struct listen_parse *lp, const char *v)
{
    static char msg[160];
    struct passwd *pw = getpwnam(v);

    if (pw == NULL) {
        snprintf(msg, sizeof(msg), "owner=: no user \"%.100s\" on this system", v);
        return msg;
    }
    lp->l.owner = pw->pw_uid;
    return NULL;
}

static const char *opt_group(struct listen_parse *lp, const char *v)
{
    static char msg[160];
    struct group *gr = getgrnam(v);

    if (gr == NULL) {
        snprintf(msg, sizeof(msg), "group=: no group \"%.100s\" on this system", v);
        return msg;
    }
    lp->l.group = gr->gr_gid;
    return NULL;
}

static const char *opt_access_log(struct listen_parse *lp, const char *v)
{
    if (*v == '\0')
        return "access_log= expects a file, stdout, stderr or off";
    lp->own_log = v;
    return NULL;
}

static const char *opt_status_path(struct listen_parse *lp, const char *v)
{
    if (strcmp(v, "off") != 0 && (v[0] != '/' || strpbrk(v, "?# ") != NULL))
        return "status_path= expects a URL path starting with /, like /eider-status, or off";
    lp->own_status = v;
    return NULL;
}

/* The options a listen takes after its address, in the order the error
 * for an unknown one lists them. */
static const struct {
    const char *name;           /* "name" for a bare word, "name=" for one with a value */
    const char *shown;          /* how the error for an unknown option shows it */
    int only;                   /* AF_UNIX or AF_INET: for that kind of address only; 0: both */
    listen_option_set set;
} listen_options[] = {
    { "ssl",            "ssl",              0,       opt_ssl },
    { "proxy_protocol", "proxy_protocol",   0,       opt_proxy_protocol },
    { "reuseport",      "reuseport",        AF_INET, opt_reuseport },
    { "backlog=",       "backlog=N",        0,       opt_backlog },
    { "mode=",          "mode=0660",        AF_UNIX, opt_mode },
    { "owner=",         "owner=USER",       AF_UNIX, opt_owner },
    { "group=",         "group=GROUP",      AF_UNIX, opt_group },
    { "access_log=",    "access_log=FILE",  0,       opt_access_log },
    { "status_path=",   "status_path=PATH", 0,       opt_status_path },
};
#define NLISTEN_OPTIONS (sizeof(listen_options) / sizeof(listen_options[0]))

/* The listen option ARG for an address of FAMILY: applied to LP. Returns
 * NULL or what to fix (an unknown option lists those FAMILY takes). */
static const char *listen_option(struct listen_parse *lp, int family, const char *arg)
{
    static char msg[256];
    size_t len;
    int kind = family == AF_UNIX ? AF_UNIX : AF_INET;   /* AF_INET6 is an AF_INET here */

    for (size_t i = 0; i < NLISTEN_OPTIONS; i++) {
        size_t n = strlen(listen_options[i].name);
        int valued = listen_options[i].name[n - 1] == '=';
        if ((listen_options[i].only && listen_options[i].only != kind)
            || (valued ? strncmp(arg, listen_options[i].name, n) != 0 : strcmp(arg, listen_options[i].name) != 0))
            continue;
        return listen_options[i].set(lp, valued ? arg + n : "");
    }
    if (family == AF_UNIX && strcmp(arg, "reuseport") == 0)
        return "reuseport is for TCP listeners, not unix: sockets";
    len = (size_t)snprintf(msg, sizeof(msg), "unknown option (expected");
    for (size_t i = 0, k = 0; i < NLISTEN_OPTIONS && len < sizeof(msg); i++)
        if (!listen_options[i].only || listen_options[i].only == kind)
            len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s%s", k++ ? ", " : " ",
                                    listen_options[i].shown);
    if (len < sizeof(msg))
        snprintf(msg + len, sizeof(msg) - len, ")");
    return msg;
}

const char *eider_set_listen(struct eider_config *cfg, const struct eider_directive *d,
                             int argc, char **argv)
{
    struct listen_parse lp = { .l = { .backlog = 511, .mode = -1, .owner = -1, .group = -1 } };
    struct eider_listen *l = &lp.l;
    const char *why;

    (void)d;
    if (eider_parse_listen_addr(argv[0], &l->addr, &l->addrlen) < 0)
        return "expected an address like 127.0.0.1:8080, *:8080, [::1]:8080 or unix:/run/eider.sock";
    for (int i = 1; i < argc; i++)
        if ((why = listen_option(&lp, l->addr.ss_family, argv[i])) != NULL)
            return why;
    if (l->ssl && l->proxy_protocol)
        return "proxy_protocol together with ssl is not supported: terminate TLS in the proxy "
               "(or give each its own listen)";
    for (size_t i = 0; i < cfg->nlistens; i++)
        if (cfg->listens[i].addrlen == l->addrlen && memcmp(&cfg->listens[i].addr, &l->addr, l->addrlen) == 0)
            return "this address is already listened on";
    l->text = eider_strdup(argv[0]);
    l->where = cfg->at != NULL ? eider_strdup(cfg->at) : NULL;
    /* The same words and relative paths as the access_log directive. */
    if (lp.own_log != NULL)
        l->access_log = eider_one_of(lp.own_log, "off stdout stderr") >= 0
            ? eider_strdup(lp.own_log) : eider_config_path(cfg->dir, lp.own_log);
    l->status_path = lp.own_status != NULL ? eider_strdup(lp.own_status) : NULL;
    cfg->listens = eider_realloc(cfg->listens, (cfg->nlistens + 1) * sizeof(*cfg->listens));
    cfg->listens[cfg->nlistens++] = *l;
    return NULL;
}
