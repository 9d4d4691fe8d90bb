/*
 * fuzz_http_strict: the strict request validator (http_strict.c) on a
 * fuzzed client byte stream.
 *
 * The validator's promise is that what it passes on does not depend on how
 * TCP cut the stream, and that what it passes on is canonical. So each
 * input is fed
 *   1. in one piece,
 *   2. one byte per feed,
 *   3. in pieces cut where a PRNG seeded from the input says,
 * and the three runs must agree on the status, on every byte emitted, and
 * on where in the emitted stream each hook (begin, head, done) fired. Then
 * the emitted bytes are fed to a fresh validator: they must be accepted
 * whole and come out unchanged (normalizing is idempotent), also when the
 * original stream died with an error (what was emitted before it is a
 * valid prefix). A failure abort()s, so libFuzzer keeps the input.
 *
 * Small limits (a 1 KB head, a 2 KB body) put 431 and 413 in reach of
 * small inputs; a second one-piece run with the defaults eider ships
 * (8 KB, 1 MB) checks the same stream without them. The re-feed of the
 * normalized bytes has room to spare: normalizing may lengthen a head
 * ("Name:value" becomes "Name: value").
 */
#include "fuzz.h"
#include "http_strict.h"

/* What one run saw: the emitted bytes and the hook calls, each noted as
 * a letter with the emitted length at that moment. */
struct run {
    unsigned char *out;
    size_t len, cap;
    char *events;          /* "b", "h", "d" */
    size_t *at;
    size_t nevents, evcap;
    int status;
};

static void run_emit(void *arg, const void *data, size_t len)
{
    struct run *r = arg;

    FUZZ_ASSERT(len > 0 || data != NULL, "emit(NULL, 0)");
    if (r->len + len > r->cap) {
        r->cap = (r->len + len) * 2 + 64;
        r->out = realloc(r->out, r->cap);
    }
    if (len > 0)
        memcpy(r->out + r->len, data, len);
    r->len += len;
}

static void run_event(struct run *r, char what)
{
    if (r->nevents == r->evcap) {
        r->evcap = r->evcap * 2 + 16;
        r->events = realloc(r->events, r->evcap);
        r->at = realloc(r->at, r->evcap * sizeof(size_t));
    }
    r->events[r->nevents] = what;
    r->at[r->nevents++] = r->len;
}

static void run_begin(void *arg) { run_event(arg, 'b'); }
static void run_head(void *arg) { run_event(arg, 'h'); }
static void run_done(void *arg) { run_event(arg, 'd'); }

static void run_free(struct run *r)
{
    free(r->out);
    free(r->events);
    free(r->at);
}

/* A splitmix64 step: the cut points come from the input itself, so a
 * crash replays from the saved input alone. */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

enum cut { WHOLE, BYTES, RANDOM };

/* Feeds DATA to a fresh validator with LIMITS, cut as CUT says; each piece
 * is a heap copy of exactly its length (ASan sees a read past it). */
static void feed(struct run *r, const uint8_t *data, size_t size,
                 const struct eider_strict_limits *lim, enum cut cut, uint64_t seed)
{
    struct eider_strict s;
    struct eider_strict_hooks hooks = { run_emit, run_begin, run_head, run_done, r };
    size_t pos = 0;

    memset(r, 0, sizeof(*r));
    eider_strict_init(&s, lim, &hooks);
    while (pos < size && r->status == 0) {
        size_t n = size - pos;
        uint8_t *piece;
        if (cut == BYTES)
            n = 1;
        else if (cut == RANDOM)
            n = 1 + (size_t)(next_rand(&seed) % (next_rand(&seed) % 4 == 0 ? 64 : 8));
        if (n > size - pos)
            n = size - pos;
        piece = malloc(n);
        memcpy(piece, data + pos, n);
        r->status = eider_strict_feed(&s, piece, n);
        free(piece);
        pos += n;
        FUZZ_ASSERT(eider_strict_version(&s) == 10 || eider_strict_version(&s) == 11,
                    "version %d", eider_strict_version(&s));
        FUZZ_ASSERT(eider_strict_phase(&s) <= EIDER_STRICT_BODY, "phase %d",
                    (int)eider_strict_phase(&s));
    }
    if (r->status != 0) {
        /* http_strict.h lists all but 417, which the code gives for an
         * Expect other than 100-continue (and http.c and the gate know). */
        static const int allowed[] = { 400, 413, 414, 417, 431, 501, 505 };
        const char *why = eider_strict_why(&s);
        int ok = 0;
        for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
            ok |= r->status == allowed[i];
        FUZZ_ASSERT(ok, "status %d", r->status);
        FUZZ_ASSERT(why != NULL && why[0] != '\0', "status %d without a reason", r->status);
        /* A dead stream stays dead, and emits nothing more. */
        size_t before = r->len;
        FUZZ_ASSERT(eider_strict_feed(&s, "\r\n", 2) == r->status, "the stream came back to life");
        FUZZ_ASSERT(r->len == before, "emitted after the error");
    } else {
        FUZZ_ASSERT(eider_strict_why(&s) == NULL, "a reason without an error: %s",
                    eider_strict_why(&s));
    }
    eider_strict_free(&s);
}

static void same_run(const struct run *a, const struct run *b, const char *how)
{
    FUZZ_ASSERT(a->status == b->status, "%s: status %d, in one piece %d", how, b->status,
                a->status);
    FUZZ_ASSERT(a->len == b->len && (a->len == 0 || memcmp(a->out, b->out, a->len) == 0),
                "%s: emitted %zu bytes, in one piece %zu (or other bytes)", how, b->len, a->len);
    FUZZ_ASSERT(a->nevents == b->nevents
                && (a->nevents == 0 || (memcmp(a->events, b->events, a->nevents) == 0
                                        && memcmp(a->at, b->at, a->nevents * sizeof(size_t)) == 0)),
                "%s: hooks %.*s, in one piece %.*s (or at other offsets)", how,
                (int)b->nevents, b->events, (int)a->nevents, a->events);
}

/* Hooks come in order: begin, head, done per request; only the last
 * request may be unfinished. */
static void check_order(const struct run *r)
{
    static const char cycle[] = "bhd";

    for (size_t i = 0; i < r->nevents; i++)
        FUZZ_ASSERT(r->events[i] == cycle[i % 3], "hooks out of order: %.*s", (int)r->nevents,
                    r->events);
}

/* The emitted bytes go through again, unchanged. */
static void check_idempotent(const struct run *r)
{
    struct eider_strict_limits roomy = { 4 * 8192 + 4096, UINT64_MAX };
    struct run again;

    feed(&again, r->out, r->len, &roomy, WHOLE, 0);
    FUZZ_ASSERT(again.status == 0, "the normalized stream is refused with %d", again.status);
    FUZZ_ASSERT(again.len == r->len && (r->len == 0 || memcmp(again.out, r->out, r->len) == 0),
                "normalizing twice changed the stream (%zu bytes, then %zu)", r->len, again.len);
    run_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eider_strict_limits small = { 1024, 2048 }, shipped = { 8192, 1024 * 1024 };
    struct run whole, bytes, cut;
    uint64_t seed = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < size; i++)
        seed = (seed ^ data[i]) * 0x100000001b3ULL;

    feed(&whole, data, size, &small, WHOLE, 0);
    check_order(&whole);
    feed(&bytes, data, size, &small, BYTES, 0);
    same_run(&whole, &bytes, "one byte per feed");
    feed(&cut, data, size, &small, RANDOM, seed);
    same_run(&whole, &cut, "cut at random");
    check_idempotent(&whole);
    run_free(&bytes);
    run_free(&cut);
    run_free(&whole);

    feed(&whole, data, size, &shipped, WHOLE, 0);
    check_order(&whole);
    check_idempotent(&whole);
    run_free(&whole);
    return 0;
}
