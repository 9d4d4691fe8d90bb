/*
 * Unit tests for framework/http_strict.c, the strict request validator in
 * front of evhttp: the table of requests and what each must give (status,
 * emitted bytes, hooks), every row fed three ways (strict_test.h). Inputs
 * built at run time, the limits and the API are in test_http_strict_api.c.
 */
#include "strict_test.h"

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


UNIT_MAIN(strict_table)
