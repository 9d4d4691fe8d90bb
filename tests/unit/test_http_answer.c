/*
 * Unit tests for framework/http_answer.c: eider_answer_format, the one
 * writer of an answer head (http.c's answers, the gate's early refusals,
 * eider call's capture), and eider_http_error_body. Each row is the exact
 * bytes a client reads.
 */
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "http_answer.h"
#include "unit.h"

#define MAX_HEADERS 6

struct head_case {
    const char *name;
    int minor;
    int status;
    const char *reason;
    const char *headers[MAX_HEADERS][2];   /* name, value; NULL ends */
    size_t length;
    const char *want;
    struct eider_answer_own own;           /* eider's own lines; none by default */
};

#define NOWN { NULL, NULL, NULL }

static const struct head_case heads[] = {
    { "head_length_last", 1, 200, "OK", { { "Date", "D" }, { "X-Request-Id", "abc" } }, 5,
      "HTTP/1.1 200 OK\r\nDate: D\r\nX-Request-Id: abc\r\nContent-Length: 5\r\n\r\n", NOWN },
    { "head_http10", 0, 404, "Not Found", { { "A", "b" } }, 0,
      "HTTP/1.0 404 Not Found\r\nA: b\r\nContent-Length: 0\r\n\r\n", NOWN },
    /* A handler's Content-Length gives way to the real one, at the end. */
    { "head_listed_length_dropped", 1, 200, "OK",
      { { "Content-Length", "999" }, { "content-length", "7" }, { "A", "b" } }, 3,
      "HTTP/1.1 200 OK\r\nA: b\r\nContent-Length: 3\r\n\r\n", NOWN },
    { "head_no_length", 1, 204, "No Content", { { "Content-Length", "9" }, { "A", "b" } },
      EIDER_ANSWER_NO_LENGTH, "HTTP/1.1 204 No Content\r\nA: b\r\n\r\n", NOWN },
    /* The gate's refusal: its headers as listed, Content-Length in place. */
    { "head_listed_length_kept", 1, 408, "Request Timeout",
      { { "Date", "D" }, { "Content-Type", "application/json" }, { "Content-Length", "80" },
        { "Connection", "close" }, { "X-Request-Id", "0123456789abcdef" } },
      EIDER_ANSWER_LISTED_LENGTH,
      "HTTP/1.1 408 Request Timeout\r\nDate: D\r\nContent-Type: application/json\r\n"
      "Content-Length: 80\r\nConnection: close\r\nX-Request-Id: 0123456789abcdef\r\n\r\n", NOWN },
    { "head_status_three_digits", 1, 1234, "X", { { NULL, NULL } }, 18446744073709551613ull,
      "HTTP/1.1 234 X\r\nContent-Length: 18446744073709551613\r\n\r\n", NOWN },
    /* eider's own lines: id and date first, the type after the list. */
    { "head_own_lines", 1, 200, "OK", { { "Connection", "close" } }, 2,
      "HTTP/1.1 200 OK\r\nX-Request-Id: abc\r\nDate: D\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n",
      { "abc", "D", "application/json" } },
    /* ... the type only when the list has none, whatever its case. */
    { "head_own_type_gives_way", 1, 200, "OK", { { "content-TYPE", "text/plain" } }, 2,
      "HTTP/1.1 200 OK\r\nDate: D\r\ncontent-TYPE: text/plain\r\nContent-Length: 2\r\n\r\n",
      { NULL, "D", "application/json" } },
    /* More lines than are measured once (16): the rest measured again. */
    { "head_many_lines", 1, 200, "OK",
      { { "A", "1" }, { "B", "2" }, { "C", "3" }, { "D", "4" }, { "E", "5" }, { "F", "6" } }, 0,
      "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n"
      "Content-Length: 0\r\n\r\n", NOWN },
};

/* Formats case C through a header list built from its rows; compares. */
static void check_head(const struct head_case *c)
{
    struct evkeyval rows[MAX_HEADERS];
    struct evkeyvalq list = TAILQ_HEAD_INITIALIZER(list);
    struct eider_answer_head h;

    for (int i = 0; i < MAX_HEADERS && c->headers[i][0] != NULL; i++) {
        rows[i].key = (char *)c->headers[i][0];
        rows[i].value = (char *)c->headers[i][1];
        TAILQ_INSERT_TAIL(&list, &rows[i], next);
    }
    CHECK_INT(eider_answer_format(&h, c->minor, c->status, c->reason, &c->own, &list, c->length), 0);
    CHECKF(h.len == strlen(c->want) && memcmp(h.data, c->want, h.len) == 0,
           "got \"%.*s\", expected \"%s\"", (int)h.len, h.data, c->want);
    eider_answer_head_free(&h);
}

TEST(head_table)
{
    for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        check_head(&heads[i]);
        unit_report(heads[i].name);
    }
}

TEST(head_bigger_than_small)
{
    /* Past the struct's own 1024 bytes the head is allocated, and freed. */
    struct evkeyval kv;
    struct evkeyvalq list = TAILQ_HEAD_INITIALIZER(list);
    struct eider_answer_head h;
    char *value = malloc(4001);
    const char *tail = "\r\nContent-Length: 1\r\n\r\n";

    memset(value, 'v', 4000);
    value[4000] = '\0';
    kv.key = "Big";
    kv.value = value;
    TAILQ_INSERT_TAIL(&list, &kv, next);
    CHECK_INT(eider_answer_format(&h, 1, 200, "OK", NULL, &list, 1), 0);
    CHECK(h.data != h.small);
    CHECK_INT(h.len, 17 + 5 + 4000 + strlen(tail));
    CHECK(memcmp(h.data, "HTTP/1.1 200 OK\r\nBig: vvv", 25) == 0);
    CHECK(memcmp(h.data + h.len - strlen(tail), tail, strlen(tail)) == 0);
    eider_answer_head_free(&h);
    CHECK(h.data == NULL);
    free(value);
}

TEST(head_past_measured)
{
    /* 20 lines: the first 16 measured once, the last 4 again. */
    struct evkeyval rows[20];
    struct evkeyvalq list = TAILQ_HEAD_INITIALIZER(list);
    struct eider_answer_head h;
    static const char *const names[20] = { "H0", "H1", "H2", "H3", "H4", "H5", "H6", "H7",
        "H8", "H9", "H10", "H11", "H12", "H13", "H14", "H15", "H16", "H17", "H18", "H19" };
    char want[1024], *w = want;

    w += sprintf(w, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 20; i++) {
        rows[i].key = (char *)names[i];
        rows[i].value = (char *)names[19 - i];
        TAILQ_INSERT_TAIL(&list, &rows[i], next);
        w += sprintf(w, "%s: %s\r\n", names[i], names[19 - i]);
    }
    sprintf(w, "Content-Length: 1\r\n\r\n");
    CHECK_INT(eider_answer_format(&h, 1, 200, "OK", NULL, &list, 1), 0);
    CHECKF(h.len == strlen(want) && memcmp(h.data, want, h.len) == 0,
           "got \"%.*s\"", (int)h.len, h.data);
    eider_answer_head_free(&h);
}

TEST(error_body)
{
    char body[160];
    int n = eider_http_error_body(408, "0123456789abcdef", body, sizeof(body));

    CHECK_STR(body, "{\"error\":\"Request Timeout\",\"status\":408,"
                    "\"requestId\":\"0123456789abcdef\"}\n");
    CHECK_INT(n, (int)strlen(body));
    eider_http_error_body(599, "x", body, sizeof(body));
    CHECK_STR(body, "{\"error\":\"Server Error\",\"status\":599,\"requestId\":\"x\"}\n");
}

UNIT_MAIN(head_table, head_bigger_than_small, head_past_measured, error_body)
