/*
 * Command line: parse options, load the config (or the embedded default),
 * then test it (-t), print versions (-v), or run the master.
 */
#include "alloc.h"
#include "autoconfig.h"

#include <event2/event.h>
#include <getopt.h>
#include <http_parser.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "daemon.h"
#include "js_engine.h"
#include "log.h"
#include "master.h"
#include "router.h"
#include "runtime.h"
#include "shdict.h"
#include "sources.h"

/* The subcommands: `eider NAME ...` runs FUNCTION with the arguments from
 * NAME on; USAGE is its line in the help. */
static const struct subcommand {
    const char *name;
    int (*function)(int argc, char **argv);
    const char *usage;
} subcommands[] = {
    { "run", eider_cmd_run,
      "eider run [-c FILE] SCRIPT [ARGS...]   run a script (a job, a migration) and exit" },
    { "call", eider_cmd_call,
      "eider call [-c FILE] METHOD PATH [-H 'Name: value']... [-d BODY | -d @FILE]\n"
      "                                         one request through the handlers, no socket" },
    { "test", eider_cmd_test,
      "eider test [-c FILE] [DIR]             run the *.test.js files (default: tests/ under the handlers)" },
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: eider [-c FILE] [-g DIRECTIVES] [-w] [-t | -s SIGNAL] [-v] [-h]\n");
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        fprintf(out, "       %s\n", subcommands[i].usage);
    fprintf(out,
            "\n"
            "With no options, serves ./handlers on 127.0.0.1:8080 with one worker per core.\n"
            "\n"
            "  -c FILE        run from the config FILE (see man eider.conf)\n"
            "  -g DIRECTIVES  add directives after the config, e.g. -g 'workers 1;'\n"
            "  -w             watch mode: reload on every change under the handlers\n"
            "                 root, error details in 500 answers (as -g 'watch on;')\n"
            "  -t             test the config and compile every handler, then exit\n"
            "  -s SIGNAL      tell the running master to reload, stop, quit or reopen\n"
            "  -v             print the versions of eider and its libraries\n"
            "  -h             print this help\n");
}

static void versions(void)
{
    unsigned long hp = http_parser_version();

    printf("eider/%s\n", PACKAGE_VERSION);
    printf("libevent %s\n", event_get_version());
    printf("Duktape %ld.%ld.%ld\n", (long)DUK_VERSION / 10000, (long)DUK_VERSION / 100 % 100,
           (long)DUK_VERSION % 100);
    printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("http-parser %lu.%lu.%lu\n", (hp >> 16) & 255, (hp >> 8) & 255, hp & 255);
    printf("malloc: %s\n", EIDER_ALLOCATOR);
}

/* What the command line asked for. */
struct options {
    const char *conf_file;      /* -c, or NULL: the embedded default */
    const char *extra;          /* -g */
    const char *action;         /* -s */
    int test;                   /* -t */
    char *watch_extra;          /* -w: -g's text and "watch on;", owned */
};

/* Parses the command line into O. Returns -1 to go on, or the exit status
 * (after -v, -h or a usage error). */
static int parse_options(int argc, char **argv, struct options *o)
{
    int opt, watch = 0;

    while ((opt = getopt(argc, argv, "c:g:s:tvwh")) != -1) {
        switch (opt) {
        case 'c': o->conf_file = optarg; break;
        case 's': o->action = optarg; break;
        case 'g': o->extra = optarg; break;
        case 't': o->test = 1; break;
        case 'w': watch = 1; break;
        case 'v': versions(); return 0;
        case 'h': usage(stdout); return 0;
        default:  usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "eider: unexpected argument \"%s\"\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    /* -w is the directive after -g's, so a reload (which parses the
     * config and the extra text again) stays in watch mode. */
    if (watch) {
        if (asprintf(&o->watch_extra, "%s%swatch on;", o->extra ? o->extra : "", o->extra ? "\n" : "") < 0)
            return 1;
        o->extra = o->watch_extra;
    }
    return -1;
}

/* eider -t: checks the handlers of CFG (the config parsed already) as a
 * start would, short of binding and forking, and says so as nginx -t
 * does. Takes CFG. Returns the exit status. */
static int test_config(struct eider_config *cfg, const char *name)
{
    struct eider_router *router = NULL;
    struct eider_sources *sources = NULL;
    char err[2048];
    int rc;

    fprintf(stderr, "eider: the configuration file %s syntax is ok\n", name);
    rc = eider_handlers_check(cfg, &router, &sources, err, sizeof(err));
    if (rc < 0)
        fprintf(stderr, "eider: %s\neider: configuration file %s test failed\n", err, name);
    else
        fprintf(stderr, "eider: configuration file %s test is successful\n", name);
    eider_router_free(router);
    eider_sources_free(sources);
    eider_config_free(cfg);
    return rc < 0 ? 1 : 0;
}

/* Starts the server on CFG: checks every handler in the foreground (a
 * broken one stops the start with its file:line:column), opens the logs,
 * daemonizes if asked, writes the pid file and runs the master until it
 * stops. Takes CFG. Returns the exit status. */
static int start(struct eider_config *cfg)
{
    struct eider_router *router = NULL;
    struct eider_sources *sources = NULL;
    int rc, ready_fd = -1, daemonized;
    char err[2048];

    if (eider_handlers_check(cfg, &router, &sources, err, sizeof(err)) < 0) {
        fprintf(stderr, "eider: %s\n", err);
        goto fail;
    }
    if (eider_log_open(cfg->error_log, cfg->error_level) < 0) {
        fprintf(stderr, "eider: cannot open error log %s: %m\n", cfg->error_log);
        goto fail;
    }
    if (eider_access_open(cfg->access_log) < 0) {
        fprintf(stderr, "eider: cannot open access log %s: %m\n", cfg->access_log);
        goto fail;
    }
    if (cfg->daemon && (ready_fd = eider_daemonize()) < 0) {
        fprintf(stderr, "eider: cannot go to the background: %m\n");
        goto fail;
    }
    /* After daemonizing, so it names the master; stderr is still the
     * terminal here. */
    if (cfg->pid_file != NULL && eider_pidfile_write(cfg->pid_file, err, sizeof(err)) < 0) {
        fprintf(stderr, "eider: %s\n", err);
        goto fail;
    }
    daemonized = cfg->daemon;
    char *pid_file = cfg->pid_file ? eider_strdup(cfg->pid_file) : NULL;
    rc = eider_master_run(cfg, router, sources, ready_fd);   /* takes all three */
    eider_pidfile_remove(pid_file);   /* also after a failed start */
    free(pid_file);
    if (rc != 0 && !daemonized)
        fprintf(stderr, "eider: failed to start; see the error log\n");
    return rc;

fail:
    eider_router_free(router);
    eider_sources_free(sources);
    eider_config_free(cfg);
    return 1;
}

int main(int argc, char **argv)
{
    struct options o = { 0 };
    struct eider_config *cfg;
    char err[2048];
    int rc;

    for (size_t i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].function(argc - 1, argv + 1);
    if ((rc = parse_options(argc, argv, &o)) >= 0)
        return rc;
    const char *name = o.conf_file ? o.conf_file : "(embedded default)";
    cfg = eider_config_load(o.conf_file, o.extra, err, sizeof(err));   /* keeps its own copy */
    free(o.watch_extra);
    if (cfg == NULL) {
        fprintf(stderr, "eider: %s\n", err);
        if (o.test)
            fprintf(stderr, "eider: configuration file %s test failed\n", name);
        return 1;
    }
    if (o.action != NULL) {
        rc = eider_signal_master(cfg, o.action, err, sizeof(err));
        if (rc < 0)
            fprintf(stderr, "eider: %s\n", err);
        eider_config_free(cfg);
        return rc < 0 ? 1 : 0;
    }
    /* Before the check: handlers' top-level code may use the zones. */
    if (eider_shdict_zones_sync(cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "eider: %s\n", err);
        eider_config_free(cfg);
        return 1;
    }
    return o.test ? test_config(cfg, name) : start(cfg);
}
