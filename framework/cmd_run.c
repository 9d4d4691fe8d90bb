/*
 * eider run [-c FILE] [-g DIRECTIVES] SCRIPT [ARGS...]: runs SCRIPT with
 * the handlers' engine, built-in modules and lowering (modern JavaScript,
 * TypeScript), until nothing is pending on its loop. It runs as the
 * invoking user: it is the developer's own script (a migration, a cron
 * job), so nothing is dropped and its modules may come from anywhere.
 */
#include <event2/event.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "cmd.h"
#include "config.h"
#include "lower.h"
#include "runtime.h"
#include "shdict.h"
#include "sources.h"

#define RUN_USAGE "Usage: eider run [-c FILE] [-g DIRECTIVES] SCRIPT [ARGS...]\n"

/* Runs the script at the real path PATH in a runtime on CFG with process.argv
 * ARGV (ARGC). Returns the exit status. */
static int run_script(const struct eider_config *cfg, const char *path, int argc,
                      const char *const *argv)
{
    struct event_base *base = event_base_new();
    struct eider_sources *sources = eider_sources_new();   /* the texts it reads */
    struct eider_runtime_env env = {
        .cfg = cfg, .base = base, .sources = sources, .lower = eider_lower_batch,
        /* Modules resolve as Node resolves them, from anywhere. */
        .root = "/", .script_argv = argv, .script_argc = argc,
    };
    char err[2048];
    void *rt;
    int rc;

    rc = 1;
    if (base == NULL || sources == NULL)
        fprintf(stderr, "eider run: out of memory\n");
    else if ((rt = eider_js_runtime.create(&env, err, sizeof(err))) == NULL)
        fprintf(stderr, "eider run: %s\n", err);
    else {
        rc = eider_js_runtime.run(rt, path);
        eider_js_runtime.destroy(rt);
    }
    eider_lower_stop();
    eider_sources_free(sources);
    if (base != NULL)
        event_base_free(base);
    return rc;
}

int eider_cmd_run(int argc, char **argv)
{
    const char *conf_file = NULL, *extra = NULL;
    struct eider_config *cfg;
    char path[PATH_MAX], err[2048];
    int opt, rc;

    /* "+": options after SCRIPT are the script's. */
    optind = 1;
    while ((opt = getopt(argc, argv, "+c:g:h")) != -1) {
        switch (opt) {
        case 'c': conf_file = optarg; break;
        case 'g': extra = optarg; break;
        case 'h': fputs(RUN_USAGE, stdout); return 0;
        default:  fputs(RUN_USAGE, stderr); return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "eider run: which script? Name a FILE to run.\n" RUN_USAGE);
        return 2;
    }
    if (realpath(argv[optind], path) == NULL) {
        fprintf(stderr, "eider run: cannot open %s: %m\n", argv[optind]);
        return 1;
    }
    if ((cfg = eider_config_load(conf_file, extra, err, sizeof(err))) == NULL) {
        fprintf(stderr, "eider run: %s\n", err);
        return 1;
    }
    /* The config's shared dictionaries, fresh: a script reaches them as a
     * handler does (they live only as long as this process). */
    if (eider_shdict_zones_sync(cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "eider run: %s\n", err);
        eider_config_free(cfg);
        return 1;
    }
    /* process.argv: eider, the script, its arguments. */
    const char **sargv = eider_calloc((size_t)(argc - optind) + 2, sizeof(*sargv));
    sargv[0] = "eider";
    sargv[1] = path;
    for (int i = optind + 1; i < argc; i++)
        sargv[i - optind + 1] = argv[i];
    rc = run_script(cfg, path, argc - optind + 1, sargv);
    free(sargv);
    eider_config_free(cfg);
    return rc;
}
