/*
 * The shared dictionary store (framework/shdict.c): atomic increments
 * from several processes, values, TTL, eviction and its absence, the
 * bounds, and the robust lock after a holder is killed.
 */
#include "unit.h"
#include "../../framework/shdict.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define K(s) (s), strlen(s)

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
    nanosleep(&ts, NULL);
}

static struct eider_shdict_value str_value(const char *s)
{
    return (struct eider_shdict_value){ .type = EIDER_SHD_STRING, .str = s, .len = strlen(s) };
}

static struct eider_shdict_value num_value(double n)
{
    return (struct eider_shdict_value){ .type = EIDER_SHD_NUMBER, .num = n };
}

/* Waits for every child; returns how many did not exit 0. */
static int reap_all(int n)
{
    int bad = 0, status;
    for (int i = 0; i < n; i++)
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bad++;
    return bad;
}

/* Six processes adding 1 to the same key (and their own) end exact. */
TEST(incr_across_processes)
{
    struct eider_shdict *z = eider_shdict_create(1 << 20);
    enum { PROCS = 6, EACH = 20000 };
    double out = 0;
    char key[16];

    CHECK(z != NULL);
    for (int p = 0; p < PROCS; p++)
        if (fork() == 0) {
            snprintf(key, sizeof(key), "own%d", p);
            for (int i = 0; i < EACH; i++)
                if (eider_shdict_incr(z, K("total"), 1, 1, 0, 0, &out) != EIDER_SHD_OK
                    || eider_shdict_incr(z, K(key), 2, 1, 0, 0, &out) != EIDER_SHD_OK)
                    _exit(1);
            _exit(0);
        }
    CHECK_INT(reap_all(PROCS), 0);
    CHECK_INT(eider_shdict_incr(z, K("total"), 0, 0, 0, 0, &out), EIDER_SHD_OK);
    CHECK_INT(out, PROCS * EACH);
    for (int p = 0; p < PROCS; p++) {
        snprintf(key, sizeof(key), "own%d", p);
        CHECK_INT(eider_shdict_incr(z, K(key), 0, 0, 0, 0, &out), EIDER_SHD_OK);
        CHECK_INT(out, 2 * EACH);
    }
    CHECK_INT(eider_shdict_count(z), PROCS + 1);
    eider_shdict_destroy(z);
}

/* Strings, numbers and booleans; add, replace, delete, has; incr rules. */
TEST(values_and_modes)
{
    struct eider_shdict *z = eider_shdict_create(256 * 1024);
    struct eider_shdict_value v, s = str_value("hello"), t = { .type = EIDER_SHD_BOOLEAN, .num = 1 };
    struct eider_shdict_value n = num_value(2.5);
    char buf[EIDER_SHDICT_MAX_VALUE];
    double out;

    CHECK_INT(eider_shdict_store(z, K("s"), &s, 0, EIDER_SHD_EVICT), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_store(z, K("n"), &n, 0, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_store(z, K("b"), &t, 0, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_get(z, K("s"), &v, buf, sizeof(buf)), EIDER_SHD_OK);
    CHECK_INT(v.type, EIDER_SHD_STRING);
    CHECK(v.len == 5 && memcmp(v.str, "hello", 5) == 0);
    CHECK_INT(eider_shdict_get(z, K("b"), &v, buf, sizeof(buf)), EIDER_SHD_OK);
    CHECK(v.type == EIDER_SHD_BOOLEAN && v.num == 1);
    CHECK_INT(eider_shdict_incr(z, K("n"), 1, 0, 0, 0, &out), EIDER_SHD_OK);
    CHECK(out == 3.5);
    CHECK_INT(eider_shdict_incr(z, K("s"), 1, 0, 0, 0, &out), EIDER_SHD_NOT_NUMBER);
    CHECK_INT(eider_shdict_incr(z, K("none"), 1, 0, 0, 0, &out), EIDER_SHD_NOT_FOUND);
    CHECK_INT(eider_shdict_incr(z, K("made"), 5, 1, 10, 0, &out), EIDER_SHD_OK);
    CHECK(out == 15);
    CHECK_INT(eider_shdict_store(z, K("s"), &n, 0, EIDER_SHD_IF_ABSENT), EIDER_SHD_EXISTS);
    CHECK_INT(eider_shdict_store(z, K("x"), &n, 0, EIDER_SHD_IF_PRESENT), EIDER_SHD_NOT_FOUND);
    CHECK_INT(eider_shdict_get(z, K("x"), NULL, NULL, 0), EIDER_SHD_NOT_FOUND);
    /* A longer string moves the entry to a bigger chunk. */
    char big[3000];
    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    s = str_value(big);
    CHECK_INT(eider_shdict_store(z, K("s"), &s, 0, EIDER_SHD_IF_PRESENT | EIDER_SHD_EVICT), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_get(z, K("s"), &v, buf, sizeof(buf)), EIDER_SHD_OK);
    CHECK_INT(v.len, sizeof(big) - 1);
    CHECK_INT(eider_shdict_count(z), 4);
    CHECK_INT(eider_shdict_delete(z, K("s")), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_delete(z, K("s")), EIDER_SHD_NOT_FOUND);
    CHECK_INT(eider_shdict_count(z), 3);
    eider_shdict_destroy(z);
}

/* Keys up to 250 bytes, string values up to 16000. */
TEST(bounds)
{
    struct eider_shdict *z = eider_shdict_create(256 * 1024);
    static char key[EIDER_SHDICT_MAX_KEY + 1], val[EIDER_SHDICT_MAX_VALUE + 1];
    struct eider_shdict_value v = { .type = EIDER_SHD_STRING, .str = val, .len = EIDER_SHDICT_MAX_VALUE };

    memset(key, 'k', sizeof(key));
    memset(val, 'v', sizeof(val));
    CHECK_INT(eider_shdict_store(z, key, EIDER_SHDICT_MAX_KEY, &v, 0, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_store(z, key, EIDER_SHDICT_MAX_KEY + 1, &v, 0, 0), EIDER_SHD_TOO_LARGE);
    v.len++;
    CHECK_INT(eider_shdict_store(z, key, 10, &v, 0, 0), EIDER_SHD_TOO_LARGE);
    CHECK_INT(eider_shdict_store(z, key, 0, &v, 0, 0), EIDER_SHD_TOO_LARGE);
    eider_shdict_destroy(z);
}

/* An entry with a TTL is gone after it; incr's TTL applies when it creates. */
TEST(ttl_expiry)
{
    struct eider_shdict *z = eider_shdict_create(256 * 1024);
    struct eider_shdict_value n = num_value(1);
    long long ms = 0;
    double out;

    CHECK_INT(eider_shdict_store(z, K("short"), &n, 100, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_store(z, K("forever"), &n, 0, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_incr(z, K("window"), 1, 1, 0, 100, &out), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_ttl(z, K("short"), &ms), EIDER_SHD_OK);
    CHECK(ms > 0 && ms <= 100);
    CHECK_INT(eider_shdict_ttl(z, K("forever"), &ms), EIDER_SHD_OK);
    CHECK_INT(ms, -1);
    sleep_ms(250);
    CHECK_INT(eider_shdict_get(z, K("short"), NULL, NULL, 0), EIDER_SHD_NOT_FOUND);
    CHECK_INT(eider_shdict_ttl(z, K("short"), &ms), EIDER_SHD_NOT_FOUND);
    CHECK_INT(eider_shdict_incr(z, K("window"), 1, 1, 0, 100, &out), EIDER_SHD_OK);
    CHECK(out == 1);   /* a new window */
    CHECK_INT(eider_shdict_count(z), 2);
    eider_shdict_destroy(z);
}

/* Full: an evicting store drops the least recently used entries; one that
 * may not evict fails and leaves everything (the old value too) in place. */
TEST(eviction)
{
    struct eider_shdict *z = eider_shdict_create(EIDER_SHDICT_MIN_SIZE);
    char val[1000], key[32], buf[EIDER_SHDICT_MAX_VALUE];
    struct eider_shdict_value v = { .type = EIDER_SHD_STRING, .str = val, .len = sizeof(val) }, got;
    int stored = 0, i;
    size_t before;

    memset(val, 'v', sizeof(val));
    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        if (eider_shdict_store(z, K(key), &v, 0, 0) != EIDER_SHD_OK)
            break;
        stored++;
    }
    CHECK(stored > 50 && stored < 1000);   /* 128 KiB holds about a hundred */
    before = eider_shdict_count(z);
    CHECK_INT(eider_shdict_store(z, K("more"), &v, 0, 0), EIDER_SHD_NO_MEMORY);
    CHECK_INT(eider_shdict_store(z, K("more"), &v, 0, EIDER_SHD_IF_ABSENT), EIDER_SHD_NO_MEMORY);
    /* k0 to a bigger chunk: no room, and k0 keeps its value. */
    char bigger[1500];
    memset(bigger, 'b', sizeof(bigger));
    struct eider_shdict_value b = { .type = EIDER_SHD_STRING, .str = bigger, .len = sizeof(bigger) };
    CHECK_INT(eider_shdict_store(z, K("k0"), &b, 0, 0), EIDER_SHD_NO_MEMORY);
    CHECK_INT(eider_shdict_get(z, K("k0"), &got, buf, sizeof(buf)), EIDER_SHD_OK);
    CHECK_INT(got.len, sizeof(val));
    CHECK_INT(eider_shdict_count(z), before);
    /* k1 used now: the evicting stores take k2, k3, ... first. */
    CHECK_INT(eider_shdict_get(z, K("k1"), NULL, NULL, 0), EIDER_SHD_OK);
    for (i = 0; i < 5; i++) {
        snprintf(key, sizeof(key), "new%d", i);
        CHECK_INT(eider_shdict_store(z, K(key), &v, 0, EIDER_SHD_EVICT), EIDER_SHD_OK);
    }
    CHECK_INT(eider_shdict_get(z, K("k1"), NULL, NULL, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_get(z, K("k2"), NULL, NULL, 0), EIDER_SHD_NOT_FOUND);
    CHECK_INT(eider_shdict_get(z, K("new4"), NULL, NULL, 0), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_count(z), before);
    /* A size no page is carved for: evicting other sizes frees a page. */
    CHECK_INT(eider_shdict_store(z, K("huge"), &b, 0, EIDER_SHD_EVICT), EIDER_SHD_OK);
    char max[EIDER_SHDICT_MAX_VALUE];
    memset(max, 'm', sizeof(max));
    struct eider_shdict_value m = { .type = EIDER_SHD_STRING, .str = max, .len = sizeof(max) };
    CHECK_INT(eider_shdict_store(z, K("max"), &m, 0, EIDER_SHD_EVICT), EIDER_SHD_OK);
    CHECK_INT(eider_shdict_get(z, K("max"), &got, buf, sizeof(buf)), EIDER_SHD_OK);
    CHECK_INT(got.len, sizeof(max));
    eider_shdict_destroy(z);
}

/* Memory follows the sizes in use: after the zone is full of small
 * entries, larger ones take pages from them (a page's small entries all
 * go, the recent ones too), and the newest larger ones all stay, not
 * just one page's worth. */
TEST(eviction_moves_pages_between_sizes)
{
    struct eider_shdict *z = eider_shdict_create(EIDER_SHDICT_MIN_SIZE);
    struct eider_shdict_value n = num_value(1);
    char val[1000], key[32];
    struct eider_shdict_value v = { .type = EIDER_SHD_STRING, .str = val, .len = sizeof(val) };
    int present = 0;

    memset(val, 'v', sizeof(val));
    for (int i = 0; i < 3000; i++) {
        snprintf(key, sizeof(key), "small%d", i);
        CHECK_INT(eider_shdict_store(z, K(key), &n, 0, EIDER_SHD_EVICT), EIDER_SHD_OK);
    }
    CHECK(eider_shdict_count(z) > 1000);
    for (int i = 0; i < 50; i++) {
        snprintf(key, sizeof(key), "large%d", i);
        CHECK_INT(eider_shdict_store(z, K(key), &v, 0, EIDER_SHD_EVICT), EIDER_SHD_OK);
    }
    for (int i = 0; i < 50; i++) {
        snprintf(key, sizeof(key), "large%d", i);
        present += eider_shdict_get(z, K(key), NULL, NULL, 0) == EIDER_SHD_OK;
    }
    CHECK_INT(present, 50);
    /* Whole pages moved, no more: 4 of the 7 hold the large ones. */
    CHECK(eider_shdict_count(z) - 50 >= 3 * 256);
    eider_shdict_destroy(z);
}

/* Space freed by deleting returns as whole pages, usable by any size. */
TEST(free_space_returns)
{
    struct eider_shdict *z = eider_shdict_create(EIDER_SHDICT_MIN_SIZE);
    struct eider_shdict_value v = num_value(1);
    size_t empty = eider_shdict_free_space(z);
    char key[32];

    CHECK(empty > EIDER_SHDICT_MIN_SIZE / 2 && empty <= EIDER_SHDICT_MIN_SIZE);
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof(key), "n%d", i);
        CHECK_INT(eider_shdict_store(z, K(key), &v, 0, 0), EIDER_SHD_OK);
    }
    CHECK(eider_shdict_free_space(z) < empty);
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof(key), "n%d", i);
        CHECK_INT(eider_shdict_delete(z, K(key)), EIDER_SHD_OK);
    }
    CHECK_INT(eider_shdict_free_space(z), empty);
    eider_shdict_destroy(z);
}

/* Forks a child that takes the lock (mid-change when WRITING) and is
 * killed holding it. */
static void die_holding(struct eider_shdict *z, int writing)
{
    int fds[2];
    char c;
    pid_t pid;

    CHECK(pipe(fds) == 0);
    if ((pid = fork()) == 0) {
        eider_shdict_test_hold(z, writing);
        (void)!write(fds[1], "x", 1);
        pause();
        _exit(0);
    }
    CHECK(read(fds[0], &c, 1) == 1);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

/* A holder killed with the lock does not wedge the others: the next
 * caller gets it. Killed outside a change or in the middle of one (the
 * links rebuilt from the entries), the contents stay. */
TEST(robust_lock_recovery)
{
    struct eider_shdict *z = eider_shdict_create(256 * 1024);
    double out;

    CHECK_INT(eider_shdict_incr(z, K("c"), 1, 1, 0, 0, &out), EIDER_SHD_OK);
    die_holding(z, 0);
    CHECK_INT(eider_shdict_incr(z, K("c"), 1, 0, 0, 0, &out), EIDER_SHD_OK);
    CHECK(out == 2);
    CHECK_INT(eider_shdict_recoveries(z), 1);
    die_holding(z, 1);
    CHECK_INT(eider_shdict_incr(z, K("c"), 1, 0, 0, 0, &out), EIDER_SHD_OK);
    CHECK(out == 3);
    CHECK_INT(eider_shdict_recoveries(z), 2);
    CHECK_INT(eider_shdict_count(z), 1);
    eider_shdict_destroy(z);
}

static char keys_seen[4096][EIDER_SHDICT_MAX_KEY + 1];
static size_t lens_seen[4096], nseen;

static void collect(const char *key, size_t klen, void *arg)
{
    (void)arg;
    memcpy(keys_seen[nseen], key, klen);
    lens_seen[nseen++] = klen;
}

/* Deletes every key; returns how many there were. */
static size_t delete_all(struct eider_shdict *z)
{
    size_t n;

    nseen = 0;
    eider_shdict_keys(z, 4096, collect, NULL);
    n = nseen;
    for (size_t i = 0; i < n; i++)
        eider_shdict_delete(z, keys_seen[i], lens_seen[i]);
    return n;
}

/* Children doing every kind of change (stores of several sizes with
 * eviction, incr, delete) are SIGKILLed at random moments, some inside
 * the lock: the parent's own counters stay exact, every key the store
 * lists can be read, and once all are deleted the free space is what an
 * empty store has (no chunk or page lost or counted twice). */
TEST(killed_writers_leave_a_consistent_store)
{
    /* Big enough that nothing is evicted: the parent's key must stay. */
    struct eider_shdict *z = eider_shdict_create(2 << 20);
    size_t empty = eider_shdict_free_space(z);
    double out;

    for (int round = 0; round < 40; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            static char val[2000];
            char key[32];
            memset(val, 'x', sizeof(val));
            for (unsigned i = (unsigned)round * 7919;; i++) {
                struct eider_shdict_value v = { .type = EIDER_SHD_STRING, .str = val,
                                                .len = (i * 37) % sizeof(val) };
                snprintf(key, sizeof(key), "child%u", i % 300);
                if (i % 5 == 0)
                    eider_shdict_delete(z, K(key));
                else if (i % 5 == 1)
                    eider_shdict_incr(z, K("childcount"), 1, 1, 0, 0, &out);
                else
                    eider_shdict_store(z, K(key), &v, 0, EIDER_SHD_EVICT);
            }
        }
        sleep_ms(3 + round % 7);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        CHECK_INT(eider_shdict_incr(z, K("parent"), 1, 1, 0, 0, &out), EIDER_SHD_OK);
        CHECK_INT(out, round + 1);
    }
    CHECK(eider_shdict_recoveries(z) >= 1);   /* else the test proved little */
    printf("  %u of 40 kills inside the lock\n", eider_shdict_recoveries(z));
    CHECK_INT(eider_shdict_get(z, K("parent"), NULL, NULL, 0), EIDER_SHD_OK);
    size_t n = eider_shdict_count(z);
    CHECK(n >= 1);
    CHECK_INT(delete_all(z), n);
    CHECK_INT(eider_shdict_count(z), 0);
    CHECK_INT(eider_shdict_free_space(z), empty);
    eider_shdict_destroy(z);
}

UNIT_MAIN(incr_across_processes, values_and_modes, bounds, ttl_expiry, eviction,
          eviction_moves_pages_between_sizes, free_space_returns,
          robust_lock_recovery, killed_writers_leave_a_consistent_store)
