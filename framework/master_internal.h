/*
 * Inside the master (master.c, master_slots.c): its state, and the worker
 * slots' table. master.c runs the life cycle (signals, reloads, stop, what
 * a worker's death means); master_slots.c keeps the slots: their states
 * and moves, forking, signalling, the ready pipes, and the checks made
 * twice a second (watchdog, recycling limits, overdue drains).
 */
#ifndef EIDER_MASTER_INTERNAL_H
#define EIDER_MASTER_INTERNAL_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "listen.h"
#include "scoreboard.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 10000
#define YOUNG_MS 2000               /* a worker dying sooner counts as failing */
#define READY_TIMEOUT_MS 30000      /* a new worker must accept within this */
#define KILL_GRACE_MS 2000          /* after worker_shutdown_timeout */
#define WATCH_DEBOUNCE_MS 50        /* a burst of file events is one reload */
#define CHECK_MS 500                /* watchdog and recycling limits */
/* A worker is recycled for worker_max_rss only once it has served a
 * request and lived this long: with a limit below what a fresh worker
 * needs, workers are replaced every few seconds, not in a tight loop. */
#define RSS_MIN_LIFETIME_MS 3000

/* Where a worker slot is in its life. Every change goes through
 * eider_slot_enter(), which allows only the transitions of slot_moves[]. */
enum slot_state {
    SLOT_FREE,          /* no worker */
    SLOT_WAITING,       /* its worker died (or could not fork): replaced at respawn_at_ms */
    SLOT_STARTING,      /* forked, not accepting yet */
    SLOT_SERVING,       /* accepting */
    SLOT_RECYCLING,     /* accepting while its replacement starts; drains once it accepts */
    SLOT_DRAINING,      /* asked to finish and exit; never replaced */
    SLOT_NSTATES
};

struct slot {
    enum slot_state state;
    pid_t pid;                      /* 0 unless STARTING, SERVING, RECYCLING, DRAINING */
    int gen;                        /* generation it belongs to */
    int index;                      /* number within its generation */
    int ready_fd;                   /* read end of its ready pipe, or -1 */
    int killed;                     /* SIGKILL sent (watchdog, abort): never signalled again */
    long long started_ms;
    long long respawn_at_ms;        /* WAITING: when */
    long long kill_at_ms;           /* DRAINING: a worker still here then is killed */
    int failures;                   /* consecutive young deaths */
    int restarts;                   /* replacements so far, for status */
    long long max_requests;         /* worker_max_requests plus jitter; 0: none */
    int replacement;                /* RECYCLING: the replacement's slot */
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
    int nslots;                     /* scans stop here: every slot past it is FREE */
    int ready_fd;                   /* daemon parent, or -1 */
    int announced;                  /* READY=1 sent */
    int start_failed;               /* a first worker died before accepting */
    long long next_check_ms;        /* of the watchdog and recycling limits */
    uint64_t rng;                   /* for worker_max_requests jitter */
    int rss_warned;                 /* worker_max_rss is below a fresh worker's */
    struct eider_watch *watch;      /* watch mode's inotify watch, or NULL */
    long long watch_due_ms;         /* a change was seen: reload then; 0: none */
};

/* The signals the master handles (a worker resets them). */
extern const int eider_master_signals[];
#define EIDER_MASTER_NSIGNALS 6

/* Milliseconds on the monotonic clock. */
static inline long long eider_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A slot with a worker process (to signal, to reap, to watch). */
static inline int eider_slot_has_worker(const struct slot *s)
{
    return s->state >= SLOT_STARTING;
}

/* master_slots.c; each function's contract is above its definition. */
void eider_slot_enter(struct master *m, int i, enum slot_state state);
int eider_slots_count_gen(struct master *m, int gen, int ready_only);
void eider_slots_spawn(struct master *m, int i, int index);
int eider_slots_spawn_generation(struct master *m);
void eider_slots_signal(struct master *m, int gen, int sig, int all);
void eider_slots_drain(struct master *m, int i, int drain_s);
int eider_slots_of_pid(struct master *m, pid_t pid);
long long eider_slots_respawn_due(struct master *m);
int eider_slots_alive(struct master *m);
int eider_slots_wait(struct master *m, long long timeout_ms, const sigset_t *mask, int extra_fd);
int eider_slots_kill_overdue(struct master *m);
long long eider_slots_check(struct master *m);
void eider_slots_finish_recycling(struct master *m);

#endif
