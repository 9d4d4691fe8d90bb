/*
 * The scoreboard lives in an anonymous shared mapping made by the master
 * before it forks, so every worker and the master see the same slots.
 * Only the slot's worker writes its worker fields; readers tolerate a torn
 * request text. Aligned 64-bit fields are read and written whole on the
 * platforms eider runs on, which is all the watchdog needs.
 */
#include "scoreboard.h"

#include "log.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* This worker's own slot; NULL in the master and in the handler check. */
static struct eider_slot *self;

/* From 1 ms to 10 s in the 1-2.5-5 steps most Prometheus client
 * libraries default to: an HTTP handler's answers span that range. */
const double eider_duration_bounds[EIDER_DURATION_BUCKETS - 1] = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

/* The same bounds in microseconds, for the per-request comparison. */
static const uint64_t bounds_us[EIDER_DURATION_BUCKETS - 1] = {
    1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
    5000000, 10000000
};

struct eider_slot *eider_scoreboard_create(void)
{
    void *p = mmap(NULL, EIDER_SCOREBOARD_SLOTS * sizeof(struct eider_slot) + sizeof(struct eider_server),
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED)
        return NULL;
    eider_scoreboard_server(p)->started = time(NULL);
    return p;
}

struct eider_server *eider_scoreboard_server(const struct eider_slot *board)
{
    /* Right after the slots: struct eider_slot's size keeps it aligned. */
    return (struct eider_server *)(uintptr_t)(board + EIDER_SCOREBOARD_SLOTS);
}

void eider_counters_add(struct eider_counters *to, const struct eider_counters *from)
{
    to->requests += from->requests;
    for (size_t k = 0; k < sizeof(to->answered) / sizeof(to->answered[0]); k++)
        to->answered[k] += from->answered[k];
    to->errors += from->errors;
    to->bytes_in += from->bytes_in;
    to->bytes_out += from->bytes_out;
    to->duration_us += from->duration_us;
    for (size_t k = 0; k < EIDER_DURATION_BUCKETS; k++)
        to->duration[k] += from->duration[k];
}

void eider_scoreboard_fold(struct eider_slot *board, int i)
{
    struct eider_slot *s = &board[i];

    if (s->pid <= 0)
        return;
    eider_counters_add(&eider_scoreboard_server(board)->gone, &s->n);
    s->pid = 0;
}

long long eider_scoreboard_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t eider_scoreboard_rss(pid_t pid)
{
    char path[64];
    unsigned long size, resident;
    FILE *f;
    int n;

    snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
    if ((f = fopen(path, "re")) == NULL)
        return 0;
    n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (size_t)resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

void eider_slot_begin(struct eider_slot *slot, const char *id, const char *method,
                      const char *path)
{
    size_t n = 0, len;

    if (slot == NULL)
        return;
    /* memcpy rather than snprintf: this runs once per request. */
    len = strlen(id);
    memcpy(slot->request, id, len);
    n += len;
    slot->request[n++] = ' ';
    len = strlen(method);
    memcpy(slot->request + n, method, len);
    n += len;
    slot->request[n++] = ' ';
    len = strnlen(path, sizeof(slot->request) - n - 1);
    memcpy(slot->request + n, path, len);
    slot->request[n + len] = '\0';
    slot->n.requests++;
    slot->busy++;
    /* The handler call, if any, follows at once in the same dispatch:
     * the next run of JavaScript is this request's (see run_begin). */
    slot->fresh = 1;
}

void eider_slot_end(struct eider_slot *slot, int status)
{
    if (slot == NULL)
        return;
    if (slot->busy > 0)
        slot->busy--;
    /* Answered without JavaScript (404, 405, status): a later run is a
     * callback, not this request's handler. */
    slot->fresh = 0;
    slot->n.answered[status >= 100 && status < 600 ? status / 100 : 0]++;
}

void eider_slot_observe(struct eider_slot *slot, const struct timespec *start, size_t bytes_in,
                        size_t bytes_out)
{
    struct timespec now;
    uint64_t us;
    int k = 0;

    if (slot == NULL)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    us = (uint64_t)((now.tv_sec - start->tv_sec) * 1000000LL + (now.tv_nsec - start->tv_nsec) / 1000);
    while (k < EIDER_DURATION_BUCKETS - 1 && us > bounds_us[k])
        k++;
    slot->n.duration[k]++;
    slot->n.duration_us += us;
    slot->n.bytes_in += bytes_in;
    slot->n.bytes_out += bytes_out;
}

void eider_scoreboard_set_self(struct eider_slot *slot)
{
    self = slot;
    eider_log_count_errors(slot != NULL ? &slot->n.errors : NULL);
}

void eider_slot_run_begin(long long now)
{
    if (self == NULL)
        return;
    self->run_is_request = self->fresh;
    self->fresh = 0;
    /* Never 0 while running: 0 means "in the event loop". */
    self->run_since_ms = now > 0 ? now : 1;
}

void eider_slot_run_end(void)
{
    if (self != NULL)
        self->run_since_ms = 0;
}

int eider_slot_retire(const char *why)
{
    if (self == NULL)
        return 0;
    if (self->retire)
        return 1;
    strncpy(self->retire_why, why, sizeof(self->retire_why) - 1);
    self->retire_why[sizeof(self->retire_why) - 1] = '\0';
    /* The master reads retire_why once it sees retire. */
    __atomic_store_n(&self->retire, 1, __ATOMIC_RELEASE);
    return 1;
}
