/*
 * Command line: parse options, load the config (or the embedded default),
 * then test it (-t), print versions (-v), or run the master.
 */
#include "autoconfig.h"

#include <event2/event.h>
#include <getopt.h>
#include <http_parser.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon.h"
#include "js_engine.h"
#include "log.h"
#include "master.h"
#include "router.h"
#include "runtime.h"
#include "shdict.h"
#include "sources.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: eider [-c FILE] [-g DIRECTIVES] [-t | -s SIGNAL] [-v] [-h]\n"
            "\n"
            "With no options, serves ./handlers on 127.0.0.1:8080 with one worker per core.\n"
            "\n"
            "  -c FILE        run from the config FILE (see man eider.conf)\n"
            "  -g DIRECTIVES  add directives after the config, e.g. -g 'workers 1;'\n"
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

int main(int argc, char **argv)
{
    const char *conf_file = NULL, *extra = NULL, *action = NULL;
    int test = 0, opt, rc, ready_fd = -1, daemonized;
    struct eider_config *cfg;
    struct eider_router *router = NULL;
    struct eider_sources *sources = NULL;
    char err[2048];

    while ((opt = getopt(argc, argv, "c:g:s:tvh")) != -1) {
        switch (opt) {
        case 'c': conf_file = optarg; break;
        case 's': action = optarg; break;
        case 'g': extra = optarg; break;
        case 't': test = 1; break;
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

    const char *name = conf_file ? conf_file : "(embedded default)";
    cfg = eider_config_load(conf_file, extra, err, sizeof(err));
    if (cfg == NULL) {
        fprintf(stderr, "eider: %s\n", err);
        if (test)
            fprintf(stderr, "eider: configuration file %s test failed\n", name);
        return 1;
    }
    if (action != NULL) {
        rc = eider_signal_master(cfg, action, err, sizeof(err));
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
    if (test) {
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

    /* Fail in the foreground, before forking anything: a broken handler
     * stops the start with its file:line:column. */
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
    char *pid_file = cfg->pid_file ? strdup(cfg->pid_file) : NULL;
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
