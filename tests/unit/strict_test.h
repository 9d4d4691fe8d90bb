/*
 * The harness tests/unit/test_http_strict.c and test_http_strict_api.c
 * share: every case is fed to framework/http_strict.c three ways (all at
 * once, byte by byte, and cut at pseudo-random points) and the three must
 * agree on the status and on every emitted byte and hook: a validator
 * whose verdict depends on how TCP split the stream would be a smuggling
 * hole itself. Each piece is fed from an exactly-sized malloc'd copy so
 * valgrind sees any read past it. Static functions: each test binary
 * includes it once.
 */
#ifndef EIDER_STRICT_TEST_H
#define EIDER_STRICT_TEST_H

#include <stdint.h>
#include <stdlib.h>

#include "http_strict.h"
#include "unit.h"

/* What one run produced. */
struct run {
    int status;
    const char *why;
    char *out;              /* emitted bytes */
    size_t len, cap;
    char trace[64];         /* hooks in order: b(egin) h(ead) d(one) */
    size_t ntrace;
    int head_early;         /* head hook before the head's CRLF CRLF was out */
    size_t done_at;         /* output length at the last done hook */
    int version;
    enum eider_strict_phase phase;
};

static UNIT_UNUSED void on_emit(void *arg, const void *data, size_t len)
{
    struct run *r = arg;

    if (r->len + len > r->cap) {
        r->cap = (r->len + len) * 2 + 64;
        r->out = realloc(r->out, r->cap);
    }
    memcpy(r->out + r->len, data, len);
    r->len += len;
}

static UNIT_UNUSED void trace(struct run *r, char c)
{
    if (r->ntrace + 1 < sizeof(r->trace))
        r->trace[r->ntrace++] = c;
    r->trace[r->ntrace] = '\0';
}

static UNIT_UNUSED void on_begin(void *arg) { trace(arg, 'b'); }
static UNIT_UNUSED void on_done(void *arg)
{
    struct run *r = arg;
    r->done_at = r->len;
    trace(r, 'd');
}

static UNIT_UNUSED void on_head(void *arg)
{
    struct run *r = arg;
    if (r->len < 4 || memcmp(r->out + r->len - 4, "\r\n\r\n", 4) != 0)
        r->head_early = 1;
    trace(r, 'h');
}

static UNIT_UNUSED struct eider_strict_limits lim = { 1024, 1 << 20 };

static UNIT_UNUSED void set_limits(size_t max_header, uint64_t max_body)
{
    lim.max_header = max_header;
    lim.max_body = max_body;
}

static unsigned rnd_state;

static UNIT_UNUSED unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) & 0x7fff;
}

/* Feeds IN (N bytes) cut into pieces: MODE 0 whole, 1 byte by byte, 2
 * random pieces from SEED. Stops at the first error, checking that a
 * later feed repeats it. */
static UNIT_UNUSED void run(const char *in, size_t n, int mode, unsigned seed, struct run *r)
{
    struct eider_strict s;
    struct eider_strict_hooks h = { on_emit, on_begin, on_head, on_done, r };
    size_t off = 0;

    memset(r, 0, sizeof(*r));
    /* never NULL, so comparing an empty output is defined (UBSan) */
    r->out = malloc(1);
    r->cap = 1;
    rnd_state = seed;
    eider_strict_init(&s, &lim, &h);
    while (off < n && r->status == 0) {
        size_t k = mode == 0 ? n : mode == 1 ? 1 : 1 + rnd() % (rnd() % 4 == 0 ? 64 : 6);
        char *piece;
        if (k > n - off)
            k = n - off;
        piece = malloc(k);
        memcpy(piece, in + off, k);
        r->status = eider_strict_feed(&s, piece, k);
        free(piece);
        off += k;
    }
    if (r->status != 0) {
        char x = 'x';
        if (eider_strict_feed(&s, &x, 1) != r->status)
            r->status = -1;
    }
    r->why = eider_strict_why(&s);
    r->version = eider_strict_version(&s);
    r->phase = eider_strict_phase(&s);
    eider_strict_free(&s);
}

static UNIT_UNUSED void show(const char *label, const struct run *r)
{
    printf("    %s: status %d (%s) trace \"%s\" out %zu bytes \"", label, r->status,
           r->why ? r->why : "-", r->trace, r->len);
    for (size_t i = 0; i < r->len && i < 300; i++) {
        unsigned char c = (unsigned char)r->out[i];
        if (c == '\r')
            printf("\\r");
        else if (c == '\n')
            printf("\\n");
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    printf("\"\n");
}

static UNIT_UNUSED int same(const struct run *a, const struct run *b)
{
    return a->status == b->status && a->len == b->len && (a->len == 0 || memcmp(a->out, b->out, a->len) == 0)
           && strcmp(a->trace, b->trace) == 0 && a->version == b->version;
}

/* Runs IN all ways. Expects STATUS; when OUT is not NULL, exactly those
 * emitted bytes; when TRACE is not NULL, those hooks. On an error in a
 * head, the emitted bytes after the last complete request must not hold
 * that head's end. Returns 1 if all holds. */
static UNIT_UNUSED int expect(const char *in, size_t n, int status, const char *out, size_t outlen,
                  const char *trace_exp)
{
    struct run whole, other;
    int ok = 1;

    run(in, n, 0, 0, &whole);
    if (whole.status != status) {
        printf("    status %d, expected %d\n", whole.status, status);
        ok = 0;
    }
    if (status != 0 && whole.why == NULL) {
        printf("    no reason given for the error\n");
        ok = 0;
    }
    if (out && (whole.len != outlen || memcmp(whole.out, out, outlen) != 0)) {
        printf("    emitted bytes differ from the expected %zu\n", outlen);
        ok = 0;
    }
    if (trace_exp && strcmp(whole.trace, trace_exp) != 0) {
        printf("    hooks \"%s\", expected \"%s\"\n", whole.trace, trace_exp);
        ok = 0;
    }
    if (whole.head_early) {
        printf("    head hook before the head was out\n");
        ok = 0;
    }
    /* The failed request's output starts where the last done one ended;
     * every line of a head is non-empty, so CRLF CRLF means its end. */
    if (status != 0 && whole.phase == EIDER_STRICT_HEAD && whole.len > whole.done_at
        && memmem(whole.out + whole.done_at, whole.len - whole.done_at, "\r\n\r\n", 4) != NULL) {
        printf("    an invalid head was emitted complete\n");
        ok = 0;
    }
    for (int mode = 1; mode <= 2; mode++) {
        for (unsigned seed = 1; seed <= (mode == 1 ? 1u : 12u); seed++) {
            run(in, n, mode, seed, &other);
            if (!same(&whole, &other)) {
                printf("    feeding %s (seed %u) disagrees with feeding it whole\n",
                       mode == 1 ? "byte by byte" : "in pieces", seed);
                show("whole", &whole);
                show("split", &other);
                ok = 0;
            }
            free(other.out);
            if (!ok)
                break;
        }
    }
    if (!ok) {
        printf("    input: \"%.*s\"\n", (int)(n < 200 ? n : 200), in);
        show("got", &whole);
    }
    free(whole.out);
    return ok;
}

#define H11 "GET / HTTP/1.1\r\nHost: x\r\n"
#define POST "POST /p HTTP/1.1\r\nHost: x\r\n"
#define CHUNKED POST "Transfer-Encoding: chunked\r\n\r\n"

/* The reason and status of the whole-input run of IN. */
static UNIT_UNUSED struct run verdict(const char *in, size_t n)
{
    struct run r;
    run(in, n, 0, 0, &r);
    free(r.out);
    r.out = NULL;
    return r;
}


#endif
