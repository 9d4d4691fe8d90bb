/*
 * The process global: pid, platform, arch, env holding only the variables
 * the config passes with "env NAME;" (read once when the heap is made),
 * version/versions, argv, execPath, cwd(), hrtime(), memoryUsage(),
 * uptime(), emitWarning(). process.nextTick() comes from the prelude,
 * whose microtask queue it runs on.
 */
#include "autoconfig.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#include "config.h"
#include "js_internal.h"
#include "log.h"

/* The Node.js release whose API eider's globals and built-in modules
 * follow. Packages parse process.version (semver checks) and look for
 * process.versions.node to know they run on Node's API rather than in a
 * browser; without it some crash on undefined, others pick browser code
 * that needs window or document. It is not a Node.js underneath. */
#define NODE_API_VERSION "20.0.0"

#if defined(__x86_64__)
#define ARCH "x64"
#elif defined(__aarch64__)
#define ARCH "arm64"
#elif defined(__i386__)
#define ARCH "ia32"
#elif defined(__arm__)
#define ARCH "arm"
#else
#define ARCH "unknown"
#endif

/* When this process's first heap was made, for uptime(); reset in a
 * forked worker (the pid differs), so that it counts from the worker's
 * start as Node's counts from the process's. */
static pid_t started_pid;
static struct timespec started;

static double seconds(const struct timespec *t)
{
    return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

/* process.cwd(): the working directory. */
static duk_ret_t process_cwd(duk_context *ctx)
{
    char buf[PATH_MAX];

    if (getcwd(buf, sizeof(buf)) == NULL)
        return duk_error(ctx, DUK_ERR_ERROR, "process.cwd: %m");
    duk_push_string(ctx, buf);
    return 1;
}

/* process.hrtime([previous]): [seconds, nanoseconds] of the monotonic
 * clock, or the time since previous (an earlier result). */
static duk_ret_t process_hrtime(duk_context *ctx)
{
    struct timespec ts;
    double sec, nsec;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    sec = (double)ts.tv_sec;
    nsec = (double)ts.tv_nsec;
    if (!duk_is_undefined(ctx, 0)) {
        if (!duk_is_array(ctx, 0) || duk_get_length(ctx, 0) != 2)
            return duk_type_error(ctx, "The \"time\" argument must be an array of 2 numbers");
        duk_get_prop_index(ctx, 0, 0);
        duk_get_prop_index(ctx, 0, 1);
        sec -= duk_to_number(ctx, -2);
        nsec -= duk_to_number(ctx, -1);
        if (nsec < 0) {
            sec -= 1;
            nsec += 1e9;
        }
    }
    duk_push_array(ctx);
    duk_push_number(ctx, sec);
    duk_put_prop_index(ctx, -2, 0);
    duk_push_number(ctx, nsec);
    duk_put_prop_index(ctx, -2, 1);
    return 1;
}

/* The resident set size in bytes, from /proc/self/statm; 0 if unknown. */
static double rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size, resident = 0;

    if (f != NULL) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE);
}

/* process.memoryUsage(): rss, and the JavaScript heap as the runtime's
 * allocator counts it (heapTotal and heapUsed alike: Duktape allocates
 * per object, with no reserved heap). */
static duk_ret_t process_memory_usage(duk_context *ctx)
{
    double heap = (double)eider_js_of(ctx)->heap_bytes;

    duk_push_object(ctx);
    duk_push_number(ctx, rss_bytes());
    duk_put_prop_string(ctx, -2, "rss");
    duk_push_number(ctx, heap);
    duk_put_prop_string(ctx, -2, "heapTotal");
    duk_push_number(ctx, heap);
    duk_put_prop_string(ctx, -2, "heapUsed");
    duk_push_int(ctx, 0);
    duk_put_prop_string(ctx, -2, "external");
    duk_push_int(ctx, 0);
    duk_put_prop_string(ctx, -2, "arrayBuffers");
    return 1;
}

/* process.memoryUsage.rss() */
static duk_ret_t process_rss(duk_context *ctx)
{
    duk_push_number(ctx, rss_bytes());
    return 1;
}

/* process.uptime(): seconds since this worker started. */
static duk_ret_t process_uptime(duk_context *ctx)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    duk_push_number(ctx, seconds(&now) - seconds(&started));
    return 1;
}

/* process.emitWarning(warning[, type | options]): logged at level warn,
 * as "Type: message" (Node prints it on stderr). */
static duk_ret_t process_emit_warning(duk_context *ctx)
{
    const char *type = "Warning";

    if (duk_is_string(ctx, 1))
        type = duk_get_string(ctx, 1);
    else if (duk_is_object(ctx, 1) && duk_get_prop_string(ctx, 1, "type") && duk_is_string(ctx, -1))
        type = duk_get_string(ctx, -1);
    if (duk_is_error(ctx, 0)) {
        eider_js_format_value(ctx, 0);
        eider_log(EIDER_LOG_WARN, "%s", duk_get_string(ctx, -1));
    } else {
        eider_log(EIDER_LOG_WARN, "%s: %s", type, duk_safe_to_string(ctx, 0));
    }
    return 0;
}

/* process.exit([code]): ends a script (eider run) at once with CODE, else
 * process.exitCode, else 0, as Node does. A handler runs in a worker that
 * serves other requests: there it throws. */
static duk_ret_t process_exit(duk_context *ctx)
{
    int code = 0;

    if (!eider_js_of(ctx)->script)
        return duk_error(ctx, DUK_ERR_ERROR, "process.exit() is for scripts run with eider run; "
                         "a handler answers with an error status instead");
    if (duk_is_undefined(ctx, 0)) {
        duk_push_this(ctx);
        duk_get_prop_string(ctx, -1, "exitCode");
        code = duk_is_number(ctx, -1) ? duk_get_int(ctx, -1) : 0;
    } else {
        code = duk_to_int(ctx, 0);
    }
    fflush(stdout);
    fflush(stderr);
    exit(code & 255);
}

static const duk_function_list_entry process_funcs[] = {
    { "exit", process_exit, 1 },
    { "cwd", process_cwd, 0 },
    { "hrtime", process_hrtime, 1 },
    { "memoryUsage", process_memory_usage, 0 },
    { "uptime", process_uptime, 0 },
    { "emitWarning", process_emit_warning, 2 },
    { NULL, NULL, 0 }
};

void eider_js_process_init(duk_context *ctx)
{
    const struct eider_js *js = eider_js_of(ctx);
    const struct eider_config *cfg = js->cfg;
    char exe[PATH_MAX];
    ssize_t n;

    if (started_pid != getpid()) {
        started_pid = getpid();
        clock_gettime(CLOCK_MONOTONIC, &started);
    }
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';

    duk_push_object(ctx);
    duk_push_int(ctx, (int)getpid());
    duk_put_prop_string(ctx, -2, "pid");
    duk_push_int(ctx, (int)getppid());
    duk_put_prop_string(ctx, -2, "ppid");
    duk_push_string(ctx, "linux");
    duk_put_prop_string(ctx, -2, "platform");
    duk_push_string(ctx, ARCH);
    duk_put_prop_string(ctx, -2, "arch");
    duk_push_string(ctx, "eider");
    duk_put_prop_string(ctx, -2, "title");
    duk_push_string(ctx, "v" NODE_API_VERSION);
    duk_put_prop_string(ctx, -2, "version");
    duk_push_object(ctx);
    duk_push_string(ctx, NODE_API_VERSION);
    duk_put_prop_string(ctx, -2, "node");
    duk_push_string(ctx, PACKAGE_VERSION);
    duk_put_prop_string(ctx, -2, "eider");
    duk_push_sprintf(ctx, "%ld.%ld.%ld", (long)DUK_VERSION / 10000, (long)DUK_VERSION / 100 % 100,
                     (long)DUK_VERSION % 100);
    duk_put_prop_string(ctx, -2, "duktape");
    duk_put_prop_string(ctx, -2, "versions");
    duk_push_object(ctx);
    duk_push_string(ctx, "eider");
    duk_put_prop_string(ctx, -2, "name");
    duk_put_prop_string(ctx, -2, "release");
    /* argv as Node has it: the executable, then the "main script", here
     * the handlers root. */
    duk_push_string(ctx, exe);
    duk_put_prop_string(ctx, -2, "execPath");
    duk_push_string(ctx, "eider");
    duk_put_prop_string(ctx, -2, "argv0");
    duk_push_array(ctx);
    duk_push_string(ctx, exe);
    duk_put_prop_index(ctx, -2, 0);
    if (js->script) {
        /* eider run: the script's real path, then its arguments. */
        for (int i = 1; i < js->script_argc; i++) {
            duk_push_string(ctx, js->script_argv[i]);
            duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
        }
    } else {
        duk_push_string(ctx, js->root ? js->root : cfg->handlers);
        duk_put_prop_index(ctx, -2, 1);
    }
    duk_put_prop_string(ctx, -2, "argv");
    duk_push_array(ctx);
    duk_put_prop_string(ctx, -2, "execArgv");
    duk_put_function_list(ctx, -1, process_funcs);
    duk_get_prop_string(ctx, -1, "memoryUsage");
    duk_push_c_function(ctx, process_rss, 0);
    duk_put_prop_string(ctx, -2, "rss");
    duk_pop(ctx);
    duk_push_bare_object(ctx);
    /* A script runs as its developer, with their environment (a
     * migration's DATABASE_URL); handlers only see what "env" passes. */
    for (char **e = js->script ? environ : NULL; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq != NULL) {
            duk_push_string(ctx, eq + 1);
            duk_put_prop_lstring(ctx, -2, *e, (duk_size_t)(eq - *e));
        }
    }
    for (size_t i = 0; i < cfg->nenv; i++) {
        const char *v = getenv(cfg->env[i]);
        if (v != NULL) {
            duk_push_string(ctx, v);
            duk_put_prop_string(ctx, -2, cfg->env[i]);
        }
    }
    duk_put_prop_string(ctx, -2, "env");
    duk_put_global_string(ctx, "process");
}
