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
 *                  old workers keep serving and nothing changes.
 *   SIGTERM/QUIT   graceful stop: workers drain, then the master exits
 *   SIGINT         fast stop
 *   SIGUSR1        reopen logs, here and in workers
 *
 * Each worker has a pipe back to the master on which it writes one byte
 * once it accepts; that is when a reload commits, and when systemd and the
 * daemon's parent are told the server is ready.
 *
 * Twice a second the master also looks at each worker's scoreboard slot:
 * the watchdog kills a worker stuck in one run of JavaScript for
 * worker_stuck_timeout (what Duktape's interrupt hook cannot stop), and a
 * worker past worker_max_requests or worker_max_rss, or one that reached
 * js_memory_limit, is recycled: a replacement starts first, and once it
 * accepts, the old worker drains as after a reload.
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
#include "router.h"
#include "runtime.h"
#include "scoreboard.h"
#include "sources.h"
#include "tls.h"
#include "worker.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 10000
#define YOUNG_MS 2000               /* a worker dying sooner counts as failing */
#define READY_TIMEOUT_MS 30000      /* a new worker must accept within this */
#define KILL_GRACE_MS 2000          /* after worker_shutdown_timeout */
#define CHECK_MS 500                /* watchdog and recycling limits */
/* A worker is recycled for worker_max_rss only once it has served a
 * request and lived this long: with a limit below what a fresh worker
 * needs, workers are replaced every few seconds, not in a tight loop. */
#define RSS_MIN_LIFETIME_MS 3000

struct slot {
    pid_t pid;                      /* 0: not running */
    int respawn;                    /* not running, to be replaced at respawn_at_ms */
    int gen;                        /* generation it belongs to */
    int index;                      /* number within its generation */
    int ready_fd;                   /* read end of its ready pipe, or -1 */
    int ready;
    int retiring;                   /* asked to drain; never replaced */
    long long started_ms;
    long long respawn_at_ms;        /* for a free slot of the current gen */
    long long kill_at_ms;           /* a retiring worker still here then is killed */
    int failures;                   /* consecutive young deaths */
    int restarts;                   /* replacements so far, for status */
    long long max_requests;         /* worker_max_requests plus jitter; 0: none */
    int recycling;                  /* a replacement is starting; drains once it accepts */
    int replacement;                /* that replacement's slot */
    int stuck_killed;               /* the watchdog has sent SIGKILL */
};

/* What a generation of workers is made from. */
struct generation {
    struct eider_config *cfg;
    struct eider_router *router;
    struct eider_sources *sources;
    struct eider_listeners listeners;
};

struct master {
    struct generation cur;          /* the current generation's */
    struct generation prev;         /* kept until a reload commits (or aborts) */
    int gen;                        /* the current generation's number */
    int prev_gen;                   /* the previous one's, during a reload */
    int last_gen;                   /* the highest number given so far */
    int reloading;                  /* new generation not all ready yet */
    long long reload_started_ms;
    struct eider_slot *board;       /* shared with workers */
    struct slot slots[EIDER_SCOREBOARD_SLOTS];
    int ready_fd;                   /* daemon parent, or -1 */
    int announced;                  /* READY=1 sent */
    int start_failed;               /* a first worker died before accepting */
    long long next_check_ms;        /* of the watchdog and recycling limits */
    uint64_t rng;                   /* for worker_max_requests jitter */
    int rss_warned;                 /* worker_max_rss is below a fresh worker's */
};

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

static const int master_signals[] = { SIGCHLD, SIGTERM, SIGQUIT, SIGINT, SIGHUP, SIGUSR1 };
#define NSIGNALS (sizeof(master_signals) / sizeof(master_signals[0]))

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Workers of GEN (that accept, if READY_ONLY), not counting those being
 * replaced: a recycled worker and its replacement are one worker. */
static int count_gen(struct master *m, int gen, int ready_only)
{
    int n = 0;
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        const struct slot *s = &m->slots[i];
        if (s->pid > 0 && s->gen == gen && (!ready_only || s->ready) && !s->recycling && !s->retiring)
            n++;
    }
    return n;
}

/* xorshift64: jitter needs no more, and leaves rand()'s state alone. */
static uint64_t next_random(struct master *m)
{
    m->rng ^= m->rng << 13;
    m->rng ^= m->rng >> 7;
    m->rng ^= m->rng << 17;
    return m->rng;
}

/* A new worker's request limit: worker_max_requests plus up to a tenth
 * more, so that workers started together are not recycled together. */
static long long max_requests_jittered(struct master *m)
{
    long long n = m->cur.cfg->worker_max_requests;

    return n > 0 ? n + (long long)(next_random(m) % (uint64_t)(n / 10 + 1)) : 0;
}

/* Forks a worker of the current generation into slot i. */
static void spawn(struct master *m, int i, int index)
{
    struct slot *s = &m->slots[i];
    int fds[EIDER_MAX_LISTENERS], pipefd[2];
    pid_t pid;

    /* What the slot's previous worker left there must not be read as
     * this one's (a stale run start would trip the watchdog). */
    m->board[i] = (struct eider_slot){ 0 };
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        eider_log(EIDER_LOG_ERROR, "pipe: %s; retrying", strerror(errno));
        s->respawn_at_ms = now_ms() + BACKOFF_MIN_MS;
        return;
    }
    pid = fork();
    if (pid < 0) {
        eider_log(EIDER_LOG_ERROR, "fork: %s; retrying", strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        s->respawn_at_ms = now_ms() + BACKOFF_MIN_MS;
        return;
    }
    if (pid == 0) {
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        sigset_t none;
        for (size_t k = 0; k < NSIGNALS; k++)
            sigaction(master_signals[k], &dfl, NULL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(pipefd[0]);
        for (int k = 0; k < EIDER_SCOREBOARD_SLOTS; k++)
            if (m->slots[k].ready_fd >= 0)
                close(m->slots[k].ready_fd);
        /* Only this worker's own listening sockets stay open in it: one
         * it inherited but never accepts on would keep a dropped address
         * taking connections nobody answers. */
        int nfds = eider_listeners_fds(&m->cur.listeners, m->cur.cfg, index, fds, EIDER_MAX_LISTENERS);
        eider_listeners_close_others(&m->cur.listeners, fds, nfds);
        eider_listeners_close_others(&m->prev.listeners, fds, nfds);
        m->board[i] = (struct eider_slot){ .pid = getpid(), .generation = m->gen,
                                           .restarts = s->restarts, .started = time(NULL) };
        eider_scoreboard_set_self(&m->board[i]);
        struct eider_worker_args args = {
            .cfg = m->cur.cfg, .router = m->cur.router, .sources = m->cur.sources, .fds = fds,
            .nfds = nfds,
            .slot = &m->board[i], .board = m->board, .ready_fd = pipefd[1],
        };
        eider_worker_run(&args);
    }
    close(pipefd[1]);
    *s = (struct slot){ .pid = pid, .gen = m->gen, .index = index, .ready_fd = pipefd[0],
                        .started_ms = now_ms(), .failures = s->failures,
                        .restarts = s->restarts, .max_requests = max_requests_jittered(m) };
}

/* Starts the whole current generation in free slots. */
static int spawn_generation(struct master *m)
{
    int index = 0;

    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS && index < m->cur.cfg->workers; i++) {
        if (m->slots[i].pid == 0 && !m->slots[i].respawn) {
            m->slots[i].failures = 0;
            m->slots[i].restarts = 0;
            spawn(m, i, index++);
        }
    }
    return index == m->cur.cfg->workers ? 0 : -1;
}

static void signal_gen(struct master *m, int gen, int sig, int all)
{
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        if (m->slots[i].pid > 0 && (all || m->slots[i].gen == gen))
            kill(m->slots[i].pid, sig);
}

/* Tells every worker not of the current generation to drain and exit,
 * within DRAIN_S seconds (their own generation's worker_shutdown_timeout). */
static void retire_old(struct master *m, int drain_s)
{
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid > 0 && s->gen != m->gen && !s->retiring) {
            s->retiring = 1;
            s->kill_at_ms = now_ms() + (long long)drain_s * 1000 + KILL_GRACE_MS;
            m->board[i].draining = 1;
            kill(s->pid, SIGQUIT);
        }
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
    retire_old(m, m->prev.cfg->worker_shutdown_timeout);
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        if (m->slots[i].respawn && m->slots[i].gen != m->gen)
            m->slots[i] = (struct slot){ .ready_fd = -1 };   /* replaced by the new generation */
    if (m->prev.cfg->pid_file != NULL && (m->cur.cfg->pid_file == NULL
                                          || strcmp(m->prev.cfg->pid_file, m->cur.cfg->pid_file) != 0))
        eider_pidfile_remove(m->prev.cfg->pid_file);
    if (m->cur.cfg->pid_file != NULL) {
        char err[512];
        if (eider_pidfile_write(m->cur.cfg->pid_file, err, sizeof(err)) < 0)
            eider_log(EIDER_LOG_ERROR, "%s", err);
    }
    free_generation(&m->prev, &m->cur);
    eider_notify("READY=1");
    eider_log(EIDER_LOG_NOTICE, "reloaded: %d worker%s of generation %d accepting, "
              "older workers draining", m->cur.cfg->workers, m->cur.cfg->workers == 1 ? "" : "s", m->gen);
}

/* The new generation could not start: kill it, keep the old one. */
static void abort_reload(struct master *m, const char *why)
{
    eider_log(EIDER_LOG_ERROR, "reload failed, keeping the old workers: %s", why);
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        struct slot *s = &m->slots[i];
        if (s->gen == m->gen && s->pid > 0) {
            kill(s->pid, SIGKILL);
            s->retiring = 1;
        } else if (s->gen == m->gen && s->respawn) {
            *s = (struct slot){ .ready_fd = -1 };
        }
    }
    free_generation(&m->cur, &m->prev);
    m->cur = m->prev;
    m->prev = (struct generation){ 0 };
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
    if (cfg == NULL || eider_handlers_check(cfg, &router, &sources, err, sizeof(err)) < 0
        || eider_listeners_plan(&m->cur.listeners, &next, cfg, cfg->workers, err, sizeof(err)) < 0) {
        eider_log(EIDER_LOG_ERROR, "reload failed, keeping the old workers: %s", err);
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
    m->reload_started_ms = now_ms();
    if (spawn_generation(m) < 0)
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

static void reap(struct master *m, int stopping)
{
    pid_t pid;
    int status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        struct slot *s = NULL;
        int i;
        for (i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
            if (m->slots[i].pid == pid) {
                s = &m->slots[i];
                break;
            }
        if (s == NULL)
            continue;
        int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        /* A worker being recycled already has its replacement. */
        if (s->retiring || s->recycling || stopping) {
            if (!clean && !stopping)
                log_death(m, i, pid, status);
            eider_log(EIDER_LOG_INFO, "worker %d of generation %d has exited", (int)pid, s->gen);
            if (s->ready_fd >= 0)
                close(s->ready_fd);
            *s = (struct slot){ .ready_fd = -1 };
            continue;
        }
        log_death(m, i, pid, status);
        long long lived = now_ms() - s->started_ms;
        int was_ready = s->ready;
        if (s->ready_fd >= 0)
            close(s->ready_fd);
        s->ready_fd = -1;
        s->pid = 0;
        s->ready = 0;
        if (m->reloading && s->gen == m->gen && !was_ready) {
            *s = (struct slot){ .ready_fd = -1 };
            abort_reload(m, "a new worker died before accepting (see above)");
            continue;
        }
        if (!m->announced && !was_ready) {
            /* Nothing has ever served: fail the start rather than loop. */
            *s = (struct slot){ .ready_fd = -1 };
            m->start_failed = 1;
            continue;
        }
        if (lived < YOUNG_MS) {
            int shift = s->failures < 10 ? s->failures : 10;
            long long delay = (long long)BACKOFF_MIN_MS << shift;
            if (delay > BACKOFF_MAX_MS)
                delay = BACKOFF_MAX_MS;
            s->failures++;
            s->respawn_at_ms = now_ms() + delay;
            eider_log(EIDER_LOG_WARN, "worker died %lld ms after start; restarting in %lld ms",
                      lived, delay);
        } else {
            s->failures = 0;
            s->respawn_at_ms = now_ms();
        }
        s->respawn = 1;
        s->restarts++;
    }
}

/* Replaces dead workers whose back-off has passed; returns the ms until
 * the next one is due (or -1). */
static long long respawn_due(struct master *m)
{
    long long now = now_ms(), next = -1;

    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        struct slot *s = &m->slots[i];
        if (!s->respawn || s->gen != m->gen)
            continue;
        if (s->respawn_at_ms <= now) {
            s->respawn = 0;
            spawn(m, i, s->index);
        } else if (next < 0 || s->respawn_at_ms - now < next) {
            next = s->respawn_at_ms - now;
        }
    }
    return next;
}

/* Reads the ready pipes that poll() says have something. */
static void read_ready(struct master *m, struct pollfd *pfd, const int *slot_of, int n)
{
    for (int k = 0; k < n; k++) {
        struct slot *s = &m->slots[slot_of[k]];
        char c;
        if (!(pfd[k].revents & (POLLIN | POLLHUP)))
            continue;
        if (read(s->ready_fd, &c, 1) == 1 && c == 'R') {
            s->ready = 1;
            s->failures = s->failures > 0 && now_ms() - s->started_ms >= YOUNG_MS ? 0 : s->failures;
        }
        close(s->ready_fd);
        s->ready_fd = -1;
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
    signal_gen(m, 0, SIGUSR1, 1);
    eider_log(EIDER_LOG_NOTICE, "logs reopened");
}

/* Old workers stuck past worker_shutdown_timeout (in a long handler the
 * worker's own timer cannot fire) are killed. Returns 1 while any old
 * worker is still draining, so the loop keeps checking. */
static int kill_overdue(struct master *m)
{
    int draining = 0;

    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid <= 0 || !s->retiring)
            continue;
        draining = 1;
        if (s->kill_at_ms > 0 && now_ms() > s->kill_at_ms) {
            eider_log(EIDER_LOG_WARN, "old worker %d still busy after worker_shutdown_timeout; "
                      "killing it", (int)s->pid);
            kill(s->pid, SIGKILL);
            s->kill_at_ms = 0;   /* once */
        }
    }
    return draining;
}

/* Starts a replacement for the worker in slot i, which keeps serving until
 * the replacement accepts (finish_recycling). WHY is logged. */
static void recycle(struct master *m, int i, const char *why)
{
    struct slot *s = &m->slots[i];

    for (int j = 0; j < EIDER_SCOREBOARD_SLOTS; j++) {
        if (m->slots[j].pid != 0 || m->slots[j].respawn)
            continue;
        eider_log(EIDER_LOG_NOTICE, "worker %d %s, recycling", (int)s->pid, why);
        m->slots[j].failures = 0;
        m->slots[j].restarts = s->restarts;
        spawn(m, j, s->index);
        s->recycling = 1;
        s->replacement = j;
        return;
    }
    /* No free slot (two generations of 1024 draining): next check. */
}

/* Why the worker in slot i should be recycled now, or NULL. */
static const char *recycle_reason(struct master *m, int i, char *buf, size_t len)
{
    const struct eider_config *cfg = m->cur.cfg;
    struct slot *s = &m->slots[i];
    struct eider_slot *b = &m->board[i];
    unsigned long long requests = b->requests;

    if (__atomic_load_n(&b->retire, __ATOMIC_ACQUIRE)) {
        snprintf(buf, len, "reached %.31s", b->retire_why);
        return buf;
    }
    if (s->max_requests > 0 && requests >= (unsigned long long)s->max_requests) {
        snprintf(buf, len, "served %llu requests (worker_max_requests)", requests);
        return buf;
    }
    if (cfg->worker_max_rss > 0) {
        size_t rss = eider_scoreboard_rss(s->pid);
        if (rss <= cfg->worker_max_rss)
            return NULL;
        if (requests == 0 && !m->rss_warned) {
            m->rss_warned = 1;
            eider_log(EIDER_LOG_WARN, "worker_max_rss (%zuk) is below what a fresh worker uses "
                      "(%zuk): workers will be replaced every few seconds; raise it",
                      cfg->worker_max_rss / 1024, rss / 1024);
        }
        if (requests > 0 && now_ms() - s->started_ms >= RSS_MIN_LIFETIME_MS) {
            snprintf(buf, len, "uses %zuk of memory (worker_max_rss %zuk)", rss / 1024,
                     cfg->worker_max_rss / 1024);
            return buf;
        }
    }
    return NULL;
}

/* The watchdog: kills a worker whose current run of JavaScript began
 * worker_stuck_timeout ago. Its death is then handled like any other
 * (logged with the request, replaced). */
static void watchdog(struct master *m, int i, long long now)
{
    struct slot *s = &m->slots[i];
    const struct eider_slot *b = &m->board[i];
    long long since = b->run_since_ms, limit = (long long)m->cur.cfg->worker_stuck_timeout * 1000;

    if (limit == 0 || since == 0 || s->stuck_killed || now - since <= limit)
        return;
    if (b->run_is_request)
        eider_log(EIDER_LOG_ERROR, "worker %d stuck for %llds on request %.120s, killing it "
                  "(worker_stuck_timeout)", (int)s->pid, (now - since) / 1000, b->request);
    else
        eider_log(EIDER_LOG_ERROR, "worker %d stuck for %llds in a callback (last request "
                  "%.120s), killing it (worker_stuck_timeout)", (int)s->pid, (now - since) / 1000,
                  b->request);
    kill(s->pid, SIGKILL);
    s->stuck_killed = 1;
}

/* A recycled worker drains once its replacement accepts. */
static void finish_recycling(struct master *m)
{
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        struct slot *s = &m->slots[i], *r;
        if (s->pid <= 0 || !s->recycling || s->retiring)
            continue;
        r = &m->slots[s->replacement];
        if (r->pid > 0 && !r->ready)
            continue;
        if (r->pid <= 0 && r->respawn)
            continue;   /* it died young and comes back after its back-off */
        if (r->pid > 0)
            eider_log(EIDER_LOG_INFO, "worker %d replaced by %d; draining", (int)s->pid, (int)r->pid);
        s->retiring = 1;
        s->kill_at_ms = now_ms() + (long long)m->cur.cfg->worker_shutdown_timeout * 1000 + KILL_GRACE_MS;
        m->board[i].draining = 1;
        kill(s->pid, SIGQUIT);
    }
}

/* Every CHECK_MS: the watchdog for every worker, and the recycling limits
 * for the current generation's, except during a reload (which replaces
 * them all anyway). Returns the ms until the next check is due. */
static long long check_workers(struct master *m)
{
    long long now = now_ms(), clock = eider_scoreboard_clock_ms();
    char why[128];

    if (now < m->next_check_ms)
        return m->next_check_ms - now;
    m->next_check_ms = now + CHECK_MS;
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid <= 0)
            continue;
        watchdog(m, i, clock);
        if (s->gen != m->gen || !s->ready || s->retiring || s->recycling || s->stuck_killed
            || m->reloading)
            continue;
        const char *reason = recycle_reason(m, i, why, sizeof(why));
        if (reason != NULL)
            recycle(m, i, reason);
    }
    return CHECK_MS;
}

static int workers_alive(struct master *m)
{
    int n = 0;
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        n += m->slots[i].pid > 0;
    return n;
}

/* One wait: ppoll on the ready pipes with signals unblocked. */
static void wait_events(struct master *m, long long timeout_ms, const sigset_t *mask)
{
    struct pollfd pfd[EIDER_SCOREBOARD_SLOTS];
    int slot_of[EIDER_SCOREBOARD_SLOTS], n = 0;
    struct timespec ts, *tsp = NULL;

    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        if (m->slots[i].ready_fd >= 0) {
            pfd[n] = (struct pollfd){ .fd = m->slots[i].ready_fd, .events = POLLIN };
            slot_of[n++] = i;
        }
    if (timeout_ms >= 0) {
        ts.tv_sec = timeout_ms / 1000;
        ts.tv_nsec = (timeout_ms % 1000) * 1000000;
        tsp = &ts;
    }
    if (ppoll(pfd, (nfds_t)n, tsp, mask) > 0)
        read_ready(m, pfd, slot_of, n);
}

/* Stop: workers drain (SIGQUIT) or leave at once (SIGINT); stragglers
 * are killed after worker_shutdown_timeout. */
static void stop(struct master *m, int sig, const sigset_t *mask)
{
    /* A fast stop cannot wait for a handler busy in JavaScript either. */
    long long deadline = now_ms() + (sig == SIGINT ? KILL_GRACE_MS
                                     : (long long)m->cur.cfg->worker_shutdown_timeout * 1000 + KILL_GRACE_MS);

    eider_notify("STOPPING=1");
    eider_log(EIDER_LOG_NOTICE, "%s: stopping %d worker%s", sig == SIGINT ? "fast stop" : "graceful stop",
              workers_alive(m), workers_alive(m) == 1 ? "" : "s");
    signal_gen(m, 0, sig, 1);
    while (workers_alive(m) > 0) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            eider_log(EIDER_LOG_WARN, "workers did not stop in time; killing them");
            signal_gen(m, 0, SIGKILL, 1);
            deadline = now_ms() + KILL_GRACE_MS;
            left = KILL_GRACE_MS;
        }
        wait_events(m, left < 100 ? left : 100, mask);
        got_chld = 0;
        reap(m, 1);
    }
}

int eider_master_run(struct eider_config *cfg, struct eider_router *router,
                     struct eider_sources *sources, int ready_fd)
{
    static struct master master;
    struct master *m = &master;
    struct sigaction sa = { .sa_handler = on_signal };
    sigset_t block, wait_mask;
    char err[1024];
    int stop_sig = 0;

    m->cur.cfg = cfg;
    m->cur.router = router;
    m->cur.sources = sources;
    m->ready_fd = ready_fd;
    m->rng = ((uint64_t)now_ms() << 22) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;   /* not 0 */
    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS; i++)
        m->slots[i].ready_fd = -1;
    sigemptyset(&block);
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < NSIGNALS; k++) {
        sigaction(master_signals[k], &sa, NULL);
        sigaddset(&block, master_signals[k]);
    }
    signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_BLOCK, &block, &wait_mask);

    /* main() opened the global access log; like it, a listener's own stops the start. */
    if (eider_access_open_listeners(cfg, EIDER_LOG_CRIT) < 0) {
        free_generation(&m->cur, &m->prev);
        return 1;
    }
    if (eider_listeners_plan(&m->prev.listeners, &m->cur.listeners, cfg, cfg->workers,
                             err, sizeof(err)) < 0) {
        eider_log(EIDER_LOG_CRIT, "%s", err);
        free_generation(&m->cur, &m->prev);
        return 1;
    }
    m->board = eider_scoreboard_create();
    if (m->board == NULL) {
        eider_log(EIDER_LOG_CRIT, "cannot map the scoreboard: %s", strerror(errno));
        free_generation(&m->cur, &m->prev);
        return 1;
    }
    eider_log(EIDER_LOG_NOTICE, "eider %s master started, %d worker%s", PACKAGE_VERSION,
              cfg->workers, cfg->workers == 1 ? "" : "s");
    eider_tls_init_ticket_secret();   /* before the first fork: all workers share it */
    spawn_generation(m);

    while (!stop_sig) {
        long long timeout = respawn_due(m);

        if (!m->announced && count_gen(m, m->gen, 1) == m->cur.cfg->workers)
            announce_ready(m);
        if (m->reloading && count_gen(m, m->gen, 1) == m->cur.cfg->workers)
            commit_reload(m);
        else if (m->reloading && now_ms() - m->reload_started_ms > READY_TIMEOUT_MS)
            abort_reload(m, "new workers did not start accepting in time");
        if ((m->reloading || kill_overdue(m)) && (timeout < 0 || timeout > 100))
            timeout = 100;
        if (workers_alive(m) > 0) {
            long long check = check_workers(m);
            if (timeout < 0 || check < timeout)
                timeout = check;
        }
        wait_events(m, timeout, &wait_mask);
        finish_recycling(m);

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
            reload(m);
        }
    }
    stop(m, stop_sig, &wait_mask);
    eider_log(EIDER_LOG_NOTICE, "master exiting");
    eider_pidfile_remove(m->cur.cfg->pid_file);
    free_generation(&m->prev, &m->cur);
    free_generation(&m->cur, &m->prev);   /* prev is empty: closes every socket */
    return m->start_failed ? 1 : 0;
}
