/*
 * Shared dictionaries (shared_dict NAME SIZE;): a key/value store in one
 * shared memory region per zone, mapped by the master before it forks so
 * every worker of every generation sees the same bytes. shdict.c is the
 * store inside one region; shdict_zones.c keeps the zones of the
 * configurations in use (made at start, kept across reloads).
 */
#ifndef EIDER_SHDICT_H
#define EIDER_SHDICT_H

#include <stddef.h>

struct eider_config;
struct eider_shdict;

/* Bounds, said in every error message that enforces them. Keys as
 * memcached's; a value fits the largest chunk (16 KiB) with its key. */
#define EIDER_SHDICT_MAX_KEY 250
#define EIDER_SHDICT_MAX_VALUE 16000
#define EIDER_SHDICT_MIN_SIZE (128 * 1024)
#define EIDER_SHDICT_MAX_SIZE ((size_t)2 << 30)   /* offsets inside are 32-bit */

enum eider_shdict_type { EIDER_SHD_STRING = 1, EIDER_SHD_NUMBER, EIDER_SHD_BOOLEAN };

/* A value: a string (str, len; not NUL-terminated), a number or a boolean. */
struct eider_shdict_value {
    enum eider_shdict_type type;
    double num;                     /* NUMBER; BOOLEAN: 0 or 1 */
    const char *str;
    size_t len;
};

enum eider_shdict_rc {
    EIDER_SHD_OK = 0,
    EIDER_SHD_NOT_FOUND,            /* no such key (or it expired) */
    EIDER_SHD_EXISTS,               /* add: the key is there already */
    EIDER_SHD_NO_MEMORY,            /* full, and eviction not allowed or not enough */
    EIDER_SHD_NOT_NUMBER,           /* incr of a string or boolean */
    EIDER_SHD_TOO_LARGE,            /* key or value past the bounds above */
};

/* What a store may do, or-ed. */
enum {
    EIDER_SHD_EVICT = 1,            /* may evict least recently used entries */
    EIDER_SHD_IF_ABSENT = 2,        /* add */
    EIDER_SHD_IF_PRESENT = 4,       /* replace */
};

/* Maps a zone of SIZE bytes (EIDER_SHDICT_MIN_SIZE..MAX_SIZE) shared with
 * the processes forked later. Returns it (unmapped by _destroy), or NULL
 * with errno set. */
struct eider_shdict *eider_shdict_create(size_t size);
void eider_shdict_destroy(struct eider_shdict *z);

/* Every call below takes the zone's process-shared lock, so each one is
 * atomic across workers. Keys are KEY, KLEN bytes (1..MAX_KEY). */

/* Stores V under KEY, expiring in TTL_MS (0: never), as FLAGS allow. */
enum eider_shdict_rc eider_shdict_store(struct eider_shdict *z, const char *key, size_t klen,
                                        const struct eider_shdict_value *v, long long ttl_ms, int flags);
/* The value of KEY into OUT; a string is copied into BUF (BUFCAP bytes, at
 * least MAX_VALUE) and OUT->str points there. OUT NULL: only whether it
 * exists. Marks KEY recently used. */
enum eider_shdict_rc eider_shdict_get(struct eider_shdict *z, const char *key, size_t klen,
                                      struct eider_shdict_value *out, char *buf, size_t bufcap);
/* Adds DELTA to the number under KEY into *OUT. A missing key is created
 * with INIT + DELTA and TTL_MS when HAS_INIT (evicting if need be), else
 * NOT_FOUND; an existing key keeps its expiry. */
enum eider_shdict_rc eider_shdict_incr(struct eider_shdict *z, const char *key, size_t klen,
                                       double delta, int has_init, double init, long long ttl_ms,
                                       double *out);
enum eider_shdict_rc eider_shdict_delete(struct eider_shdict *z, const char *key, size_t klen);
/* Milliseconds KEY has left into *MS, -1 if it never expires. */
enum eider_shdict_rc eider_shdict_ttl(struct eider_shdict *z, const char *key, size_t klen,
                                      long long *ms);
/* Calls FN for up to MAX live keys (0: all), in no order; FN must not call
 * back into the zone (the lock is held). Returns how many. */
size_t eider_shdict_keys(struct eider_shdict *z, size_t max,
                         void (*fn)(const char *key, size_t klen, void *arg), void *arg);
/* Live entries (expired ones are freed on the way). */
size_t eider_shdict_count(struct eider_shdict *z);
/* Bytes not holding entries: free pages plus free chunks of every size
 * class. A value needs a free chunk of its own class or a free page, so
 * not all of it may be usable for a given size (README: fragmentation). */
size_t eider_shdict_free_space(struct eider_shdict *z);
size_t eider_shdict_capacity(const struct eider_shdict *z);
/* Times the lock was found abandoned by a dead holder. */
unsigned eider_shdict_recoveries(struct eider_shdict *z);

/* For the unit test only: takes the lock, marked as mid-update when
 * WRITING, and never gives it back (the caller then dies holding it). */
void eider_shdict_test_hold(struct eider_shdict *z, int writing);

/* shdict_zones.c: the zones of the configurations in use, by name. */

/* Makes the zones CFG declares that do not exist yet (the same name with
 * the same size is kept, contents and all). Returns 0, or -1 with why in
 * err. */
int eider_shdict_zones_sync(const struct eider_config *cfg, char *err, size_t errlen);
/* Unmaps, in this process, the zones neither A nor B (either may be
 * NULL) declares. Workers forked earlier keep their own mappings. */
void eider_shdict_zones_retain(const struct eider_config *a, const struct eider_config *b);
/* The zone NAME of SIZE bytes, or NULL. */
struct eider_shdict *eider_shdict_zones_find(const char *name, size_t size);

#endif
