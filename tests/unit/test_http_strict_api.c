/*
 * Unit tests for framework/http_strict.c beyond the table: inputs built at
 * run time (long chunk lines, many trailers), the header and request-line
 * limits, and the validator's phases, buffering, spans, NULL hooks and
 * random garbage. The harness is strict_test.h.
 */
#include "strict_test.h"

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


UNIT_MAIN(chunk_line_length, trailers_limit, header_limit_431, request_line_limit_414,
          phases_and_buffer, body_emitted_as_spans, hooks_may_be_null, random_garbage_never_crashes)
