/*
 * The scoreboard lives in an anonymous shared mapping made by the master
 * before it forks, so every worker and the master see the same slots.
 * Only the slot's worker writes it; readers tolerate a torn request text.
 */
#include "scoreboard.h"

#include <string.h>
#include <sys/mman.h>

struct eider_slot *eider_scoreboard_create(void)
{
    void *p = mmap(NULL, EIDER_SCOREBOARD_SLOTS * sizeof(struct eider_slot),
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
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
    slot->busy = 1;
}

void eider_slot_end(struct eider_slot *slot, int status)
{
    if (slot == NULL)
        return;
    slot->busy = 0;
    if (status >= 500)
        slot->status_5xx++;
    else if (status >= 400)
        slot->status_4xx++;
}
