/*
 * Master life cycle, after nginx's ngx_process_cycle.c: signal handlers
 * only set flags; the loop sleeps in sigsuspend() and acts on them.
 *
 *   SIGCHLD        reap; a dead worker is replaced, with back-off when
 *                  workers keep dying young (a broken handler must not
 *                  make the master fork in a tight loop)
 *   SIGTERM/QUIT   graceful stop: workers finish, then the master exits
 *   SIGINT         fast stop
 *   SIGUSR1        reopen logs, here and in workers
 *   SIGHUP         reload (issue 3; logged and ignored for now)
 */
#include "autoconfig.h"
#include "master.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "listen.h"
#include "log.h"
#include "router.h"
#include "worker.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 10000
#define YOUNG_MS 2000               /* a worker dying sooner counts as failing */
#define STOP_TIMEOUT_MS 10000

struct slot {
    pid_t pid;                      /* 0 when not running */
    long long started_ms;
    long long respawn_at_ms;        /* when to fork again; 0 = now */
    int failures;                   /* consecutive young deaths */
};

static volatile sig_atomic_t got_chld, got_term, got_int, got_hup, got_usr1, got_alrm;

static void on_signal(int sig)
{
    switch (sig) {
    case SIGCHLD: got_chld = 1; break;
    case SIGTERM: case SIGQUIT: got_term = 1; break;
    case SIGINT:  got_int = 1; break;
    case SIGHUP:  got_hup = 1; break;
    case SIGUSR1: got_usr1 = 1; break;
    case SIGALRM: got_alrm = 1; break;
    }
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct master {
    const struct eider_config *cfg;
    const struct eider_router *router;
    int **fds;                      /* per listener: 1 fd, or one per worker */
    struct slot *slots;
    int nslots;
};

/* Forks the worker for slot i; it gets its share of the listening fds. */
static void spawn(struct master *m, int i)
{
    int nfds = (int)m->cfg->nlistens;
    int fds[64];
    pid_t pid;

    for (int l = 0; l < nfds && l < 64; l++)
        fds[l] = m->fds[l][m->cfg->listens[l].reuseport ? i : 0];
    pid = fork();
    if (pid < 0) {
        eider_log(EIDER_LOG_ERROR, "fork failed: %s; retrying", strerror(errno));
        m->slots[i].respawn_at_ms = now_ms() + BACKOFF_MIN_MS;
        return;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        int sigs[] = { SIGCHLD, SIGTERM, SIGQUIT, SIGINT, SIGHUP, SIGUSR1, SIGALRM };
        for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
            sigaction(sigs[k], &dfl, NULL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        eider_worker_run(m->cfg, m->router, fds, nfds);
    }
    m->slots[i].pid = pid;
    m->slots[i].started_ms = now_ms();
    m->slots[i].respawn_at_ms = 0;
}

static int slot_of(struct master *m, pid_t pid)
{
    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].pid == pid)
            return i;
    return -1;
}

/* Reaps dead workers and schedules their replacement. */
static void reap(struct master *m, int stopping)
{
    pid_t pid;
    int status;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        int i = slot_of(m, pid);
        if (i < 0)
            continue;
        struct slot *s = &m->slots[i];
        long long lived = now_ms() - s->started_ms;
        s->pid = 0;
        if (stopping)
            continue;
        if (WIFSIGNALED(status))
            eider_log(EIDER_LOG_ERROR, "worker %d was killed by signal %d (%s)", (int)pid,
                      WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            eider_log(EIDER_LOG_ERROR, "worker %d exited with status %d", (int)pid,
                      WEXITSTATUS(status));
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
            s->respawn_at_ms = 0;
        }
    }
}

/* Forks due workers; arms SIGALRM for the next one that must wait. */
static void respawn_due(struct master *m)
{
    long long now = now_ms(), next = 0;

    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->pid != 0)
            continue;
        if (s->respawn_at_ms <= now)
            spawn(m, i);
        if (s->pid == 0 && (next == 0 || s->respawn_at_ms < next))
            next = s->respawn_at_ms;
    }
    if (next > 0) {
        long long wait = next - now_ms();
        struct itimerval it = { .it_value = { (time_t)(wait / 1000), (suseconds_t)(wait % 1000) * 1000 } };
        if (wait <= 0)
            it.it_value.tv_usec = 1000;
        setitimer(ITIMER_REAL, &it, NULL);
    }
}

static void signal_workers(struct master *m, int sig)
{
    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].pid > 0)
            kill(m->slots[i].pid, sig);
}

static int workers_alive(struct master *m)
{
    int n = 0;
    for (int i = 0; i < m->nslots; i++)
        n += m->slots[i].pid > 0;
    return n;
}

/* Tells workers to stop with SIG and waits; SIGKILL after the timeout. */
static void stop_workers(struct master *m, int sig, const sigset_t *wait_mask)
{
    long long deadline = now_ms() + STOP_TIMEOUT_MS;
    struct itimerval tick = { { 0, 100000 }, { 0, 100000 } };

    signal_workers(m, sig);
    setitimer(ITIMER_REAL, &tick, NULL);
    while (workers_alive(m) > 0) {
        if (now_ms() > deadline) {
            eider_log(EIDER_LOG_WARN, "workers did not stop in time; killing them");
            signal_workers(m, SIGKILL);
            deadline = now_ms() + STOP_TIMEOUT_MS;
        }
        sigsuspend(wait_mask);
        got_chld = 0;
        reap(m, 1);
    }
    memset(&tick, 0, sizeof(tick));
    setitimer(ITIMER_REAL, &tick, NULL);
}

static int open_listeners(struct master *m)
{
    char err[512];

    m->fds = calloc(m->cfg->nlistens, sizeof(int *));
    for (size_t l = 0; l < m->cfg->nlistens; l++) {
        const struct eider_listen *li = &m->cfg->listens[l];
        int count = li->reuseport ? m->nslots : 1;
        m->fds[l] = calloc((size_t)count, sizeof(int));
        if (eider_listen_open(li, count, m->fds[l], err, sizeof(err)) < 0) {
            eider_log(EIDER_LOG_CRIT, "%s", err);
            return -1;
        }
        eider_log(EIDER_LOG_NOTICE, "listening on http://%s%s", li->text,
                  li->reuseport ? " (reuseport)" : "");
    }
    return 0;
}

int eider_master_run(const struct eider_config *cfg, const struct eider_router *router)
{
    struct master m = { .cfg = cfg, .router = router, .nslots = cfg->workers };
    int sigs[] = { SIGCHLD, SIGTERM, SIGQUIT, SIGINT, SIGHUP, SIGUSR1, SIGALRM };
    struct sigaction sa = { .sa_handler = on_signal };
    sigset_t block, wait_mask;

    sigemptyset(&block);
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
        sigaction(sigs[k], &sa, NULL);
        sigaddset(&block, sigs[k]);
    }
    signal(SIGPIPE, SIG_IGN);
    /* Signals arrive only inside sigsuspend(), so no flag is missed. */
    sigprocmask(SIG_BLOCK, &block, &wait_mask);

    if (open_listeners(&m) < 0)
        return 1;
    m.slots = calloc((size_t)m.nslots, sizeof(*m.slots));
    eider_log(EIDER_LOG_NOTICE, "eider %s master started, %d worker%s", PACKAGE_VERSION,
              m.nslots, m.nslots == 1 ? "" : "s");
    for (int i = 0; i < m.nslots; i++)
        spawn(&m, i);

    for (;;) {
        sigsuspend(&wait_mask);
        if (got_term || got_int) {
            int sig = got_int ? SIGINT : SIGTERM;
            eider_log(EIDER_LOG_NOTICE, "%s: stopping workers", got_int ? "fast stop" : "graceful stop");
            stop_workers(&m, sig, &wait_mask);
            break;
        }
        if (got_chld) {
            got_chld = 0;
            reap(&m, 0);
        }
        if (got_usr1) {
            got_usr1 = 0;
            eider_log_reopen();
            signal_workers(&m, SIGUSR1);
        }
        if (got_hup) {
            got_hup = 0;
            eider_log(EIDER_LOG_WARN, "reload (SIGHUP) is not implemented yet; ignoring it");
        }
        got_alrm = 0;
        respawn_due(&m);
    }
    eider_log(EIDER_LOG_NOTICE, "master exiting");
    for (size_t l = 0; l < cfg->nlistens; l++) {
        int count = cfg->listens[l].reuseport ? m.nslots : 1;
        for (int i = 0; i < count; i++)
            close(m.fds[l][i]);
        free(m.fds[l]);
    }
    free(m.fds);
    free(m.slots);
    return 0;
}
