/*
 * Master life cycle, after nginx's ngx_process_cycle.c: signal handlers
 * only set flags; the loop sleeps in ppoll() (signals are unblocked only
 * there, so none is missed) and acts on them.
 *
 *   SIGCHLD        reap; a dead worker of the current generation is
 *                  replaced, with back-off when workers keep dying young
 *   SIGHUP         reload: load and check the config and every handler; if
 *                  both are good, start a new generation of workers on the
 *                  same sockets, and once all of them accept, ask the old
 *                  generation to drain and exit. If anything is wrong the
 *                  old workers keep serving and nothing changes. Shared
 *                  dictionaries of the same name and size are kept
 *                  (shdict_zones.c), contents and all.
 *   SIGTERM/QUIT   graceful stop: workers drain, then the master exits
 *   SIGINT         fast stop
 *   SIGUSR1        reopen logs, here and in workers
 *
 * In watch mode (watch on;) a change under the handlers root, seen with
 * inotify (watch.c), is a SIGHUP too: once the burst of events has been
 * quiet for WATCH_DEBOUNCE_MS.
 *
 * Each worker has a pipe back to the master on which it writes one byte
 * once it accepts; that is when a reload commits, and when systemd and the
 * daemon's parent are told the server is ready.
 *
 * Twice a second the master also looks at each worker's scoreboard slot
 * (the watchdog, recycling): master_slots.c, which keeps the worker slots
 * and their states.
 */
#include "autoconfig.h"
#include "master.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "listen.h"
#include "log.h"
#include "lower.h"
#include "router.h"
#include "runtime.h"
#include "scoreboard.h"
#include "shdict.h"
#include "sources.h"
#include "tls.h"
#include "watch.h"
#include "worker.h"
#include "master_internal.h"

/* Frees G; its listening sockets not also in KEEP are closed. */
static void free_generation(struct generation *g, const struct generation *keep)
{
    eider_listeners_retire(&g->listeners, &keep->listeners);
    eider_config_free(g->cfg);
    eider_router_free(g->router);
    eider_sources_free(g->sources);
    *g = (struct generation){ 0 };
}

static volatile sig_atomic_t got_chld, got_term, got_quit, got_int, got_hup, got_usr1;

static void on_signal(int sig)
{
    switch (sig) {
    case SIGCHLD: got_chld = 1; break;
    case SIGTERM: got_term = 1; break;
    case SIGQUIT: got_quit = 1; break;
    case SIGINT:  got_int = 1; break;
    case SIGHUP:  got_hup = 1; break;
    case SIGUSR1: got_usr1 = 1; break;
    }
}

const int eider_master_signals[] = { SIGCHLD, SIGTERM, SIGQUIT, SIGINT, SIGHUP, SIGUSR1 };
_Static_assert(sizeof(eider_master_signals) / sizeof(eider_master_signals[0]) == EIDER_MASTER_NSIGNALS,
               "EIDER_MASTER_NSIGNALS counts eider_master_signals");

/* Tells every worker not of the current generation to drain and exit,
 * within DRAIN_S seconds (their own generation's worker_shutdown_timeout). */
static void retire_old(struct master *m, int drain_s)
{
    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (eider_slot_has_worker(s) && s->gen != m->gen && s->state != SLOT_DRAINING)
            eider_slots_drain(m, i, drain_s);
    }
}

static void announce_ready(struct master *m)
{
    char state[64];

    if (m->announced)
        return;
    m->announced = 1;
    snprintf(state, sizeof(state), "READY=1\nMAINPID=%d", (int)getpid());
    eider_notify(state);
    eider_daemon_ready(m->ready_fd);
    m->ready_fd = -1;
    eider_log(EIDER_LOG_NOTICE, "ready: %d worker%s accepting", m->cur.cfg->workers,
              m->cur.cfg->workers == 1 ? "" : "s");
}

/* The new generation is all up: the old one drains. */
static void commit_reload(struct master *m)
{
    m->reloading = 0;
    eider_scoreboard_server(m->board)->reloads++;
    retire_old(m, m->prev.cfg->worker_shutdown_timeout);
    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].state == SLOT_WAITING && m->slots[i].gen != m->gen)
            eider_slot_enter(m, i, SLOT_FREE);   /* replaced by the new generation */
    if (m->prev.cfg->pid_file != NULL && (m->cur.cfg->pid_file == NULL
                                          || strcmp(m->prev.cfg->pid_file, m->cur.cfg->pid_file) != 0))
        eider_pidfile_remove(m->prev.cfg->pid_file);
    if (m->cur.cfg->pid_file != NULL) {
        char err[512];
        if (eider_pidfile_write(m->cur.cfg->pid_file, err, sizeof(err)) < 0)
            eider_log(EIDER_LOG_ERROR, "%s", err);
    }
    free_generation(&m->prev, &m->cur);
    eider_shdict_zones_retain(m->cur.cfg, NULL);   /* draining workers keep their own mappings */
    eider_notify("READY=1");
    eider_log(EIDER_LOG_NOTICE, "reloaded: %d worker%s of generation %d accepting, "
              "older workers draining", m->cur.cfg->workers, m->cur.cfg->workers == 1 ? "" : "s", m->gen);
}

/* Logs why a reload failed, at error level. In watch mode the developer
 * watches the terminal: when the error log goes elsewhere, the message
 * (with the broken file's file:line:column) is printed to stderr too;
 * watch mode never runs as a daemon, so stderr is the terminal. */
static void report_reload_failure(const struct master *m, const char *why)
{
    eider_log(EIDER_LOG_ERROR, "reload failed, keeping the old workers: %s", why);
    eider_scoreboard_server(m->board)->reload_failures++;
    if (m->cur.cfg->watch && strcmp(m->cur.cfg->error_log, "stderr") != 0)
        fprintf(stderr, "eider: reload failed, keeping the old workers: %s\n", why);
}

/* The new generation could not start: kill it, keep the old one. */
static void abort_reload(struct master *m, const char *why)
{
    report_reload_failure(m, why);
    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->gen == m->gen && eider_slot_has_worker(s)) {
            kill(s->pid, SIGKILL);
            s->killed = 1;
            if (s->state != SLOT_DRAINING)
                eider_slot_enter(m, i, SLOT_DRAINING);   /* kill_at_ms stays 0: killed already */
        } else if (s->gen == m->gen && s->state == SLOT_WAITING) {
            eider_slot_enter(m, i, SLOT_FREE);
        }
    }
    free_generation(&m->cur, &m->prev);
    m->cur = m->prev;
    m->prev = (struct generation){ 0 };
    eider_shdict_zones_retain(m->cur.cfg, NULL);
    if (eider_log_open(m->cur.cfg->error_log, m->cur.cfg->error_level) < 0
        || eider_access_open(m->cur.cfg->access_log) < 0)
        eider_log(EIDER_LOG_ERROR, "cannot reopen the previous logs: %s", strerror(errno));
    eider_access_open_listeners(m->cur.cfg, EIDER_LOG_ERROR);
    /* The old generation is current again; its number stays unused, since
     * killed workers of the aborted one may not be reaped yet. */
    m->gen = m->prev_gen;
    m->reloading = 0;
    eider_notify("READY=1");
}

/* Loads the config and handlers again and starts a new generation. */
static void reload(struct master *m)
{
    struct eider_config *cfg;
    struct eider_router *router = NULL;
    struct eider_sources *sources = NULL;
    struct eider_listeners next;
    char err[2048];

    struct timespec ts;
    char state[64];

    clock_gettime(CLOCK_MONOTONIC, &ts);
    snprintf(state, sizeof(state), "RELOADING=1\nMONOTONIC_USEC=%lld",
             (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
    eider_notify(state);
    eider_log(EIDER_LOG_NOTICE, "reloading %s", m->cur.cfg->file ? m->cur.cfg->file : "(embedded default)");
    cfg = eider_config_load(m->cur.cfg->file, m->cur.cfg->extra, err, sizeof(err));
    /* The zones first: the check runs handlers' top-level code. A zone
     * with the same name and size is kept, contents and all. */
    if (cfg == NULL || eider_shdict_zones_sync(cfg, err, sizeof(err)) < 0
        || eider_handlers_check(cfg, &router, &sources, err, sizeof(err)) < 0
        || eider_listeners_plan(&m->cur.listeners, &next, cfg, cfg->workers, err, sizeof(err)) < 0) {
        report_reload_failure(m, err);
        eider_shdict_zones_retain(m->cur.cfg, NULL);
        eider_config_free(cfg);
        eider_router_free(router);
        eider_sources_free(sources);
        eider_notify("READY=1");
        return;
    }
    if (eider_log_open(cfg->error_log, cfg->error_level) < 0)
        eider_log(EIDER_LOG_ERROR, "cannot open error log %s: %s", cfg->error_log, strerror(errno));
    if (eider_access_open(cfg->access_log) < 0)
        eider_log(EIDER_LOG_ERROR, "cannot open access log %s: %s", cfg->access_log, strerror(errno));
    eider_access_open_listeners(cfg, EIDER_LOG_ERROR);   /* logs what it cannot open */
    m->prev = m->cur;
    m->cur = (struct generation){ cfg, router, sources, next };
    m->prev_gen = m->gen;
    m->gen = ++m->last_gen;
    m->reloading = 1;
    m->reload_started_ms = eider_now_ms();
    if (eider_slots_spawn_generation(m) < 0)
        abort_reload(m, "no free worker slot (too many generations still draining)");
}

/* Logs how a worker ended, with the request it was serving if any. */
static void log_death(struct master *m, int i, pid_t pid, int status)
{
    const struct eider_slot *b = &m->board[i];
    char how[96], during[160] = "";

    if (WIFSIGNALED(status))
        snprintf(how, sizeof(how), "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
    if (b->busy)
        snprintf(during, sizeof(during), " while serving request %.120s", b->request);
    eider_log(EIDER_LOG_ERROR, "worker %d %s%s", (int)pid, how, during);
}

/* Reaps every worker that has ended. One that was draining or recycled
 * (its replacement exists), or any while STOPPING, leaves its slot free;
 * another is replaced after a back-off, unless it never accepted: then a
 * reload aborts, or a first start fails. */
static void reap(struct master *m, int stopping)
{
    pid_t pid;
    int status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        int i = eider_slots_of_pid(m, pid);
        if (i < 0)
            continue;
        struct slot *s = &m->slots[i];
        int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        /* Its counters go to the server's totals before anyone can
         * fork into its slot. */
        eider_scoreboard_fold(m->board, i);
        if (s->state == SLOT_DRAINING || s->state == SLOT_RECYCLING || stopping) {
            if (!clean && !stopping)
                log_death(m, i, pid, status);
            eider_log(EIDER_LOG_INFO, "worker %d of generation %d has exited", (int)pid, s->gen);
            eider_slot_enter(m, i, SLOT_FREE);
            continue;
        }
        log_death(m, i, pid, status);
        long long lived = eider_now_ms() - s->started_ms;
        int was_ready = s->state == SLOT_SERVING;
        if (m->reloading && s->gen == m->gen && !was_ready) {
            eider_slot_enter(m, i, SLOT_FREE);
            abort_reload(m, "a new worker died before accepting (see above)");
            continue;
        }
        if (!m->announced && !was_ready) {
            /* Nothing has ever served: fail the start rather than loop. */
            eider_slot_enter(m, i, SLOT_FREE);
            m->start_failed = 1;
            continue;
        }
        eider_slot_enter(m, i, SLOT_WAITING);
        if (s->ready_fd >= 0)
            close(s->ready_fd);
        s->ready_fd = -1;
        s->pid = 0;
        s->killed = 0;
        if (lived < YOUNG_MS) {
            int shift = s->failures < 10 ? s->failures : 10;
            long long delay = (long long)BACKOFF_MIN_MS << shift;
            if (delay > BACKOFF_MAX_MS)
                delay = BACKOFF_MAX_MS;
            s->failures++;
            s->respawn_at_ms = eider_now_ms() + delay;
            eider_log(EIDER_LOG_WARN, "worker died %lld ms after start; restarting in %lld ms",
                      lived, delay);
        } else {
            s->failures = 0;
            s->respawn_at_ms = eider_now_ms();
        }
        s->restarts++;
        eider_scoreboard_server(m->board)->restarts++;
    }
}

/* Chowns freshly reopened log files to the workers' user, so workers can
 * reopen them by path after USR1 (nginx does the same). */
static void reopen_logs(struct master *m)
{
    uid_t uid;
    gid_t gid;
    char err[256];

    eider_log_reopen();
    if (geteuid() == 0 && eider_worker_identity(m->cur.cfg, &uid, &gid, err, sizeof(err)) == 0)
        eider_log_chown(uid, gid);   /* the global and the listeners' access logs alike */
    eider_slots_signal(m, 0, SIGUSR1, 1);
    eider_log(EIDER_LOG_NOTICE, "logs reopened");
}

/* Stop: workers drain (SIGQUIT) or leave at once (SIGINT); stragglers
 * are killed after worker_shutdown_timeout. */
static void stop(struct master *m, int sig, const sigset_t *mask)
{
    /* A fast stop cannot wait for a handler busy in JavaScript either. */
    long long deadline = eider_now_ms() + (sig == SIGINT ? KILL_GRACE_MS
                                     : (long long)m->cur.cfg->worker_shutdown_timeout * 1000 + KILL_GRACE_MS);

    eider_notify("STOPPING=1");
    eider_log(EIDER_LOG_NOTICE, "%s: stopping %d worker%s", sig == SIGINT ? "fast stop" : "graceful stop",
              eider_slots_alive(m), eider_slots_alive(m) == 1 ? "" : "s");
    eider_slots_signal(m, 0, sig, 1);
    while (eider_slots_alive(m) > 0) {
        long long left = deadline - eider_now_ms();
        if (left <= 0) {
            eider_log(EIDER_LOG_WARN, "workers did not stop in time; killing them");
            eider_slots_signal(m, 0, SIGKILL, 1);
            deadline = eider_now_ms() + KILL_GRACE_MS;
            left = KILL_GRACE_MS;
        }
        eider_slots_wait(m, left < 100 ? left : 100, mask, -1);
        got_chld = 0;
        reap(m, 1);
    }
}

/* Setup: installs the signal handlers (blocked but in ppoll, WAIT_MASK
 * gets the mask to wait with), opens the listeners' access logs, binds,
 * maps the scoreboard and starts the first generation. Returns 0, or -1
 * having logged why (the caller frees the generation). */
static int master_init(struct master *m, sigset_t *wait_mask)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigset_t block;
    char err[1024];

    m->rng = ((uint64_t)eider_now_ms() << 22) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;   /* not 0 */
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        m->slots[i].ready_fd = -1;
    sigemptyset(&block);
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < EIDER_MASTER_NSIGNALS; k++) {
        sigaction(eider_master_signals[k], &sa, NULL);
        sigaddset(&block, eider_master_signals[k]);
    }
    signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_BLOCK, &block, wait_mask);

    /* main() opened the global access log; like it, a listener's own stops the start. */
    if (eider_access_open_listeners(m->cur.cfg, EIDER_LOG_CRIT) < 0)
        return -1;
    if (eider_listeners_plan(&m->prev.listeners, &m->cur.listeners, m->cur.cfg, m->cur.cfg->workers,
                             err, sizeof(err)) < 0) {
        eider_log(EIDER_LOG_CRIT, "%s", err);
        return -1;
    }
    if ((m->board = eider_scoreboard_create()) == NULL) {
        eider_log(EIDER_LOG_CRIT, "cannot map the scoreboard: %s", strerror(errno));
        return -1;
    }
    eider_log(EIDER_LOG_NOTICE, "eider %s master started, %d worker%s", PACKAGE_VERSION,
              m->cur.cfg->workers, m->cur.cfg->workers == 1 ? "" : "s");
    eider_tls_init_ticket_secret();   /* before the first fork: all workers share it */
    eider_slots_spawn_generation(m);
    return 0;
}

/* How long the loop may sleep: until the next respawn is due, at most
 * 100 ms while a reload or a drain is under way, and no later than the
 * next watchdog check. Also commits or aborts a reload whose time came. */
static long long master_timeout(struct master *m)
{
    long long timeout = eider_slots_respawn_due(m);

    if (!m->announced && eider_slots_count_gen(m, m->gen, 1) == m->cur.cfg->workers)
        announce_ready(m);
    if (m->reloading && eider_slots_count_gen(m, m->gen, 1) == m->cur.cfg->workers)
        commit_reload(m);
    else if (m->reloading && eider_now_ms() - m->reload_started_ms > READY_TIMEOUT_MS)
        abort_reload(m, "new workers did not start accepting in time");
    if ((m->reloading || eider_slots_kill_overdue(m)) && (timeout < 0 || timeout > 100))
        timeout = 100;
    if (eider_slots_alive(m) > 0) {
        long long check = eider_slots_check(m);
        if (timeout < 0 || check < timeout)
            timeout = check;
    }
    if (m->watch_due_ms > 0) {
        long long due = m->watch_due_ms - eider_now_ms();
        if (due < 0)
            due = 0;
        if (timeout < 0 || due < timeout)
            timeout = due;
    }
    return timeout;
}

/* Watch mode follows the current config: starts watching its handlers
 * root, moves to another root after a reload changed it, or stops when
 * watch is off. A root that cannot be watched is logged; the server goes
 * on without watching. */
static void sync_watch(struct master *m)
{
    const struct eider_config *cfg = m->cur.cfg;
    char err[512];

    if (m->watch != NULL && cfg->watch && strcmp(eider_watch_root(m->watch), cfg->handlers) == 0)
        return;
    if (m->watch == NULL && !cfg->watch)
        return;
    eider_watch_free(m->watch);
    m->watch = NULL;
    m->watch_due_ms = 0;
    if (!cfg->watch)
        return;
    m->watch = eider_watch_open(cfg->handlers, eider_lower_cache_dir(cfg->js_cache), err, sizeof(err));
    if (m->watch == NULL)
        eider_log(EIDER_LOG_ERROR, "%s", err);
    else
        eider_log(EIDER_LOG_NOTICE, "watching %s: a change reloads", cfg->handlers);
}

/* The loop: sleeps, then acts on what the signal handlers flagged.
 * Returns the signal to stop with (SIGQUIT: drain, SIGINT: at once). */
static int master_loop(struct master *m, const sigset_t *wait_mask)
{
    int stop_sig = 0;

    while (!stop_sig) {
        sync_watch(m);
        if (eider_slots_wait(m, master_timeout(m), wait_mask, m->watch ? eider_watch_fd(m->watch) : -1)
            && eider_watch_changed(m->watch) && m->watch_due_ms == 0)
            m->watch_due_ms = eider_now_ms() + WATCH_DEBOUNCE_MS;
        eider_slots_finish_recycling(m);

        if (got_term || got_quit || got_int)
            stop_sig = got_int ? SIGINT : SIGQUIT;
        if (got_chld) {
            got_chld = 0;
            reap(m, 0);
        }
        if (m->start_failed) {
            eider_log(EIDER_LOG_CRIT, "a worker could not start (see above); stopping");
            stop_sig = SIGINT;
        }
        if (got_usr1) {
            got_usr1 = 0;
            reopen_logs(m);
        }
        if (got_hup && !m->reloading && !stop_sig) {
            got_hup = 0;
            m->watch_due_ms = 0;   /* this reload reads the changes too */
            reload(m);
        }
        if (m->watch_due_ms > 0 && eider_now_ms() >= m->watch_due_ms && !m->reloading && !stop_sig) {
            m->watch_due_ms = 0;
            reload(m);
        }
    }
    return stop_sig;
}

/* Teardown: frees both generations, closing every listening socket. */
static void master_free(struct master *m)
{
    eider_watch_free(m->watch);
    m->watch = NULL;
    free_generation(&m->prev, &m->cur);
    free_generation(&m->cur, &m->prev);   /* prev is empty now: closes every socket */
}

int eider_master_run(struct eider_config *cfg, struct eider_router *router,
                     struct eider_sources *sources, int ready_fd)
{
    static struct master master;
    struct master *m = &master;
    sigset_t wait_mask;

    m->cur = (struct generation){ .cfg = cfg, .router = router, .sources = sources };
    m->ready_fd = ready_fd;
    if (master_init(m, &wait_mask) < 0) {
        master_free(m);
        return 1;
    }
    stop(m, master_loop(m, &wait_mask), &wait_mask);
    eider_log(EIDER_LOG_NOTICE, "master exiting");
    eider_pidfile_remove(m->cur.cfg->pid_file);
    master_free(m);
    return m->start_failed ? 1 : 0;
}
