/*
 * js_time_limit: the deadline of each entry into JavaScript and how the
 * engine learns that it has passed.
 *
 * Reading the clock in Duktape's interrupt hook (every N bytecode
 * instructions) misses code whose time goes into native calls (a loop of
 * join() or JSON.stringify executes few instructions) and the regexp
 * executor (no bytecode at all). So a one-shot POSIX timer fires at the
 * deadline, and its signal handler only sets eider_js_alarm. The engine
 * tests that flag, one load, wherever it may spend long: every interrupt
 * (every EIDER_JS_INTERRUPT_INTERVAL instructions), every call, every
 * JSON value, every step of regexp backtracking (eider_duk_config.h).
 * Only when it is set does anyone read the clock.
 *
 * The timer is armed when an outermost entry finds it idle (it fired, or
 * was never armed), for that entry's deadline, and left armed when the
 * entry ends: under steady load it fires about once per js_time_limit, at
 * a deadline already gone, and the entry running then re-arms it for its
 * own. No system call per request.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "js_internal.h"
#include "log.h"
#include "scoreboard.h"

/* The timer's signal: a real-time one, which no library eider links
 * uses (SIGALRM is libFuzzer's timeout, and sleep()'s in some libcs). */
#define ALARM_SIGNAL SIGRTMIN

static timer_t alarm_timer;
static int alarm_state;     /* ALARM_NONE, ALARM_READY or ALARM_BROKEN */
enum { ALARM_NONE, ALARM_READY, ALARM_BROKEN };
static int atfork_registered;

/* The signal handler: only the flag. */
static void on_alarm(int sig)
{
    (void)sig;
    eider_js_alarm = 1;
}

/* A forked child inherits the handler but not the timer: it makes its own. */
static void alarm_forked(void)
{
    if (alarm_state == ALARM_READY)
        alarm_state = ALARM_NONE;
}

/* Creates this process's timer and installs the handler, once per
 * process. SA_RESTART: system calls it interrupts (a read() in a binding)
 * go on; libevent's loop takes the EINTR of epoll_wait. Unblocks the
 * signal, which a master blocks outside ppoll(): a check run there must be
 * stopped too. Returns 0, or -1 (logged once; the flag then stays set, so
 * every check reads the clock: slower, still bounded). */
static int alarm_setup(void)
{
    struct sigaction sa;
    struct sigevent sev;
    sigset_t set;

    if (alarm_state != ALARM_NONE)
        return alarm_state == ALARM_READY ? 0 : -1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    memset(&sev, 0, sizeof(sev));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = ALARM_SIGNAL;
    if (sigaction(ALARM_SIGNAL, &sa, NULL) < 0
        || timer_create(CLOCK_MONOTONIC, &sev, &alarm_timer) < 0) {
        eider_log(EIDER_LOG_CRIT, "js_time_limit: cannot create its timer (%s); "
                  "JavaScript reads the clock at every check instead", strerror(errno));
        alarm_state = ALARM_BROKEN;
        return -1;
    }
    sigemptyset(&set);
    sigaddset(&set, ALARM_SIGNAL);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    if (!atfork_registered++)   /* the registration is inherited too */
        pthread_atfork(NULL, NULL, alarm_forked);
    alarm_state = ALARM_READY;
    return 0;
}

/* Makes the timer fire in MS milliseconds (at least 1) and clears the
 * flag: the timer is pending again. Without a timer the flag stays set. */
static void alarm_arm(long long ms)
{
    struct itimerspec its;

    if (alarm_setup() < 0) {
        eider_js_alarm = 1;
        return;
    }
    if (ms < 1)
        ms = 1;
    memset(&its, 0, sizeof(its));
    its.it_value.tv_sec = ms / 1000;
    its.it_value.tv_nsec = (ms % 1000) * 1000000;
    eider_js_alarm = 0;
    timer_settime(alarm_timer, 0, &its, NULL);
}

/* The scoreboard's clock (eider_scoreboard_clock_ms). */
static long long coarse_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);   /* a few ns, ms resolution */
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The outermost entry also tells the master's watchdog (scoreboard.h)
 * when this run of JavaScript began: what the engine cannot stop (one
 * long native call, such as a sort without comparator of a huge array)
 * it kills from outside. The timer is re-armed only if it fired since
 * (or never ran): a pending one fires at an earlier deadline, and the
 * check then re-arms it for this one. */
void eider_js_enter(struct eider_js *js)
{
    /* A script (eider run) is a migration or a batch job: no limit. */
    if (js->depth++ == 0 && !js->script) {
        long long now = coarse_ms();
        long long limit = (long long)js->cfg->js_time_limit * 1000;
        js->deadline_ms = now + limit;
        js->timed_out = 0;
        if (eider_js_alarm || alarm_state == ALARM_NONE)
            alarm_arm(limit);
        eider_slot_run_begin(now);
    }
}

/* The clock of deadlines, for eider_js_exclude(): milliseconds, monotonic. */
long long eider_js_clock(void)
{
    return coarse_ms();
}

/* Time since SINCE (eider_js_clock()) spent out of JavaScript inside an
 * entry, lowering a module, moves the deadline and the watchdog's start;
 * the timer, armed for the old deadline, fires early and is re-armed. */
void eider_js_exclude(struct eider_js *js, long long since)
{
    long long now = coarse_ms();

    if (js->depth == 0 || js->deadline_ms == 0)
        return;
    js->deadline_ms += now - since;
    eider_slot_run_begin(now);
}

/* Ends an entry; the outermost one disarms the deadline (the timer stays
 * armed: the next entry needs no system call) and tells the watchdog. */
void eider_js_leave(struct eider_js *js)
{
    if (--js->depth == 0 && !js->script) {
        js->deadline_ms = 0;
        eider_slot_run_end();
    }
}

/* Called by the engine once eider_js_alarm is set (eider_duk_config.h).
 * Past the deadline it returns non-zero: 2 the first time in this entry,
 * 1 after (the engine's native check throws only once; the interrupt hook
 * at every instruction). It keeps the flag set, so every later check says
 * so too until the entry ends: Duktape throws at each, through every
 * catch, until the code has unwound. Before the deadline (the timer was
 * armed for an earlier entry) it re-arms the timer for this one. A heap
 * that is not a runtime (udata NULL) or an alarm between entries leaves
 * the flag to the next entry. */
int eider_js_exec_timeout(void *udata)
{
    struct eider_js *js = udata;
    long long now;

    if (js == NULL || js->deadline_ms == 0)
        return 0;
    if (js->timed_out)
        return 1;
    now = coarse_ms();
    if (now <= js->deadline_ms) {
        alarm_arm(js->deadline_ms - now);
        return 0;
    }
    js->timed_out = 1;
    return 2;
}
