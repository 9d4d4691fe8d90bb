/*
 * The store of one shared dictionary, all inside one mmap(MAP_SHARED |
 * MAP_ANONYMOUS) region that the master maps before forking, so that
 * every worker sees it at the same address. Links are 32-bit offsets
 * from the region's start (0: none), never pointers.
 *
 *   [header | hash buckets | page table | pages of 16 KiB]
 *
 * Memory is handed out as memcached's slabs: an entry (header, key,
 * value) takes one chunk of the smallest size class that fits (classes
 * grow by 1.25 from 64 bytes to a whole page). A class gets a whole free
 * page when its free chunks run out, and a page whose chunks are all free
 * again goes back to the free pages, so memory moves between sizes as
 * the mix changes. Why not a general allocator: fixed chunks never need
 * coalescing, so every operation is O(1) under the lock; the cost is the
 * rounding up to the class (at most 25%) and chunks stranded in pages
 * that are partly used, measured in tests/bench/shdict.py.
 *
 * Each class has its own LRU list; the least recently used entry of all
 * is the oldest of their tails. A store that may evict, finding neither a
 * free chunk nor a free page, evicts that entry if it is of its own class
 * (a chunk of the right size at once), else that entry's whole page,
 * which then changes class (make_room). Expiry is checked when an entry
 * is touched; expired entries age to the tails and go first.
 *
 * The lock is a pthread mutex, PTHREAD_PROCESS_SHARED and ROBUST: a
 * worker killed while holding it (watchdog, OOM) does not wedge the
 * others. The next locker gets EOWNERDEAD; if the dead holder was in the
 * middle of a change (the header's writing flag), the links may be torn,
 * so they are rebuilt from the entries in the pages, each checked against
 * the hash of its key, and the one key that was being changed is dropped
 * (rebuild). A counter other than that key keeps its exact value.
 */
#include "shdict.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE_SIZE_SHD 16384u
#define MIN_CHUNK 64u
#define MAX_CLASSES 32
#define FREE_PAGE 0xffffu
#define MAGIC 0x65696465724b5644ULL   /* "eiderKVD" */
/* A store that may evict gives up after this many rounds of make_room(),
 * each of which frees an entry or a page: bounded so one call stays short. */
#define MAX_EVICTIONS 64

struct page {
    uint16_t cls;                   /* FREE_PAGE, or the class it is carved into */
    uint16_t used;                  /* chunks in use */
    uint32_t next_free;             /* free pages: the next one's index + 1 */
};

struct size_class {
    uint32_t chunk;                 /* bytes */
    uint32_t free_head;             /* free chunks, doubly linked through prev/next */
    uint32_t lru_head, lru_tail;    /* entries, most recently used first */
    uint32_t nfree;
};

struct header {
    uint64_t magic;
    pthread_mutex_t lock;
    uint32_t writing;               /* links may change: set after locking, cleared before unlocking */
    uint32_t dirty;                 /* an entry's key or value may change: the one of dirty_hash */
    uint32_t dirty_hash;
    uint32_t recoveries;
    uint64_t size;
    uint32_t nbuckets;              /* a power of two */
    uint32_t buckets;               /* offset of uint32_t[nbuckets] */
    uint32_t pages_meta;            /* offset of struct page[npages] */
    uint32_t pages;                 /* offset of the first page */
    uint32_t npages;
    uint32_t free_pages;            /* index + 1 of the first free page, 0: none */
    uint32_t nfree_pages;
    uint32_t nitems;
    uint32_t nclasses;
    struct size_class cls[MAX_CLASSES];
};

struct item {
    uint32_t hnext;                 /* hash chain */
    uint32_t prev, next;            /* the class's LRU list, or its free list */
    uint32_t hash;
    int64_t expires_ms;             /* CLOCK_MONOTONIC; 0: never */
    int64_t used_ms;                /* last use, to pick the oldest class tail */
    uint32_t vlen;
    uint16_t klen;
    uint8_t type;                   /* enum eider_shdict_type */
    uint8_t cls;
    double num;
    char data[];                    /* key, then a string value */
};

struct eider_shdict {               /* the region itself */
    struct header h;
};

#define AT(z, off) ((struct item *)((char *)(z) + (off)))
#define OFF(z, it) ((uint32_t)((char *)(it) - (char *)(z)))

/* Milliseconds on the monotonic clock, which all processes share. */
static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a of KEY, KLEN bytes. */
static uint32_t hash_key(const char *key, size_t klen)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < klen; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

static uint32_t *buckets(struct eider_shdict *z)
{
    return (uint32_t *)((char *)z + z->h.buckets);
}

static struct page *page_meta(struct eider_shdict *z)
{
    return (struct page *)((char *)z + z->h.pages_meta);
}

/* Index of the page holding the chunk at OFF. */
static uint32_t page_of(struct eider_shdict *z, uint32_t off)
{
    return (off - z->h.pages) / PAGE_SIZE_SHD;
}

/* --- doubly linked lists through item prev/next (LRU and free lists) --- */

static void list_unlink(struct eider_shdict *z, uint32_t *head, uint32_t *tail, struct item *it)
{
    uint32_t off = OFF(z, it);
    if (it->prev)
        AT(z, it->prev)->next = it->next;
    else if (*head == off)
        *head = it->next;
    if (it->next)
        AT(z, it->next)->prev = it->prev;
    else if (tail != NULL && *tail == off)
        *tail = it->prev;
    it->prev = it->next = 0;
}

static void list_push(struct eider_shdict *z, uint32_t *head, uint32_t *tail, struct item *it)
{
    uint32_t off = OFF(z, it);
    it->prev = 0;
    it->next = *head;
    if (*head)
        AT(z, *head)->prev = off;
    *head = off;
    if (tail != NULL && *tail == 0)
        *tail = off;
}

/* --- layout --- */

/* Lays out an empty store in the region of z->h.size bytes (the lock
 * already made): buckets, page table, pages, size classes. */
static void format(struct eider_shdict *z)
{
    struct header *h = &z->h;
    uint64_t size = h->size, chunk = MIN_CHUNK;
    uint32_t nb = 64;

    /* About one bucket per 512 bytes: short chains for small entries. */
    while ((uint64_t)nb * 512 < size && nb < (1u << 24))
        nb <<= 1;
    h->nbuckets = nb;
    h->buckets = (uint32_t)((sizeof(*h) + 63) & ~(size_t)63);
    h->pages_meta = h->buckets + nb * 4;
    h->npages = (uint32_t)((size - h->pages_meta - 64) / (PAGE_SIZE_SHD + sizeof(struct page)));
    h->pages = (uint32_t)((h->pages_meta + h->npages * sizeof(struct page) + 63) & ~(uint64_t)63);
    memset(buckets(z), 0, (size_t)nb * 4);
    for (uint32_t i = 0; i < h->npages; i++)
        page_meta(z)[i] = (struct page){ FREE_PAGE, 0, i + 2 <= h->npages ? i + 2 : 0 };
    h->free_pages = h->npages ? 1 : 0;
    h->nfree_pages = h->npages;
    h->nitems = 0;
    h->nclasses = 0;
    memset(h->cls, 0, sizeof(h->cls));
    while (h->nclasses < MAX_CLASSES) {
        h->cls[h->nclasses++].chunk = (uint32_t)chunk;
        if (chunk == PAGE_SIZE_SHD)
            break;
        chunk = ((chunk * 5 / 4) + 7) & ~(uint64_t)7;
        if (chunk > PAGE_SIZE_SHD || h->nclasses == MAX_CLASSES - 1)
            chunk = PAGE_SIZE_SHD;
    }
}

/* A new zone of SIZE bytes, formatted empty (shdict.h). */
struct eider_shdict *eider_shdict_create(size_t size)
{
    struct eider_shdict *z;
    pthread_mutexattr_t attr;

    if (size < EIDER_SHDICT_MIN_SIZE || size > EIDER_SHDICT_MAX_SIZE) {
        errno = EINVAL;
        return NULL;
    }
    z = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (z == MAP_FAILED)
        return NULL;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&z->h.lock, &attr);
    pthread_mutexattr_destroy(&attr);
    z->h.magic = MAGIC;
    z->h.size = size;
    format(z);
    return z;
}

/* Unmaps Z in this process (others keep their mappings). */
void eider_shdict_destroy(struct eider_shdict *z)
{
    if (z != NULL)
        munmap(z, z->h.size);
}

/* The SIZE Z was made with. */
size_t eider_shdict_capacity(const struct eider_shdict *z)
{
    return z->h.size;
}

/* --- the lock --- */

static void rebuild(struct eider_shdict *z);

/* Takes the lock for a change (WRITING) or a read. A holder that died
 * mid-change may have left torn links: they are rebuilt from the entries
 * themselves (rebuild). */
static void lock(struct eider_shdict *z, int writing)
{
    if (pthread_mutex_lock(&z->h.lock) == EOWNERDEAD) {
        if (z->h.writing)
            rebuild(z);
        z->h.recoveries++;
        pthread_mutex_consistent(&z->h.lock);
    }
    z->h.writing = (uint32_t)writing;
    z->h.dirty = 0;
}

/* Marks the entry of HASH as changing until unlock (rebuild drops it). */
static void dirty(struct eider_shdict *z, uint32_t hash)
{
    z->h.dirty_hash = hash;
    z->h.dirty = 1;
}

/* Gives the lock back. */
static void unlock(struct eider_shdict *z)
{
    z->h.writing = 0;
    z->h.dirty = 0;
    pthread_mutex_unlock(&z->h.lock);
}

/* Unit test only: takes the lock and keeps it (shdict.h). */
void eider_shdict_test_hold(struct eider_shdict *z, int writing)
{
    lock(z, writing);
}

/* How many times a dead holder's lock was taken over. */
unsigned eider_shdict_recoveries(struct eider_shdict *z)
{
    unsigned n;
    lock(z, 0);
    n = z->h.recoveries;
    unlock(z);
    return n;
}

/* --- chunks --- */

/* The class whose chunks hold N bytes, or -1 if none does. */
static int class_for(struct eider_shdict *z, size_t n)
{
    for (uint32_t c = 0; c < z->h.nclasses; c++)
        if (z->h.cls[c].chunk >= n)
            return (int)c;
    return -1;
}

/* Carves free page P into chunks of class C. */
static void carve(struct eider_shdict *z, uint32_t p, int c)
{
    struct size_class *sc = &z->h.cls[c];
    uint32_t base = z->h.pages + p * PAGE_SIZE_SHD;

    page_meta(z)[p].cls = (uint16_t)c;
    page_meta(z)[p].used = 0;
    for (uint32_t k = 0; k + sc->chunk <= PAGE_SIZE_SHD; k += sc->chunk) {
        AT(z, base + k)->type = 0;
        list_push(z, &sc->free_head, NULL, AT(z, base + k));
        sc->nfree++;
    }
}

/* Gives back the chunk of IT (already out of the hash and LRU lists);
 * a page left with no chunk in use returns to the free pages. */
static void chunk_free(struct eider_shdict *z, struct item *it)
{
    int c = it->cls;
    struct size_class *sc = &z->h.cls[c];
    uint32_t p = page_of(z, OFF(z, it));
    struct page *pm = &page_meta(z)[p];

    it->type = 0;   /* free: evict_page skips it */
    list_push(z, &sc->free_head, NULL, it);
    sc->nfree++;
    if (--pm->used > 0)
        return;
    uint32_t base = z->h.pages + p * PAGE_SIZE_SHD;
    for (uint32_t k = 0; k + sc->chunk <= PAGE_SIZE_SHD; k += sc->chunk) {
        list_unlink(z, &sc->free_head, NULL, AT(z, base + k));
        sc->nfree--;
    }
    pm->cls = FREE_PAGE;
    pm->next_free = z->h.free_pages;
    z->h.free_pages = p + 1;
    z->h.nfree_pages++;
}

/* Unlinks IT from its hash chain only (it stays allocated). */
static void unhash(struct eider_shdict *z, struct item *it)
{
    uint32_t *slot = &buckets(z)[it->hash & (z->h.nbuckets - 1)];
    while (*slot && *slot != OFF(z, it))
        slot = &AT(z, *slot)->hnext;
    if (*slot)
        *slot = it->hnext;
}

/* Removes IT from its hash chain and LRU list and frees its chunk. */
static void item_remove(struct eider_shdict *z, struct item *it)
{
    struct size_class *sc = &z->h.cls[it->cls];

    unhash(z, it);
    list_unlink(z, &sc->lru_head, &sc->lru_tail, it);
    z->h.nitems--;
    chunk_free(z, it);
}

/* Evicts every entry in page P, which then returns to the free pages. */
static void evict_page(struct eider_shdict *z, uint32_t p)
{
    struct page *pm = &page_meta(z)[p];
    uint32_t chunk = z->h.cls[pm->cls].chunk, base = z->h.pages + p * PAGE_SIZE_SHD;

    for (uint32_t k = 0; k + chunk <= PAGE_SIZE_SHD && pm->cls != FREE_PAGE; k += chunk)
        if (AT(z, base + k)->type != 0)
            item_remove(z, AT(z, base + k));
}

/* Makes room for a chunk of class C when there is neither a free chunk
 * nor a free page, after the least recently used entry of all (the
 * oldest of the classes' tails): in class C, that entry goes; in another
 * class, its whole page goes (memcached's slab reassignment), so memory
 * follows the sizes in use instead of staying with the class that took
 * it first. The page holding PINNED (an entry being replaced, in no LRU
 * list) is never taken; only the one entry goes then. Returns 0, or -1
 * if there is no entry to evict. */
static int make_room(struct eider_shdict *z, int c, uint32_t pinned)
{
    uint32_t victim = 0;
    struct item *it;

    for (uint32_t k = 0; k < z->h.nclasses; k++) {
        uint32_t t = z->h.cls[k].lru_tail;
        if (t && (victim == 0 || AT(z, t)->used_ms < AT(z, victim)->used_ms))
            victim = t;
    }
    if (victim == 0)
        return -1;
    it = AT(z, victim);
    if (it->cls == c || (pinned && page_of(z, pinned) == page_of(z, victim)))
        item_remove(z, it);
    else
        evict_page(z, page_of(z, victim));
    return 0;
}

/* A chunk of class C, evicting if EVICT allows (never the entry at
 * PINNED): NULL if none can be had. */
static struct item *chunk_alloc(struct eider_shdict *z, int c, int evict, uint32_t pinned)
{
    struct size_class *sc = &z->h.cls[c];

    for (int evictions = 0;;) {
        if (sc->free_head) {
            struct item *it = AT(z, sc->free_head);
            list_unlink(z, &sc->free_head, NULL, it);
            sc->nfree--;
            page_meta(z)[page_of(z, OFF(z, it))].used++;
            it->cls = (uint8_t)c;
            return it;
        }
        if (z->h.free_pages) {
            uint32_t p = z->h.free_pages - 1;
            z->h.free_pages = page_meta(z)[p].next_free;
            z->h.nfree_pages--;
            carve(z, p, c);
            continue;
        }
        if (!evict || evictions++ >= MAX_EVICTIONS || make_room(z, c, pinned) < 0)
            return NULL;
    }
}

/* --- lookups --- */

/* The live entry for KEY (an expired one is freed on the way), or NULL. */
static struct item *find(struct eider_shdict *z, const char *key, size_t klen, uint32_t hash,
                         int64_t now)
{
    for (uint32_t off = buckets(z)[hash & (z->h.nbuckets - 1)]; off; off = AT(z, off)->hnext) {
        struct item *it = AT(z, off);
        if (it->hash != hash || it->klen != klen || memcmp(it->data, key, klen) != 0)
            continue;
        if (it->expires_ms && it->expires_ms <= now) {
            item_remove(z, it);
            return NULL;
        }
        return it;
    }
    return NULL;
}

/* Moves IT to the head of its class's LRU list. */
static void touch(struct eider_shdict *z, struct item *it, int64_t now)
{
    struct size_class *sc = &z->h.cls[it->cls];
    list_unlink(z, &sc->lru_head, &sc->lru_tail, it);
    list_push(z, &sc->lru_head, &sc->lru_tail, it);
    it->used_ms = now;
}

/* Fills IT, a chunk in no hash chain and no list, with KEY and V and
 * links it in as the most recently used of its class. */
static void item_fill(struct eider_shdict *z, struct item *it, const char *key, size_t klen, uint32_t hash,
                      const struct eider_shdict_value *v, int64_t expires, int64_t now)
{
    uint32_t *slot = &buckets(z)[hash & (z->h.nbuckets - 1)];

    it->hash = hash;
    it->klen = (uint16_t)klen;
    it->type = (uint8_t)v->type;
    it->num = v->num;
    it->vlen = v->type == EIDER_SHD_STRING ? (uint32_t)v->len : 0;
    it->expires_ms = expires;
    memcpy(it->data, key, klen);
    if (it->vlen)
        memcpy(it->data + klen, v->str, it->vlen);
    it->hnext = *slot;
    *slot = OFF(z, it);
    list_push(z, &z->h.cls[it->cls].lru_head, &z->h.cls[it->cls].lru_tail, it);
    it->used_ms = now;
    z->h.nitems++;
}

/* Stores under the lock: see eider_shdict_store. */
static enum eider_shdict_rc store_locked(struct eider_shdict *z, const char *key, size_t klen,
                                         const struct eider_shdict_value *v, int64_t expires,
                                         int flags, int64_t now)
{
    uint32_t hash = hash_key(key, klen);
    struct item *old = find(z, key, klen, hash, now), *it;
    size_t need = sizeof(struct item) + klen + (v->type == EIDER_SHD_STRING ? v->len : 0);
    int c = class_for(z, need);

    if (old != NULL && (flags & EIDER_SHD_IF_ABSENT))
        return EIDER_SHD_EXISTS;
    if (old == NULL && (flags & EIDER_SHD_IF_PRESENT))
        return EIDER_SHD_NOT_FOUND;
    if (c < 0)
        return EIDER_SHD_TOO_LARGE;
    dirty(z, hash);
    if (old != NULL && old->cls == c) {   /* same chunk size: in place */
        unhash(z, old);
        list_unlink(z, &z->h.cls[c].lru_head, &z->h.cls[c].lru_tail, old);
        z->h.nitems--;
        item_fill(z, old, key, klen, hash, v, expires, now);
        return EIDER_SHD_OK;
    }
    /* Out of the LRU list while a chunk is found, so that eviction cannot
     * take it, and back if none is: a failed store keeps the old value. */
    if (old != NULL)
        list_unlink(z, &z->h.cls[old->cls].lru_head, &z->h.cls[old->cls].lru_tail, old);
    it = chunk_alloc(z, c, flags & EIDER_SHD_EVICT, old != NULL ? OFF(z, old) : 0);
    if (old != NULL) {
        list_push(z, &z->h.cls[old->cls].lru_head, &z->h.cls[old->cls].lru_tail, old);
        if (it != NULL)
            item_remove(z, old);
    }
    if (it == NULL)
        return EIDER_SHD_NO_MEMORY;
    item_fill(z, it, key, klen, hash, v, expires, now);
    return EIDER_SHD_OK;
}

static int64_t expiry(long long ttl_ms, int64_t now)
{
    return ttl_ms > 0 ? now + ttl_ms : 0;
}

/* Checks the bounds, then stores under the lock (shdict.h). */
enum eider_shdict_rc eider_shdict_store(struct eider_shdict *z, const char *key, size_t klen,
                                        const struct eider_shdict_value *v, long long ttl_ms, int flags)
{
    enum eider_shdict_rc rc;
    int64_t now = now_ms();

    if (klen == 0 || klen > EIDER_SHDICT_MAX_KEY
        || (v->type == EIDER_SHD_STRING && v->len > EIDER_SHDICT_MAX_VALUE))
        return EIDER_SHD_TOO_LARGE;
    lock(z, 1);
    rc = store_locked(z, key, klen, v, expiry(ttl_ms, now), flags, now);
    unlock(z);
    return rc;
}

/* The value of KEY copied out, touching it (shdict.h). */
enum eider_shdict_rc eider_shdict_get(struct eider_shdict *z, const char *key, size_t klen,
                                      struct eider_shdict_value *out, char *buf, size_t bufcap)
{
    struct item *it;
    int64_t now = now_ms();

    if (klen == 0 || klen > EIDER_SHDICT_MAX_KEY)
        return EIDER_SHD_NOT_FOUND;
    lock(z, 1);   /* moves the entry in its LRU list */
    if ((it = find(z, key, klen, hash_key(key, klen), now)) != NULL) {
        touch(z, it, now);
        if (out != NULL) {
            out->type = (enum eider_shdict_type)it->type;
            out->num = it->num;
            out->len = it->vlen < bufcap ? it->vlen : bufcap;
            memcpy(buf, it->data + it->klen, out->len);
            out->str = buf;
        }
    }
    unlock(z);
    return it != NULL ? EIDER_SHD_OK : EIDER_SHD_NOT_FOUND;
}

/* Adds DELTA, or creates the key from INIT (shdict.h). */
enum eider_shdict_rc eider_shdict_incr(struct eider_shdict *z, const char *key, size_t klen,
                                       double delta, int has_init, double init, long long ttl_ms,
                                       double *out)
{
    enum eider_shdict_rc rc = EIDER_SHD_OK;
    struct item *it;
    int64_t now = now_ms();
    uint32_t hash = hash_key(key, klen);

    if (klen == 0 || klen > EIDER_SHDICT_MAX_KEY)
        return EIDER_SHD_TOO_LARGE;
    lock(z, 1);
    if ((it = find(z, key, klen, hash, now)) != NULL) {
        if (it->type != EIDER_SHD_NUMBER) {
            rc = EIDER_SHD_NOT_NUMBER;
        } else {
            dirty(z, hash);
            *out = it->num += delta;
            touch(z, it, now);
        }
    } else if (!has_init) {
        rc = EIDER_SHD_NOT_FOUND;
    } else {
        struct eider_shdict_value v = { .type = EIDER_SHD_NUMBER, .num = init + delta };
        if ((rc = store_locked(z, key, klen, &v, expiry(ttl_ms, now), EIDER_SHD_EVICT, now)) == EIDER_SHD_OK)
            *out = v.num;
    }
    unlock(z);
    return rc;
}

/* Removes KEY: OK, or NOT_FOUND. */
enum eider_shdict_rc eider_shdict_delete(struct eider_shdict *z, const char *key, size_t klen)
{
    struct item *it;

    if (klen == 0 || klen > EIDER_SHDICT_MAX_KEY)
        return EIDER_SHD_NOT_FOUND;
    lock(z, 1);
    dirty(z, hash_key(key, klen));
    if ((it = find(z, key, klen, hash_key(key, klen), now_ms())) != NULL)
        item_remove(z, it);
    unlock(z);
    return it != NULL ? EIDER_SHD_OK : EIDER_SHD_NOT_FOUND;
}

/* Milliseconds KEY has left, -1: no expiry (shdict.h). */
enum eider_shdict_rc eider_shdict_ttl(struct eider_shdict *z, const char *key, size_t klen, long long *ms)
{
    struct item *it;
    int64_t now = now_ms();

    if (klen == 0 || klen > EIDER_SHDICT_MAX_KEY)
        return EIDER_SHD_NOT_FOUND;
    lock(z, 1);   /* find frees an expired entry */
    if ((it = find(z, key, klen, hash_key(key, klen), now)) != NULL)
        *ms = it->expires_ms ? it->expires_ms - now : -1;
    unlock(z);
    return it != NULL ? EIDER_SHD_OK : EIDER_SHD_NOT_FOUND;
}

/* Calls FN (if any) for up to MAX (0: all) live entries, freeing expired
 * ones; the lock is held by the caller. Returns how many live ones. */
static size_t walk(struct eider_shdict *z, size_t max, void (*fn)(const char *, size_t, void *), void *arg)
{
    int64_t now = now_ms();
    size_t n = 0;

    for (uint32_t b = 0; b < z->h.nbuckets && (max == 0 || n < max); b++) {
        uint32_t off = buckets(z)[b];
        while (off && (max == 0 || n < max)) {
            struct item *it = AT(z, off);
            off = it->hnext;
            if (it->expires_ms && it->expires_ms <= now) {
                item_remove(z, it);
                continue;
            }
            if (fn != NULL)
                fn(it->data, it->klen, arg);
            n++;
        }
    }
    return n;
}

/* Up to MAX live keys to FN, under the lock (shdict.h). */
size_t eider_shdict_keys(struct eider_shdict *z, size_t max,
                         void (*fn)(const char *key, size_t klen, void *arg), void *arg)
{
    size_t n;
    lock(z, 1);
    n = walk(z, max, fn, arg);
    unlock(z);
    return n;
}

/* Live entries, freeing expired ones on the way. */
size_t eider_shdict_count(struct eider_shdict *z)
{
    size_t n;
    lock(z, 1);
    n = walk(z, 0, NULL, NULL);
    unlock(z);
    return n;
}

/* Free pages and free chunks, in bytes (shdict.h). */
size_t eider_shdict_free_space(struct eider_shdict *z)
{
    size_t n;
    lock(z, 0);
    n = (size_t)z->h.nfree_pages * PAGE_SIZE_SHD;
    for (uint32_t c = 0; c < z->h.nclasses; c++)
        n += (size_t)z->h.cls[c].nfree * z->h.cls[c].chunk;
    unlock(z);
    return n;
}

/* --- recovery --- */

/* Whether the chunk IT of class C holds an entry that can be trusted: a
 * live type, its own class, lengths that fit, and a key that hashes to
 * the hash it carries (which torn or stale bytes will not), and not the
 * entry a dead holder was changing. */
static int intact(struct eider_shdict *z, const struct item *it, int c)
{
    return it->type >= EIDER_SHD_STRING && it->type <= EIDER_SHD_BOOLEAN && it->cls == c
        && it->klen >= 1 && it->klen <= EIDER_SHDICT_MAX_KEY
        && (it->type == EIDER_SHD_STRING || it->vlen == 0)
        && sizeof(struct item) + it->klen + (uint64_t)it->vlen <= z->h.cls[c].chunk
        && it->hash == hash_key(it->data, it->klen)
        && !(z->h.dirty && it->hash == z->h.dirty_hash);
}

/* A holder died in the middle of a change: every link (hash chains, LRU
 * and free lists, page counts, free pages) is made again from the pages,
 * keeping the entries that are intact. The key being changed is dropped
 * in every copy (a replacement cut short may have left two), so no key
 * is ever found twice. LRU order is lost: entries start equal. */
static void rebuild(struct eider_shdict *z)
{
    struct header *h = &z->h;

    memset(buckets(z), 0, (size_t)h->nbuckets * 4);
    for (uint32_t c = 0; c < h->nclasses; c++)
        h->cls[c].free_head = h->cls[c].lru_head = h->cls[c].lru_tail = h->cls[c].nfree = 0;
    h->nitems = h->free_pages = h->nfree_pages = 0;
    for (uint32_t p = h->npages; p-- > 0;) {
        struct page *pm = &page_meta(z)[p];
        uint32_t base = h->pages + p * PAGE_SIZE_SHD, chunk = 0, used = 0;
        int c = pm->cls;
        if (c != FREE_PAGE && c < (int)h->nclasses) {
            chunk = h->cls[c].chunk;
            for (uint32_t k = 0; k + chunk <= PAGE_SIZE_SHD; k += chunk)
                if (intact(z, AT(z, base + k), c))
                    used++;
        }
        if (used == 0) {
            pm->cls = FREE_PAGE;
            pm->next_free = h->free_pages;
            h->free_pages = p + 1;
            h->nfree_pages++;
            continue;
        }
        pm->used = (uint16_t)used;
        for (uint32_t k = 0; k + chunk <= PAGE_SIZE_SHD; k += chunk) {
            struct item *it = AT(z, base + k);
            if (!intact(z, it, c)) {
                it->type = 0;
                list_push(z, &h->cls[c].free_head, NULL, it);
                h->cls[c].nfree++;
                continue;
            }
            it->hnext = buckets(z)[it->hash & (h->nbuckets - 1)];
            buckets(z)[it->hash & (h->nbuckets - 1)] = OFF(z, it);
            list_push(z, &h->cls[c].lru_head, &h->cls[c].lru_tail, it);
            h->nitems++;
        }
    }
}
