/*
 * The shared dictionary zones of the configurations in use, by name and
 * size. The master makes a configuration's zones before checking its
 * handlers (the check's top-level code may use them) and before forking
 * its workers, which get the mappings by fork. A reload that declares the
 * same NAME with the same SIZE finds the zone here and keeps it, contents
 * and all; a zone whose SIZE changed is a new, empty one. Once a reload
 * commits (or aborts), the master unmaps the zones no configuration in
 * use declares; old workers still draining keep their own mappings until
 * they exit, and a stop loses everything.
 */
#include "alloc.h"
#include "shdict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

struct zone {
    char *name;
    size_t size;
    struct eider_shdict *dict;
    struct zone *next;
};

static struct zone *zones;

/* The zone NAME of SIZE bytes mapped here, or NULL. */
struct eider_shdict *eider_shdict_zones_find(const char *name, size_t size)
{
    for (struct zone *z = zones; z != NULL; z = z->next)
        if (z->size == size && strcmp(z->name, name) == 0)
            return z->dict;
    return NULL;
}

/* Maps the zones CFG declares that are not mapped yet (shdict.h). */
int eider_shdict_zones_sync(const struct eider_config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < cfg->nshdicts; i++) {
        const struct eider_shdict_conf *c = &cfg->shdicts[i];
        struct zone *z;
        if (eider_shdict_zones_find(c->name, c->size) != NULL)
            continue;
        z = eider_calloc(1, sizeof(*z));
        z->name = eider_strdup(c->name);
        if ((z->dict = eider_shdict_create(c->size)) == NULL) {
            snprintf(err, errlen, "shared_dict %s: cannot map %zu bytes of shared memory (%s): "
                     "give it a smaller size or free memory", c->name, c->size, strerror(errno));
            free(z->name);
            free(z);
            return -1;
        }
        z->size = c->size;
        z->next = zones;
        zones = z;
    }
    return 0;
}

/* 1 if CFG (may be NULL) declares zone Z. */
static int declares(const struct eider_config *cfg, const struct zone *z)
{
    for (size_t i = 0; cfg != NULL && i < cfg->nshdicts; i++)
        if (cfg->shdicts[i].size == z->size && strcmp(cfg->shdicts[i].name, z->name) == 0)
            return 1;
    return 0;
}

/* Unmaps here the zones neither A nor B declares (shdict.h). */
void eider_shdict_zones_retain(const struct eider_config *a, const struct eider_config *b)
{
    struct zone **link = &zones;

    while (*link != NULL) {
        struct zone *z = *link;
        if (declares(a, z) || declares(b, z)) {
            link = &z->next;
            continue;
        }
        *link = z->next;
        eider_shdict_destroy(z->dict);
        free(z->name);
        free(z);
    }
}
