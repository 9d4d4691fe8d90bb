/*
 * The scoreboard lives in an anonymous shared mapping made by the master
 * before it forks, so every worker and the master see the same slots.
 * Only the slot's worker writes its worker fields; readers tolerate a torn
 * request text. Aligned 64-bit fields are read and written whole on the
 * platforms eider runs on, which is all the watchdog needs.
 */
#include "scoreboard.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* This worker's own slot; NULL in the master and in the handler check. */
static struct eider_slot *self;

struct eider_slot *eider_scoreboard_create(void)
{
    void *p = mmap(NULL, EIDER_SCOREBOARD_SLOTS * sizeof(struct eider_slot),
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
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
    slot->requests++;
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
    if (status >= 500)
        slot->status_5xx++;
    else if (status >= 400)
        slot->status_4xx++;
}

void eider_scoreboard_set_self(struct eider_slot *slot)
{
    self = slot;
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
