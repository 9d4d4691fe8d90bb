/*
 * Unit tests for framework/http_strict.c, the strict request validator in
 * front of evhttp. Every case is fed three ways (all at once, byte by
 * byte, and cut at pseudo-random points) and the three must agree on the
 * status and on every emitted byte and hook: a validator whose verdict
 * depends on how TCP split the stream would be a smuggling hole itself.
 * Each piece is fed from an exactly-sized malloc'd copy so valgrind sees
 * any read past it.
 */
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

static void on_emit(void *arg, const void *data, size_t len)
{
    struct run *r = arg;

    if (r->len + len > r->cap) {
        r->cap = (r->len + len) * 2 + 64;
        r->out = realloc(r->out, r->cap);
    }
    memcpy(r->out + r->len, data, len);
    r->len += len;
}

static void trace(struct run *r, char c)
{
    if (r->ntrace + 1 < sizeof(r->trace))
        r->trace[r->ntrace++] = c;
    r->trace[r->ntrace] = '\0';
}

static void on_begin(void *arg) { trace(arg, 'b'); }
static void on_done(void *arg)
{
    struct run *r = arg;
    r->done_at = r->len;
    trace(r, 'd');
}

static void on_head(void *arg)
{
    struct run *r = arg;
    if (r->len < 4 || memcmp(r->out + r->len - 4, "\r\n\r\n", 4) != 0)
        r->head_early = 1;
    trace(r, 'h');
}

static struct eider_strict_limits lim = { 1024, 1 << 20 };

static void set_limits(size_t max_header, uint64_t max_body)
{
    lim.max_header = max_header;
    lim.max_body = max_body;
}

static unsigned rnd_state;

static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) & 0x7fff;
}

/* Feeds IN (N bytes) cut into pieces: MODE 0 whole, 1 byte by byte, 2
 * random pieces from SEED. Stops at the first error, checking that a
 * later feed repeats it. */
static void run(const char *in, size_t n, int mode, unsigned seed, struct run *r)
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

static void show(const char *label, const struct run *r)
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

static int same(const struct run *a, const struct run *b)
{
    return a->status == b->status && a->len == b->len && (a->len == 0 || memcmp(a->out, b->out, a->len) == 0)
           && strcmp(a->trace, b->trace) == 0 && a->version == b->version;
}

/* Runs IN all ways. Expects STATUS; when OUT is not NULL, exactly those
 * emitted bytes; when TRACE is not NULL, those hooks. On an error in a
 * head, the emitted bytes after the last complete request must not hold
 * that head's end. Returns 1 if all holds. */
static int expect(const char *in, size_t n, int status, const char *out, size_t outlen,
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
static struct run verdict(const char *in, size_t n)
{
    struct run r;
    run(in, n, 0, 0, &r);
    free(r.out);
    r.out = NULL;
    return r;
}

/* ------------------------------------------------------------ the table */

/* One input, run all ways by expect(). */
struct strict_row {
    const char *in;
    size_t len;
    int status;                  /* 0: passes */
    const char *out;             /* the emitted bytes, NULL: not checked */
    size_t outlen;
    const char *trace;           /* the hooks, NULL: not checked */
    const char *why;             /* eider_strict_why, NULL: not checked */
    int version;                 /* eider_strict_version, 0: not checked */
};

/* Rows that share the limits; each row reports as NAME/N. */
struct strict_group {
    const char *name;
    const struct eider_strict_limits *limits;
    const struct strict_row *rows;   /* ends at a NULL in */
};

static const struct eider_strict_limits lim_default = { 1024, 1 << 20 };
static const struct eider_strict_limits lim_unlimited_body = { 1024, UINT64_MAX };
static const struct eider_strict_limits lim_body_10 = { 1024, 10 };
static const struct eider_strict_limits lim_no_body = { 1024, 0 };

/* A string literal and its length (NULs inside count). */
#define IN(s) (s), sizeof(s) - 1
/* IN passes unchanged. */
#define SAME(in) { IN(in), 0, IN(in), NULL, NULL, 0 }
/* IN passes as OUT. */
#define PASS(in, out) { IN(in), 0, IN(out), NULL, NULL, 0 }
/* IN passes as OUT with the hooks TR. */
#define PASS_HOOKS(in, out, tr) { IN(in), 0, IN(out), (tr), NULL, 0 }
/* IN fails with STATUS. */
#define FAIL(in, status) { IN(in), (status), NULL, 0, NULL, NULL, 0 }
/* IN fails with STATUS for the reason WHY. */
#define FAIL_WHY(in, status, why) { IN(in), (status), NULL, 0, NULL, (why), 0 }
/* IN ends with STATUS, having emitted OUT and called the hooks TR. */
#define ROW(in, status, out, tr) { IN(in), (status), IN(out), (tr), NULL, 0 }
/* IN ends with STATUS, having read the HTTP version V (10 or 11). */
#define VERSION(in, status, v) { IN(in), (status), NULL, 0, NULL, NULL, (v) }

static const struct strict_group groups[] = {
    { "simple_get_passes_unchanged", &lim_default, (const struct strict_row[]){
        PASS_HOOKS(H11 "\r\n", H11 "\r\n", "bhd"),
        SAME("GET /a/b?c=d&e=%20f HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"),
        { NULL } } },
    { "all_methods_accepted", &lim_default, (const struct strict_row[]){
        SAME("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("POST / HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("PUT / HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("PATCH / HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n"),
        { NULL } } },
    { "unknown_methods_501", &lim_default, (const struct strict_row[]){
        FAIL("FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        FAIL("get / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        FAIL("TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        FAIL("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
        FAIL("GETS / HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        /* 501 is decided on the request line: the head is never read */
        FAIL("PROPFIND / HTTP/1.1\r\n", 501),
        { NULL } } },
    { "invalid_methods_400", &lim_default, (const struct strict_row[]){
        FAIL("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GE\"T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL(" GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        { NULL } } },
    { "request_target_forms", &lim_default, (const struct strict_row[]){
        SAME("GET http://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n"),
        SAME("GET HTTPS://example.com/x HTTP/1.1\r\nHost: example.com\r\n\r\n"),
        SAME("GET hTtP://h HTTP/1.1\r\nHost: h\r\n\r\n"),
        SAME("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
        SAME("GET /a{b}|c^d`e\\f\"g HTTP/1.1\r\nHost: x\r\n\r\n"),
        FAIL("GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET ftp://h/x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET http:// HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET *x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("OPTIONS ** HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        { NULL } } },
    { "request_target_bytes", &lim_default, (const struct strict_row[]){
        FAIL("GET /a\x80 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET /a\xff HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET /a\x7f HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET /a\x01 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL_WHY("GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "NUL in request line"),
        FAIL_WHY("GET /a\rb HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bare CR in request line"),
        FAIL("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        { NULL } } },
    { "request_line_spacing", &lim_default, (const struct strict_row[]){
        FAIL("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET /  HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400),
        FAIL("GET /\r\nHost: x\r\n\r\n", 400),
        FAIL("GET\r\nHost: x\r\n\r\n", 400),
        FAIL("GET  HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        { NULL } } },
    { "versions", &lim_default, (const struct strict_row[]){
        VERSION("GET / HTTP/1.0\r\n\r\n", 0, 10),
        VERSION(H11 "\r\n", 0, 11),
        /* the version is known for errors later in a 1.0 head */
        VERSION("GET / HTTP/1.0\r\nX\r\n\r\n", 400, 10),
        /* and even for errors elsewhere in the request line */
        VERSION("GET /\x01 HTTP/1.0\r\n", 400, 10),
        VERSION("FOO / HTTP/1.0\r\n", 501, 10),
        SAME("GET / HTTP/1.0\r\n\r\n"),
        FAIL("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        FAIL("GET / HTTP/0.9\r\nHost: x\r\n\r\n", 505),
        FAIL("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
        FAIL("GET / http/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTP/1.10\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTP/1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTP/11\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTPS/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\0\r\nHost: x\r\n\r\n", 400),
        { NULL } } },
    { "line_endings", &lim_default, (const struct strict_row[]){
        FAIL_WHY("GET / HTTP/1.1\nHost: x\r\n\r\n", 400, "bare LF in request line"),
        FAIL_WHY(H11 "X: y\n\r\n", 400, "bare LF in header"),
        FAIL(H11 "\n", 400),
        FAIL(H11 "X: y\r\r\n\r\n", 400),
        FAIL(H11 "\r\r\n", 400),
        FAIL_WHY(H11 "X: a\rb\r\n\r\n", 400, "bare CR in header"),
        FAIL("GET / HTTP/1.1\r\rHost: x\r\n\r\n", 400),
        FAIL("\n" H11 "\r\n", 400),
        FAIL("\r" H11 "\r\n", 400),
        FAIL("\rGET / HTTP/1.1\r\n", 400),
        { NULL } } },
    { "empty_lines_before_request", &lim_default, (const struct strict_row[]){
        PASS_HOOKS("\r\n" H11 "\r\n", H11 "\r\n", "bhd"),
        PASS_HOOKS("\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n" H11 "\r\n", H11 "\r\n", "bhd"),
        FAIL("\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n" H11 "\r\n", 400),
        /* empty lines alone are nothing yet */
        PASS_HOOKS("\r\n\r\n", "", ""),
        { NULL } } },
    { "empty_lines_between_requests", &lim_default, (const struct strict_row[]){
        PASS_HOOKS(H11 "\r\n\r\n\r\n" H11 "\r\n", H11 "\r\n" H11 "\r\n", "bhdbhd"),
        /* the count starts again for each request */
        PASS_HOOKS(H11 "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n" H11 "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n" H11 "\r\n", H11 "\r\n" H11 "\r\n" H11 "\r\n", "bhdbhdbhd"),
        FAIL(H11 "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n" H11 "\r\n", 400),
        FAIL(H11 "\r\n\n" H11 "\r\n", 400),
        { NULL } } },
    { "fields_normalized", &lim_default, (const struct strict_row[]){
        PASS(H11 "A:b\r\n\r\n", H11 "A: b\r\n\r\n"),
        PASS(H11 "A: \t b c \t \r\n\r\n", H11 "A: b c\r\n\r\n"),
        PASS(H11 "A:\tb\r\n\r\n", H11 "A: b\r\n\r\n"),
        PASS(H11 "A:  b\r\n\r\n", H11 "A: b\r\n\r\n"),
        PASS(H11 "A: b \r\n\r\n", H11 "A: b\r\n\r\n"),
        PASS(H11 "A:\r\nB: \r\nC:\t \t\r\n\r\n", H11 "A:\r\nB:\r\nC:\r\n\r\n"),
        PASS("GET / HTTP/1.1\r\nHost:\tx \r\n\r\n", H11 "\r\n"),
        /* interior bytes are untouched: tabs, runs of spaces, obs-text */
        SAME(H11 "A: b\t \tc  d\r\nB: caf\xc3\xa9\r\nC: \"q\" (c) <x>\r\n\r\n"),
        SAME(H11 "a-b_c.d!#$%&'*+^`|~9: v\r\n\r\n"),
        { NULL } } },
    { "field_name_errors", &lim_default, (const struct strict_row[]){
        FAIL_WHY(H11 "A : b\r\n\r\n", 400, "whitespace before colon"),
        FAIL(H11 "A\t: b\r\n\r\n", 400),
        FAIL(H11 ": b\r\n\r\n", 400),
        FAIL(H11 "A b\r\n\r\n", 400),
        FAIL(H11 "Ab\r\n\r\n", 400),
        FAIL(H11 "A(b): c\r\n\r\n", 400),
        FAIL(H11 "A\x80: c\r\n\r\n", 400),
        FAIL_WHY(H11 "A\0: c\r\n\r\n", 400, "NUL in header"),
        FAIL(H11 "A\x7f: c\r\n\r\n", 400),
        { NULL } } },
    { "field_value_errors", &lim_default, (const struct strict_row[]){
        FAIL_WHY(H11 "A: b\0c\r\n\r\n", 400, "NUL in header"),
        FAIL(H11 "A: b\0\r\n\r\n", 400),
        FAIL(H11 "A: \0\r\n\r\n", 400),
        FAIL(H11 "A: b\x7f\r\n\r\n", 400),
        FAIL(H11 "A: b\x01\r\n\r\n", 400),
        FAIL(H11 "A: b\x0b\r\n\r\n", 400),
        FAIL(H11 "A: b\x0c\r\n\r\n", 400),
        FAIL_WHY(H11 "A: b\x1f\r\n\r\n", 400, "control character in header"),
        { NULL } } },
    { "obs_fold_rejected", &lim_default, (const struct strict_row[]){
        FAIL(H11 "A: b\r\n c\r\n\r\n", 400),
        FAIL_WHY(H11 "A: b\r\n\tc\r\n\r\n", 400, "obs-fold in header"),
        FAIL("GET / HTTP/1.1\r\n Host: x\r\n\r\n", 400),
        FAIL(H11 " \r\n\r\n", 400),
        { NULL } } },
    { "host_rules", &lim_default, (const struct strict_row[]){
        FAIL_WHY("GET / HTTP/1.1\r\n\r\n", 400, "missing Host"),
        FAIL("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a\r\nhOST: b\r\n\r\n", 400),
        FAIL("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        SAME("GET / HTTP/1.0\r\nHost: a\r\n\r\n"),
        SAME("GET / HTTP/1.1\r\nhost: a\r\n\r\n"),
        SAME("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
        SAME("GET / HTTP/1.1\r\nHost: a.b-c_d~e:80\r\n\r\n"),
        SAME("GET / HTTP/1.1\r\nHost: x%41!$&'()*+,;=\r\n\r\n"),
        PASS("GET / HTTP/1.1\r\nHost:\r\n\r\n", "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
        FAIL("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a\tb\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a?b\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a#b\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a\"b\r\n\r\n", 400),
        /* a missing Host fails before the head's end goes out */
        ROW("GET / HTTP/1.1\r\nA: b\r\n\r\n", 400, "GET / HTTP/1.1\r\nA: b\r\n", "b"),
        { NULL } } },
    { "content_length_body", &lim_default, (const struct strict_row[]){
        PASS_HOOKS(POST "Content-Length: 5\r\n\r\nhello", POST "Content-Length: 5\r\n\r\nhello", "bhd"),
        PASS_HOOKS(POST "Content-Length: 0\r\n\r\n", POST "Content-Length: 0\r\n\r\n", "bhd"),
        PASS_HOOKS(POST "Content-Length:   007\t\r\n\r\n1234567", POST "Content-Length: 007\r\n\r\n1234567", "bhd"),
        PASS_HOOKS(POST "content-LENGTH: 2\r\n\r\nab", POST "content-LENGTH: 2\r\n\r\nab", "bhd"),
        /* a body in any method is read (evhttp 2.1 reads it for all of them) */
        PASS_HOOKS("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc", "bhd"),
        /* the body is not looked at: a request inside it is just bytes */
        SAME(POST "Content-Length: 26\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n"),
        /* head read, body still to come */
        PASS_HOOKS(POST "Content-Length: 5\r\n\r\nhel", POST "Content-Length: 5\r\n\r\nhel", "bh"),
        /* binary bodies pass unchanged, NULs and all */
        SAME(POST "Content-Length: 6\r\n\r\n\0\r\n\xff\n\r"),
        { NULL } } },
    { "content_length_errors", &lim_default, (const struct strict_row[]){
        FAIL(POST "Content-Length: -5\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: +5\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: 5 5\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: 5,5\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: 5, 5\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: 0x5\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: 5.0\r\n\r\nhello", 400),
        FAIL(POST "Content-Length: abc\r\n\r\n", 400),
        FAIL(POST "Content-Length:\r\n\r\n", 400),
        FAIL_WHY(POST "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400, "duplicate Content-Length"),
        FAIL(POST "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
        FAIL(POST "Content-Length: 99999999999999999999999\r\n\r\n", 400),
        FAIL(POST "Content-Length: 18446744073709551621\r\n\r\n", 400),
        { NULL } } },
    { "content_length_2_53", &lim_unlimited_body, (const struct strict_row[]){
        PASS_HOOKS(POST "Content-Length: 9007199254740992\r\n\r\n", POST "Content-Length: 9007199254740992\r\n\r\n", "bh"),
        FAIL(POST "Content-Length: 9007199254740993\r\n\r\n", 400),
        { NULL } } },
    /* evhttp 2.1 reads no body for HEAD, so a HEAD body would be parsed as
     * a request this validator never checked (found in review: a HEAD with
     * Content-Length smuggled a bare-LF GET past it). */
    { "head_with_body_400", &lim_default, (const struct strict_row[]){
        FAIL("HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 31\r\n\r\nGET /users/1 HTTP/1.1\nHost: b\n\n", 400),
        FAIL("HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        PASS("HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", "HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
        PASS("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n", "HEAD / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n"),
        /* the flag does not outlive its request */
        PASS("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx", "HEAD / HTTP/1.1\r\nHost: a\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx"),
        { NULL } } },
    /* evhttp answers an Expect other than 100-continue itself, in HTML
     * and, on a kept-alive connection, left unwritten (found in review). */
    { "expect_other_than_100_continue_417", &lim_default, (const struct strict_row[]){
        FAIL("POST / HTTP/1.1\r\nHost: a\r\nExpect: foo\r\nContent-Length: 1\r\n\r\nx", 417),
        PASS("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx"),
        /* HTTP/1.0 has no expectations; evhttp ignores the field there */
        PASS("POST / HTTP/1.0\r\nExpect: foo\r\nContent-Length: 1\r\n\r\nx", "POST / HTTP/1.0\r\nExpect: foo\r\nContent-Length: 1\r\n\r\nx"),
        { NULL } } },
    /* Authorities evhttp's URI parser would refuse in HTML or misread
     * (found by the libevent advisory tests). */
    { "authority_forms", &lim_default, (const struct strict_row[]){
        PASS("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
        PASS("GET / HTTP/1.1\r\nHost: a.example:65535\r\n\r\n", "GET / HTTP/1.1\r\nHost: a.example:65535\r\n\r\n"),
        PASS("GET http://a.example:80/x HTTP/1.1\r\nHost: a\r\n\r\n", "GET http://a.example:80/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        PASS("GET http://[::1]/x HTTP/1.1\r\nHost: a\r\n\r\n", "GET http://[::1]/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        FAIL("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: ::1\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", 400),
        FAIL("GET / HTTP/1.1\r\nHost: a:1x\r\n\r\n", 400),
        FAIL("GET http://x:99999/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        FAIL("GET http://:80/x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        { NULL } } },
    { "content_length_over_limit_413", &lim_body_10, (const struct strict_row[]){
        /* answered at the head's end, before any body byte; the head's
         * final CRLF never reaches evhttp */
        ROW(POST "Content-Length: 11\r\n\r\n", 413, POST "Content-Length: 11\r\n", "b"),
        PASS_HOOKS(POST "Content-Length: 10\r\n\r\n0123456789", POST "Content-Length: 10\r\n\r\n0123456789", "bhd"),
        { NULL } } },
    { "content_length_over_limit_413_unlimited_body", &lim_unlimited_body, (const struct strict_row[]){
        PASS_HOOKS(POST "Content-Length: 11\r\n\r\n0123456789a", POST "Content-Length: 11\r\n\r\n0123456789a", "bhd"),
        { NULL } } },
    { "content_length_over_limit_413_body_limit_0", &lim_no_body, (const struct strict_row[]){
        FAIL(POST "Content-Length: 1\r\n\r\nx", 413),
        PASS_HOOKS(POST "Content-Length: 0\r\n\r\n", POST "Content-Length: 0\r\n\r\n", "bhd"),
        { NULL } } },
    { "transfer_encoding_accepted_forms", &lim_default, (const struct strict_row[]){
        PASS_HOOKS(POST "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", POST "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "bhd"),
        PASS(POST "Transfer-Encoding: chunked \r\n\r\n0\r\n\r\n", POST "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        PASS(POST "Transfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n", POST "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        PASS(POST "Transfer-Encoding: \t chunked\t\r\n\r\n0\r\n\r\n", POST "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        SAME(POST "transfer-encoding: CHUNKED\r\n\r\n0\r\n\r\n"),
        SAME(POST "Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n"),
        /* a look-alike name is another field, and frames nothing */
        PASS_HOOKS(POST "Transfer_Encoding: chunked\r\n\r\n", POST "Transfer_Encoding: chunked\r\n\r\n", "bhd"),
        { NULL } } },
    { "transfer_encoding_errors", &lim_default, (const struct strict_row[]){
        FAIL(POST "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST " Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding: chunk ed\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: chunked\x0b\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: chunked\0\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding: chunked,\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: , chunked\r\n\r\n0\r\n\r\n", 400),
        /* RFC 9112 6.1: a coding the server does not understand, 501 */
        FAIL(POST "Transfer-Encoding: gzip\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding:\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding: gzip,deflate ,\tchunked\r\n\r\n0\r\n\r\n", 501),
        FAIL(POST "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
        FAIL_WHY("POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "Transfer-Encoding in HTTP/1.0"),
        { NULL } } },
    { "smuggling_cl_te", &lim_default, (const struct strict_row[]){
        /* CL.TE and TE.CL, in both orders, whatever the values */
        FAIL(POST "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 400),
        FAIL(POST "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", 400),
        FAIL(POST "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: xchunked\r\nContent-Length: 4\r\n\r\n", 501),
        /* refused at TE */
        FAIL(POST "Content-Length: 4\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 400),
        FAIL_WHY(POST "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "Content-Length with Transfer-Encoding"),
        /* the classic pair that evhttp reads as one thing and a proxy as another */
        FAIL(POST "Content-Length: 4\r\nContent-Length: 40\r\n\r\n", 400),
        FAIL(POST "Content-Length: 4\r\n Content-Length: 40\r\n\r\n", 400),
        FAIL(POST "Content-Length: 4\r\nContent-Length : 40\r\n\r\n", 400),
        FAIL(POST "Transfer-Encoding: chunked\r\nX: y\nContent-Length: 40\r\n\r\n", 400),
        { NULL } } },
    { "chunked_canonical_output", &lim_default, (const struct strict_row[]){
        /* extensions (token, quoted, BWS) and trailers are checked, then
         * dropped; sizes are re-written in lowercase hex without zeros */
        ROW(CHUNKED "5;a=b\r\nhello\r\n"
                    "1 ; x = \"q\\\"s;,\" ;y\t;z=t\r\n \r\n"
                    "00A\r\n0123456789\r\n"
                    "1B;n\r\n" "abcdefghijklmnopqrstuvwxyz!\r\n"
                    "0;last=\"1\"\r\nX-Trailer: 1\r\nX-Other:\t two \r\n\r\n",
            0,
            CHUNKED "5\r\nhello\r\n"
                    "1\r\n \r\n"
                    "a\r\n0123456789\r\n"
                    "1b\r\nabcdefghijklmnopqrstuvwxyz!\r\n"
                    "0\r\n\r\n",
            "bhd"),
        SAME(CHUNKED "3\r\nabc\r\n0\r\n\r\n"),
        PASS(CHUNKED "3\r\nabc\r\n000\r\n\r\n", CHUNKED "3\r\nabc\r\n0\r\n\r\n"),
        PASS(CHUNKED "000000000000003\r\nabc\r\n0\r\n\r\n", CHUNKED "3\r\nabc\r\n0\r\n\r\n"),
        PASS(CHUNKED "fF\r\n", CHUNKED "ff\r\n"),
        /* chunk data is not looked at */
        SAME(CHUNKED "6\r\n\0\r\n0\r\n\r\n0\r\n\r\n"),
        { NULL } } },
    { "chunked_hooks_and_partial", &lim_default, (const struct strict_row[]){
        PASS_HOOKS(CHUNKED "5\r\nhel", CHUNKED "5\r\nhel", "bh"),
        PASS_HOOKS(CHUNKED "5\r\nhello\r\n0\r\n", CHUNKED "5\r\nhello\r\n", "bh"),
        PASS_HOOKS(CHUNKED "5\r\nhello\r\n0\r\nX: 1\r\n", CHUNKED "5\r\nhello\r\n", "bh"),
        PASS_HOOKS(CHUNKED "5\r\nhello\r\n0\r\nX: 1\r\n\r\n", CHUNKED "5\r\nhello\r\n0\r\n\r\n", "bhd"),
        { NULL } } },
    { "chunk_size_errors", &lim_default, (const struct strict_row[]){
        FAIL(CHUNKED "0x5\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "x5\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "-5\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "+5\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED " 5\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5 \r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5 ;\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5 5\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "\r\nhello\r\n0\r\n\r\n", 400),
        FAIL_WHY(CHUNKED "5\nhello\r\n0\r\n\r\n", 400, "bare LF in chunk line"),
        FAIL(CHUNKED "5\rhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5\r\nhello\r\n0\n\r\n", 400),
        FAIL(CHUNKED "5\0\r\nhello\r\n0\r\n\r\n", 400),
        /* 15 hex digits are the most, leading zeros included */
        FAIL(CHUNKED "0000000000000005\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "ffffffffffffffff\r\n", 400),
        FAIL(CHUNKED "10000000000000000000000000000000005\r\nhello\r\n0\r\n\r\n", 400),
        FAIL_WHY(CHUNKED "ffffffffffffffff\r\n", 400, "chunk size too long"),
        { NULL } } },
    { "chunk_extension_errors", &lim_default, (const struct strict_row[]){
        FAIL(CHUNKED "5;=x\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a b\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=b c\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=b \r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=\"b\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=\"b\x01\"\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=\"b\\\x01\"\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=\"b\0\"\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a\0\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a\r\r\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=b\nhello\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5;a=(b)\r\nhello\r\n0\r\n\r\n", 400),
        /* valid by the grammar, with BWS around everything but the end */
        PASS(CHUNKED "5\t; a ;b = c;\td=\"\"\r\nhello\r\n0\r\n\r\n", CHUNKED "5\r\nhello\r\n0\r\n\r\n"),
        { NULL } } },
    { "chunk_data_terminator", &lim_default, (const struct strict_row[]){
        FAIL(CHUNKED "5\r\nhelloX\r\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5\r\nhello\n0\r\n\r\n", 400),
        FAIL(CHUNKED "5\r\nhello\r0\r\n\r\n", 400),
        FAIL(CHUNKED "5\r\nhello0\r\n\r\n", 400),
        FAIL(CHUNKED "5\r\nhello \r\n0\r\n\r\n", 400),
        FAIL_WHY(CHUNKED "5\r\nhelloX\r\n0\r\n\r\n", 400, "chunk data not followed by CRLF"),
        { NULL } } },
    { "trailers", &lim_default, (const struct strict_row[]){
        /* checked with the header rules, then dropped */
        PASS_HOOKS(CHUNKED "0\r\nA: 1\r\nContent-Length: 5\r\nHost: y\r\nTransfer-Encoding: gzip\r\n\r\n", CHUNKED "0\r\n\r\n", "bhd"),
        FAIL(CHUNKED "0\r\nA: 1\r\n b\r\n\r\n", 400),
        FAIL_WHY(CHUNKED "0\r\nA: \0\r\n\r\n", 400, "NUL in trailer"),
        FAIL(CHUNKED "0\r\nA: 1\n\r\n", 400),
        FAIL(CHUNKED "0\r\nA 1\r\n\r\n", 400),
        FAIL(CHUNKED "0\r\nA : 1\r\n\r\n", 400),
        FAIL(CHUNKED "0\r\n: 1\r\n\r\n", 400),
        FAIL(CHUNKED "0\r\n\n", 400),
        FAIL(CHUNKED "0\r\nA: 1\r\r\n\r\n", 400),
        { NULL } } },
    { "chunked_over_limit_413", &lim_body_10, (const struct strict_row[]){
        /* the chunk that crosses the limit is refused before any of it goes out */
        ROW(CHUNKED "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n", 413, CHUNKED "5\r\nhello\r\n", "bh"),
        FAIL(CHUNKED "b\r\n", 413),
        FAIL(CHUNKED "fffffffffffffff\r\n", 413),
        PASS_HOOKS(CHUNKED "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", CHUNKED "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", "bhd"),
        { NULL } } },
    { "chunked_over_limit_413_unlimited_body", &lim_unlimited_body, (const struct strict_row[]){
        PASS_HOOKS(CHUNKED "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n", CHUNKED "5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n", "bhd"),
        SAME(CHUNKED "fffffffffffffff\r\n"),
        { NULL } } },
    { "pipelined_requests", &lim_default, (const struct strict_row[]){
        SAME(H11 "\r\n" H11 "\r\n"),
        PASS_HOOKS(H11 "\r\n" H11 "\r\n", H11 "\r\n" H11 "\r\n", "bhdbhd"),
        PASS_HOOKS(POST "Content-Length: 5\r\n\r\nhello" CHUNKED "3\r\nabc\r\n0\r\nT: 1\r\n\r\n" H11 "\r\n", POST "Content-Length: 5\r\n\r\nhello" CHUNKED "3\r\nabc\r\n0\r\n\r\n" H11 "\r\n", "bhdbhdbhd"),
        /* a valid request, then an invalid one: the first goes out whole */
        ROW(H11 "\r\n" "GET / HTTP/1.1\r\nHost: x\r\nA : b\r\n\r\n", 400, H11 "\r\n" H11, "bhdb"),
        /* TE.CL smuggling attempt inside a pipeline */
        FAIL(H11 "\r\n" POST "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n", 400),
        /* a request with its body split from the next one's head */
        PASS_HOOKS(POST "Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: y\r\n\r\n", POST "Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: y\r\n\r\n", "bhdbhd"),
        { NULL } } },
};

/* Each row of groups[] is a case NAME/N: expect() runs it whole, byte by
 * byte and in pieces; the reason and version are those of the whole run. */
TEST(strict_table)
{
    char name[128];

    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        lim = *groups[g].limits;
        for (int i = 0; groups[g].rows[i].in != NULL; i++) {
            const struct strict_row *w = &groups[g].rows[i];

            CHECKF(expect(w->in, w->len, w->status, w->out, w->outlen, w->trace),
                   "row %d of %s: see above", i + 1, groups[g].name);
            if (w->why != NULL || w->version != 0) {
                struct run r = verdict(w->in, w->len);

                if (w->why != NULL)
                    CHECKF(r.why != NULL && strcmp(r.why, w->why) == 0,
                           "reason \"%s\", expected \"%s\"", r.why ? r.why : "(none)", w->why);
                if (w->version != 0)
                    CHECKF(r.version == w->version, "version %d, expected %d", r.version, w->version);
            }
            snprintf(name, sizeof(name), "%s/%d", groups[g].name, i + 1);
            unit_report(name);
        }
    }
    lim = lim_default;
}

/* ------------------------------------------------------------ inputs built at run time */

TEST(chunk_line_length)
{
    /* extensions are bounded like a header line */
    char in[2048];
    int n;
    set_limits(256, 1 << 20);
    n = snprintf(in, sizeof(in), CHUNKED "5;a=%0260d\r\nhello\r\n0\r\n\r\n", 0);
    CHECK(expect(in, (size_t)n, 400, NULL, 0, NULL));
    n = snprintf(in, sizeof(in), CHUNKED "5;a=%0240d\r\nhello\r\n0\r\n\r\n", 0);
    CHECK(expect(in, (size_t)n, 0, NULL, 0, "bhd"));
    set_limits(1024, 1 << 20);
}

TEST(trailers_limit)
{
    /* the trailer section has a max_header of its own */
    char in[4096], exp[4096];
    int n, m;
    set_limits(128, 1 << 20);
    n = snprintf(in, sizeof(in), CHUNKED "0\r\nX: %0121d\r\n\r\n", 0);   /* 3 + 121 + 2 + 2 = 128 */
    m = snprintf(exp, sizeof(exp), CHUNKED "0\r\n\r\n");
    CHECK(expect(in, (size_t)n, 0, exp, (size_t)m, "bhd"));
    n = snprintf(in, sizeof(in), CHUNKED "0\r\nX: %0122d\r\n\r\n", 0);
    CHECK(expect(in, (size_t)n, 431, NULL, 0, NULL));
    CHECK_STR(verdict(in, (size_t)n).why, "trailer section too large");
    n = snprintf(in, sizeof(in), CHUNKED "0\r\nX: %060d\r\nY: %060d\r\n\r\n", 0, 0);
    CHECK(expect(in, (size_t)n, 431, NULL, 0, NULL));
    set_limits(1024, 1 << 20);
}

/* ------------------------------------------------------------ limits */

TEST(header_limit_431)
{
    char in[4096];
    int n;
    set_limits(64, 1 << 20);
    /* "GET / HTTP/1.1\r\n" 16 + "Host: x\r\n" 9 + "A: " 3 + v + 2 + final 2 = 32 + v */
    n = snprintf(in, sizeof(in), H11 "A: %032d\r\n\r\n", 0);
    CHECK_INT(n, 64);
    CHECK(expect(in, (size_t)n, 0, in, (size_t)n, "bhd"));
    n = snprintf(in, sizeof(in), H11 "A: %033d\r\n\r\n", 0);
    CHECK(expect(in, (size_t)n, 431, NULL, 0, NULL));
    CHECK_STR(verdict(in, (size_t)n).why, "request header too large");
    /* known too large before the line ends: no need to wait for its LF */
    n = snprintf(in, sizeof(in), H11 "A: %0100d", 0);
    CHECK(expect(in, (size_t)n, 431, NULL, 0, NULL));
    /* each request of a pipeline has the whole limit */
    n = snprintf(in, sizeof(in), H11 "A: %032d\r\n\r\n" H11 "A: %032d\r\n\r\n", 0, 0);
    CHECK(expect(in, (size_t)n, 0, in, (size_t)n, "bhdbhd"));
    set_limits(1024, 1 << 20);
}

TEST(request_line_limit_414)
{
    char in[4096];
    int n;
    set_limits(64, 1 << 20);
    /* "GET /" + x + " HTTP/1.1\r\n": 16 + x bytes; 64 is the most */
    n = snprintf(in, sizeof(in), "GET /%048d HTTP/1.1\r\n", 0);
    CHECK_INT(n, 64);
    CHECK(expect(in, (size_t)n, 0, in, (size_t)n, "b"));
    n = snprintf(in, sizeof(in), "GET /%049d HTTP/1.1\r\nHost: x\r\n\r\n", 0);
    CHECK(expect(in, (size_t)n, 414, "", 0, "b"));
    CHECK_STR(verdict(in, (size_t)n).why, "request line too long");
    n = snprintf(in, sizeof(in), "GET /%0500d", 0);
    CHECK(expect(in, (size_t)n, 414, "", 0, "b"));
    /* a request line at the limit leaves no room for the rest: 431 */
    n = snprintf(in, sizeof(in), "GET /%048d HTTP/1.1\r\n\r\n", 0);
    CHECK(expect(in, (size_t)n, 431, NULL, 0, NULL));
    set_limits(1024, 1 << 20);
}

/* ------------------------------------------------------------ state, memory, API */

struct counter { size_t bytes; int calls; };

static void count_emit(void *arg, const void *data, size_t len)
{
    struct counter *c = arg;
    (void)data;
    c->bytes += len;
    c->calls++;
}

TEST(phases_and_buffer)
{
    struct eider_strict s;
    struct counter c = { 0, 0 };
    struct eider_strict_hooks h = { count_emit, NULL, NULL, NULL, &c };
    struct eider_strict_limits l = { 1024, 100 };
    const char *req = POST "Content-Length: 3\r\n\r\nabc";

    CHECK(sizeof(struct eider_strict) <= 128);
    eider_strict_init(&s, &l, &h);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_IDLE);
    CHECK(eider_strict_why(&s) == NULL);
    CHECK_INT(eider_strict_feed(&s, "\r\n", 2), 0);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_IDLE);
    CHECK_INT(eider_strict_feed(&s, "POST /p HT", 10), 0);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_HEAD);
    CHECK(s.line != NULL);             /* a line in pieces is buffered */
    CHECK_INT(c.bytes, 0);
    CHECK_INT(eider_strict_feed(&s, req + 10, strlen(req) - 11), 0);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_BODY);
    CHECK(s.line == NULL);             /* and freed once the head is done */
    CHECK_INT(eider_strict_feed(&s, "c", 1), 0);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_IDLE);
    CHECK_INT(c.bytes, strlen(req));
    /* lines that arrive whole are never copied */
    CHECK_INT(eider_strict_feed(&s, H11, strlen(H11)), 0);
    CHECK(s.line == NULL);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_HEAD);
    CHECK_INT(eider_strict_feed(&s, "\r\n", 2), 0);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_IDLE);
    /* an error kills the stream for good */
    CHECK_INT(eider_strict_feed(&s, "GET / HTTP/1.1\r\nA", 17), 0);
    CHECK(s.line != NULL);
    CHECK_INT(eider_strict_feed(&s, " : b\r\n", 6), 400);
    CHECK(s.line == NULL);
    CHECK_STR(eider_strict_why(&s), "whitespace before colon");
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_HEAD);
    CHECK_INT(eider_strict_feed(&s, H11 "\r\n", strlen(H11) + 2), 400);
    CHECK_INT(eider_strict_feed(&s, "", 0), 400);
    eider_strict_free(&s);

    /* free mid-head releases the buffer; the struct can be inited again */
    eider_strict_init(&s, &l, &h);
    CHECK_INT(eider_strict_feed(&s, "GET /abc", 8), 0);
    eider_strict_free(&s);
    CHECK(s.line == NULL);
    eider_strict_init(&s, &l, &h);
    CHECK_INT(eider_strict_feed(&s, H11 "\r\n", strlen(H11) + 2), 0);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_IDLE);
    eider_strict_free(&s);
}

TEST(body_emitted_as_spans)
{
    /* a large Content-Length body fed at once is emitted in one call */
    struct eider_strict s;
    struct counter c = { 0, 0 };
    struct eider_strict_hooks h = { count_emit, NULL, NULL, NULL, &c };
    struct eider_strict_limits l = { 1024, UINT64_MAX };
    const char *head = POST "Content-Length: 100000\r\n\r\n";
    char *body = malloc(100000);

    memset(body, 'z', 100000);
    eider_strict_init(&s, &l, &h);
    CHECK_INT(eider_strict_feed(&s, head, strlen(head)), 0);
    c.calls = 0;
    CHECK_INT(eider_strict_feed(&s, body, 100000), 0);
    CHECK_INT(c.calls, 1);
    CHECK_INT(eider_strict_phase(&s), EIDER_STRICT_IDLE);
    eider_strict_free(&s);

    /* and a chunk's data too (one call for the data, plus the framing) */
    eider_strict_init(&s, &l, &h);
    head = CHUNKED "186a0\r\n";
    CHECK_INT(eider_strict_feed(&s, head, strlen(head)), 0);
    c.calls = 0;
    CHECK_INT(eider_strict_feed(&s, body, 100000), 0);
    CHECK_INT(c.calls, 1);
    eider_strict_free(&s);
    free(body);
}

TEST(hooks_may_be_null)
{
    struct eider_strict s;
    struct counter c = { 0, 0 };
    struct eider_strict_hooks h = { count_emit, NULL, NULL, NULL, &c };
    struct eider_strict_limits l = { 1024, UINT64_MAX };
    const char *in = CHUNKED "3\r\nabc\r\n0\r\n\r\n" H11 "\r\n";

    eider_strict_init(&s, &l, &h);
    CHECK_INT(eider_strict_feed(&s, in, strlen(in)), 0);
    CHECK_INT(c.bytes, strlen(in));
    eider_strict_free(&s);
}

TEST(random_garbage_never_crashes)
{
    /* fuzz-ish: mutated valid requests, fed all three ways; the helper
     * checks the three agree, valgrind checks the memory */
    static const char *seeds[] = {
        CHUNKED "5;a=\"b\"\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        POST "Content-Length: 5\r\n\r\nhello" H11 "\r\n",
        "\r\n" H11 "A:\tb \r\n\r\n",
    };
    char buf[256];
    unsigned st = 7;

    set_limits(1024, 1 << 20);
    for (int i = 0; i < 300; i++) {
        const char *src = seeds[i % 3];
        size_t n = strlen(src);
        memcpy(buf, src, n);
        for (int k = 0; k < 1 + i % 3; k++) {
            st = st * 1103515245u + 12345u;
            size_t at = (st >> 8) % n;
            static const char bytes[] = { '\0', '\r', '\n', ' ', '\t', ':', ';', '"', 'x', '0', '\x80', '\x7f' };
            st = st * 1103515245u + 12345u;
            buf[at] = bytes[(st >> 8) % sizeof(bytes)];
        }
        struct run r;
        run(buf, n, 0, 0, &r);
        free(r.out);
        CHECK(expect(buf, n, r.status, NULL, 0, NULL));
    }
}

UNIT_MAIN(strict_table, chunk_line_length, trailers_limit, header_limit_431,
          request_line_limit_414, phases_and_buffer, body_emitted_as_spans, hooks_may_be_null,
          random_garbage_never_crashes)
