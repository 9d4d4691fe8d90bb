/*
 * The master's worker slots (master_internal.h): each slot's state and the
 * moves between states (slot_moves[], through eider_slot_enter() only),
 * forking a worker into a slot, signalling and draining, the ready pipes
 * each new worker writes one byte to once it accepts, and what the master
 * checks twice a second: the watchdog kills a worker stuck in one run of
 * JavaScript for worker_stuck_timeout, a worker past worker_max_requests
 * or worker_max_rss (or that reached js_memory_limit) is recycled (its
 * replacement starts first, and once it accepts, the old one drains), and
 * a draining worker still there after worker_shutdown_timeout is killed.
 * Scans stop at nslots, just past the last slot in use (nginx's
 * ngx_last_process).
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "master_internal.h"
#include "watch.h"
#include "scoreboard.h"
#include "worker.h"

#define TO(state) (1u << (state))
static const struct {
    const char *name;
    unsigned to;        /* the states it may move to */
} slot_moves[SLOT_NSTATES] = {
    [SLOT_FREE]      = { "free",      TO(SLOT_STARTING) | TO(SLOT_WAITING) },
    [SLOT_WAITING]   = { "waiting",   TO(SLOT_STARTING) | TO(SLOT_WAITING) | TO(SLOT_FREE) },
    [SLOT_STARTING]  = { "starting",  TO(SLOT_SERVING) | TO(SLOT_WAITING) | TO(SLOT_DRAINING)
                                      | TO(SLOT_FREE) },
    [SLOT_SERVING]   = { "serving",   TO(SLOT_RECYCLING) | TO(SLOT_DRAINING) | TO(SLOT_WAITING)
                                      | TO(SLOT_FREE) },
    [SLOT_RECYCLING] = { "recycling", TO(SLOT_DRAINING) | TO(SLOT_FREE) },
    [SLOT_DRAINING]  = { "draining",  TO(SLOT_FREE) },
};

/* Moves slot I to STATE. A move slot_moves[] does not allow is a bug: it
 * is logged and made anyway, since the master must not die of it. A slot
 * made FREE forgets everything (its ready pipe is closed); nslots stays
 * just past the last slot in use. */
void eider_slot_enter(struct master *m, int i, enum slot_state state)
{
    struct slot *s = &m->slots[i];

    if (!(slot_moves[s->state].to & TO(state)))
        eider_log(EIDER_LOG_ERROR, "bug: worker slot %d moved from %s to %s", i,
                  slot_moves[s->state].name, slot_moves[state].name);
    if (state != SLOT_FREE) {
        s->state = state;
        if (i >= m->nslots)
            m->nslots = i + 1;
        return;
    }
    if (s->ready_fd >= 0)
        close(s->ready_fd);
    *s = (struct slot){ .state = SLOT_FREE, .ready_fd = -1 };
    while (m->nslots > 0 && m->slots[m->nslots - 1].state == SLOT_FREE)
        m->nslots--;
}

/* Workers of GEN (that accept, if READY_ONLY), not counting those being
 * replaced: a recycled worker and its replacement are one worker. */
int eider_slots_count_gen(struct master *m, int gen, int ready_only)
{
    int n = 0;
    for (int i = 0; i < m->nslots; i++) {
        const struct slot *s = &m->slots[i];
        if (s->gen == gen && (s->state == SLOT_SERVING || (!ready_only && s->state == SLOT_STARTING)))
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

/* Slot I (FREE or WAITING) waits to be given a worker of the current
 * generation numbered INDEX after WHY failed. */
static void spawn_failed(struct master *m, int i, int index, const char *why)
{
    struct slot *s = &m->slots[i];

    eider_log(EIDER_LOG_ERROR, "%s: %s; retrying", why, strerror(errno));
    eider_slot_enter(m, i, SLOT_WAITING);
    s->gen = m->gen;
    s->index = index;
    s->respawn_at_ms = eider_now_ms() + BACKOFF_MIN_MS;
}

/* Forks a worker of the current generation numbered INDEX into slot I
 * (FREE or WAITING), which becomes STARTING (or WAITING again if the fork
 * fails). */
void eider_slots_spawn(struct master *m, int i, int index)
{
    struct slot *s = &m->slots[i];
    int fds[EIDER_MAX_LISTENERS], pipefd[2];
    pid_t pid;

    /* What the slot's previous worker left there must not be read as
     * this one's (a stale run start would trip the watchdog). */
    m->board[i] = (struct eider_slot){ 0 };
    if (pipe2(pipefd, O_CLOEXEC) < 0) {
        spawn_failed(m, i, index, "pipe");
        return;
    }
    pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        spawn_failed(m, i, index, "fork");
        return;
    }
    if (pid == 0) {
        struct sigaction dfl = { .sa_handler = SIG_DFL };
        sigset_t none;
        for (size_t k = 0; k < EIDER_MASTER_NSIGNALS; k++)
            sigaction(eider_master_signals[k], &dfl, NULL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        close(pipefd[0]);
        for (int k = 0; k < m->nslots; k++)
            if (m->slots[k].ready_fd >= 0)
                close(m->slots[k].ready_fd);
        /* The master's inotify watches would live on in every worker. */
        if (m->watch != NULL)
            close(eider_watch_fd(m->watch));
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
    eider_slot_enter(m, i, SLOT_STARTING);
    *s = (struct slot){ .state = SLOT_STARTING, .pid = pid, .gen = m->gen, .index = index,
                        .ready_fd = pipefd[0], .started_ms = eider_now_ms(), .failures = s->failures,
                        .restarts = s->restarts, .max_requests = max_requests_jittered(m) };
}

/* Starts the whole current generation in free slots. */
int eider_slots_spawn_generation(struct master *m)
{
    int index = 0;

    for (int i = 0; i < EIDER_SCOREBOARD_SLOTS && index < m->cur.cfg->workers; i++) {
        if (m->slots[i].state == SLOT_FREE) {
            m->slots[i].failures = 0;
            m->slots[i].restarts = 0;
            eider_slots_spawn(m, i, index++);
        }
    }
    return index == m->cur.cfg->workers ? 0 : -1;
}

/* Sends SIG to every worker of GEN, or to every worker if ALL. */
void eider_slots_signal(struct master *m, int gen, int sig, int all)
{
    for (int i = 0; i < m->nslots; i++)
        if (eider_slot_has_worker(&m->slots[i]) && (all || m->slots[i].gen == gen))
            kill(m->slots[i].pid, sig);
}

/* The worker in slot I finishes what it serves and exits (SIGQUIT), and is
 * killed if still there DRAIN_S seconds (plus a grace) from now. */
void eider_slots_drain(struct master *m, int i, int drain_s)
{
    struct slot *s = &m->slots[i];

    eider_slot_enter(m, i, SLOT_DRAINING);
    s->kill_at_ms = eider_now_ms() + (long long)drain_s * 1000 + KILL_GRACE_MS;
    m->board[i].draining = 1;
    kill(s->pid, SIGQUIT);
}

/* The slot whose worker is PID, or -1. */
int eider_slots_of_pid(struct master *m, pid_t pid)
{
    for (int i = 0; i < m->nslots; i++)
        if (eider_slot_has_worker(&m->slots[i]) && m->slots[i].pid == pid)
            return i;
    return -1;
}

/* Replaces dead workers whose back-off has passed; returns the ms until
 * the next one is due (or -1). */
long long eider_slots_respawn_due(struct master *m)
{
    long long now = eider_now_ms(), next = -1;

    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->state != SLOT_WAITING || s->gen != m->gen)
            continue;
        if (s->respawn_at_ms <= now) {
            eider_slots_spawn(m, i, s->index);
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
        if (read(s->ready_fd, &c, 1) == 1 && c == 'R' && s->state == SLOT_STARTING) {
            eider_slot_enter(m, slot_of[k], SLOT_SERVING);
            s->failures = s->failures > 0 && eider_now_ms() - s->started_ms >= YOUNG_MS ? 0 : s->failures;
        }
        close(s->ready_fd);
        s->ready_fd = -1;
    }
}

/* Old workers stuck past worker_shutdown_timeout (in a long handler the
 * worker's own timer cannot fire) are killed. Returns 1 while any old
 * worker is still draining, so the loop keeps checking. */
int eider_slots_kill_overdue(struct master *m)
{
    int draining = 0;

    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (s->state != SLOT_DRAINING)
            continue;
        draining = 1;
        if (s->kill_at_ms > 0 && eider_now_ms() > s->kill_at_ms && !s->killed) {
            eider_log(EIDER_LOG_WARN, "old worker %d still busy after worker_shutdown_timeout; "
                      "killing it", (int)s->pid);
            kill(s->pid, SIGKILL);
            s->killed = 1;
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
        if (m->slots[j].state != SLOT_FREE)
            continue;
        eider_log(EIDER_LOG_NOTICE, "worker %d %s, recycling", (int)s->pid, why);
        m->slots[j].failures = 0;
        m->slots[j].restarts = s->restarts;
        eider_slots_spawn(m, j, s->index);
        eider_slot_enter(m, i, SLOT_RECYCLING);
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
    unsigned long long requests = b->n.requests;

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
        if (requests > 0 && eider_now_ms() - s->started_ms >= RSS_MIN_LIFETIME_MS) {
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

    if (limit == 0 || since == 0 || s->killed || now - since <= limit)
        return;
    if (b->run_is_request)
        eider_log(EIDER_LOG_ERROR, "worker %d stuck for %llds on request %.120s, killing it "
                  "(worker_stuck_timeout)", (int)s->pid, (now - since) / 1000, b->request);
    else
        eider_log(EIDER_LOG_ERROR, "worker %d stuck for %llds in a callback (last request "
                  "%.120s), killing it (worker_stuck_timeout)", (int)s->pid, (now - since) / 1000,
                  b->request);
    kill(s->pid, SIGKILL);
    s->killed = 1;
}

/* A recycled worker drains once its replacement accepts. */
void eider_slots_finish_recycling(struct master *m)
{
    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i], *r;
        if (s->state != SLOT_RECYCLING)
            continue;
        r = &m->slots[s->replacement];
        if (r->state == SLOT_STARTING || r->state == SLOT_WAITING)
            continue;   /* not accepting yet, or back after its back-off */
        if (eider_slot_has_worker(r))
            eider_log(EIDER_LOG_INFO, "worker %d replaced by %d; draining", (int)s->pid, (int)r->pid);
        eider_slots_drain(m, i, m->cur.cfg->worker_shutdown_timeout);
    }
}

/* Every CHECK_MS: the watchdog for every worker, and the recycling limits
 * for the current generation's, except during a reload (which replaces
 * them all anyway). Returns the ms until the next check is due. */
long long eider_slots_check(struct master *m)
{
    long long now = eider_now_ms(), clock = eider_scoreboard_clock_ms();
    char why[128];

    if (now < m->next_check_ms)
        return m->next_check_ms - now;
    m->next_check_ms = now + CHECK_MS;
    for (int i = 0; i < m->nslots; i++) {
        struct slot *s = &m->slots[i];
        if (!eider_slot_has_worker(s))
            continue;
        watchdog(m, i, clock);
        if (s->gen != m->gen || s->state != SLOT_SERVING || s->killed || m->reloading)
            continue;
        const char *reason = recycle_reason(m, i, why, sizeof(why));
        if (reason != NULL)
            recycle(m, i, reason);
    }
    return CHECK_MS;
}

/* Worker processes not yet reaped. */
int eider_slots_alive(struct master *m)
{
    int n = 0;
    for (int i = 0; i < m->nslots; i++)
        n += eider_slot_has_worker(&m->slots[i]);
    return n;
}

/* One wait: ppoll on the ready pipes with signals unblocked, and on
 * EXTRA_FD too unless it is -1 (watch mode's inotify descriptor). Returns
 * 1 if EXTRA_FD has input, else 0. */
int eider_slots_wait(struct master *m, long long timeout_ms, const sigset_t *mask, int extra_fd)
{
    struct pollfd pfd[EIDER_SCOREBOARD_SLOTS + 1];
    int slot_of[EIDER_SCOREBOARD_SLOTS], n = 0;
    struct timespec ts, *tsp = NULL;

    for (int i = 0; i < m->nslots; i++)
        if (m->slots[i].ready_fd >= 0) {
            pfd[n] = (struct pollfd){ .fd = m->slots[i].ready_fd, .events = POLLIN };
            slot_of[n++] = i;
        }
    /* Last, so read_ready sees only the ready pipes. */
    pfd[n] = (struct pollfd){ .fd = extra_fd, .events = POLLIN };   /* poll skips fd -1 */
    if (timeout_ms >= 0) {
        ts.tv_sec = timeout_ms / 1000;
        ts.tv_nsec = (timeout_ms % 1000) * 1000000;
        tsp = &ts;
    }
    if (ppoll(pfd, (nfds_t)n + 1, tsp, mask) <= 0)
        return 0;
    read_ready(m, pfd, slot_of, n);
    return extra_fd >= 0 && (pfd[n].revents & POLLIN) != 0;
}
