/*
 * fuzz_js: the JavaScript bindings (req, res, Buffer, TextDecoder, JSON,
 * require('crypto'), require('fs'), timers, Promises) on a fuzzed request.
 *
 * The runtime is eider's own (eider_js_runtime: counting allocator,
 * prelude, every binding, the module loader, js_time_limit, and
 * js_memory_limit when the config knows it), built from a config that
 * eider_config_load() parses, on a router over a handlers tree laid out in
 * a scratch directory. Like a worker's, it lives for the whole run and
 * serves one request per input; it is replaced when a worker would be:
 * when it asks for that through its scoreboard slot (js_memory_limit
 * reached), or when its heap grows past what a worker is recycled at.
 *
 * What is not eider's is the HTTP glue: http.c needs a live evhttp
 * connection (and its gate) to answer, so this file implements the part of
 * http.h the bindings call (eider_http_send and friends) the way http.c
 * does, minus the socket. The evhttp_request is real (evhttp_request_new),
 * holding the fuzzed headers and body, and it is freed the moment the
 * answer "leaves", as evhttp frees a request with no connection: a
 * binding that touches it afterwards is a use-after-free ASan reports.
 * The glue checks what a client would receive: a status of three digits,
 * header names that are tokens and values without CR or LF (the bindings
 * promise a handler cannot split a response), and no second answer. The
 * head of a whole answer is the real one, from http_answer.c's writer,
 * read back line by line; error answers are http_answer.c's own
 * eider_http_error, so what the fuzzer checks cannot drift from http.c.
 *
 * The input is read as a loose request: "METHOD TARGET" on the first line,
 * "Name: value" lines up to an empty line, then the body; a line that is
 * not a header ends the headers. The handler (HANDLER_JS below) steers
 * itself with the body's first bytes: which hash, which encoding, which
 * way to answer (at once, chunked, from a Promise, a timer, setImmediate,
 * a redirect, a JSON body, a throw); a second byte of 255 makes it ask
 * for a Buffer of up to 256 MB, which js_memory_limit (64 MB) must refuse
 * (and then the runtime is replaced, as the worker would be). A runaway loop for
 * js_time_limit is left to the integration tests: each one would cost the
 * fuzzer a whole second. JavaScript exceptions are expected;
 * crashes, sanitizer reports and broken properties are findings. JS code
 * can report a broken property itself through fuzzViolation(message).
 *
 * FUZZ_JS_SKIP_KNOWN=1 keeps the handler away from a finding not fixed
 * yet, to fuzz on past it: TextEncoder.encode() of a string holding a
 * character above U+FFFF as one 4-byte sequence (as req.path and req.url
 * still are; see tests/fuzz/README.md), which overflows Duktape's output
 * buffer. Never set it in CI.
 *
 * FUZZ_JS_LOG=1 in the environment shows eider's log (the handler's
 * errors) on stderr, to see what one input does.
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>

#include "fuzz.h"
#include "config.h"
#include "config_internal.h"
#include "http.h"
#include "http_answer.h"
#include "js_internal.h"
#include "log.h"
#include "router.h"
#include "runtime.h"
#include "scoreboard.h"
#include "sources.h"

/* A worker would be recycled well before this; the runtime is rebuilt. */
#define HEAP_RECYCLE (96u << 20)
/* How many loop turns timers and immediates get before the request is
 * answered 503, as a stopping worker answers what is left waiting. */
#define LOOP_TURNS 8

/* The handler every route leads to. ES5 only, as eider's modules. */
static const char HANDLER_JS[] =
    "var crypto = require('crypto');\n"
    "var fs = require('fs');\n"
    "var ENC = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii',\n"
    "           'ucs2', 'buffer', 'nope'];\n"
    "var HASHES = crypto.getHashes().concat(['sha-256', 'SHA1', 'nope']);\n"
    "function attempt(f) { try { return f(); } catch (e) { return e; } }\n"
    "function checkRead(p) {\n"
    "  var r = attempt(function () { return fs.readFileSync(p, 'latin1'); });\n"
    "  if (typeof r === 'string' && r.indexOf('SECRET-OUTSIDE') >= 0)\n"
    "    fuzzViolation('fs read a file outside fs_root through ' + JSON.stringify(p));\n"
    "  return r;\n"
    "}\n"
    "module.exports = function (req, res) {\n"
    "  var body = req.body;\n"
    "  var bytes = body || Buffer.alloc(0);\n"
    "  var text = req.text();\n"
    "  var op = bytes.length > 0 ? bytes[0] : 0;\n"
    "  var sel = bytes.length > 1 ? bytes[1] : 0;\n"
    "  var out = [];\n"
    "  if (body !== undefined && !Buffer.isBuffer(body)) fuzzViolation('req.body is no Buffer');\n"
    "  if (req.body !== body) fuzzViolation('req.body changed between reads');\n"
    "  attempt(function () { out.push(req.method, req.url, req.path, req.ip, req.protocol, req.id); });\n"
    "  attempt(function () { out.push(JSON.stringify(req.query), JSON.stringify(req.params)); });\n"
    "  attempt(function () { out.push(JSON.stringify(req.headers)); });\n"
    "  attempt(function () { out.push(JSON.stringify(req.json())); });\n"
    "  attempt(function () { out.push(JSON.stringify(JSON.parse(text))); });\n"
    /* eider's JSON.parse (js_json.c) against Duktape's own, which it uses
     * when given a reviver: the same values (numbers to 15 digits, see
     * fuzz_json.c), keys in the same order, -0 kept, the same error. */
    "  (function () {\n"
    "    function show(x) { return JSON.stringify(x, function (k, v) {\n"
    "      return typeof v === 'number' ? (v === 0 && 1 / v < 0 ? '-0' : 'n' + v.toPrecision(15)) : v; }); }\n"
    "    var fast, slow, json = text.slice(2);   /* past op and sel */\n"
    "    try { fast = show(JSON.parse(json)); } catch (e) { fast = 'throws ' + e; }\n"
    "    try { slow = show(JSON.parse(json, function (k, v) { return v; })); }\n"
    "    catch (e) { slow = e instanceof RangeError ? fast : 'throws ' + e; }\n"
    "    if (fast !== slow) fuzzViolation('JSON.parse gave ' + fast + ' where Duktape gives ' + slow);\n"
    "  })();\n"
    "  ENC.forEach(function (enc) {\n"
    "    attempt(function () { out.push(bytes.toString(enc)); });\n"
    "    attempt(function () { out.push(bytes.toString(enc, sel % 7, op)); });\n"
    "    attempt(function () { out.push(Buffer.from(text, enc).length); });\n"
    "    attempt(function () { out.push(Buffer.from(bytes.toString(enc), enc).length); });\n"
    "  });\n"
    "  var strs = [text, req.path, req.url];\n"
    "  attempt(function () {\n"
    "    [req.query, req.params, req.headers].forEach(function (o) {\n"
    "      Object.keys(o).forEach(function (k) { strs.push(k, String(o[k])); });\n"
    "    });\n"
    "  });\n"
    "  strs.forEach(function (s) {\n"
    "    if (fuzzSkipKnown && /[^\\u0000-\\uffff]/.test(s)) return;\n"
    "    attempt(function () { out.push(new TextEncoder().encode(s).length, s.length); });\n"
    "  });\n"
    "  attempt(function () { out.push(new TextDecoder().decode(bytes)); });\n"
    "  attempt(function () { out.push(new TextDecoder('utf-8', { fatal: true }).decode(bytes)); });\n"
    "  if (!fuzzSkipKnown || !/[^\\u0000-\\uffff]/.test(text))\n"
    "    attempt(function () { out.push(new TextEncoder().encode(text).length); });\n"
    "  attempt(function () { out.push(Buffer.alloc(sel, text, ENC[op % ENC.length]).length); });\n"
    "  attempt(function () { out.push(Buffer.from(bytes.buffer, sel % 5, op % 9).length); });\n"
    "  attempt(function () { out.push(text.padStart(sel, text).length, Array.from(text).length); });\n"
    "  var alg = HASHES[op % HASHES.length];\n"
    "  attempt(function () {\n"
    "    out.push(crypto.createHash(alg).update(bytes).update(text, ENC[sel % ENC.length])\n"
    "      .digest(ENC[op % ENC.length]));\n"
    "  });\n"
    "  attempt(function () {\n"
    "    var h = crypto.createHash(alg).update(text);\n"
    "    var c = h.copy();\n"
    "    out.push(h.digest('hex'), c.update(bytes).digest('base64'));\n"
    "    attempt(function () { h.update('again'); });\n"
    "    attempt(function () { h.digest(); });\n"
    "  });\n"
    "  attempt(function () { out.push(crypto.createHmac(alg, bytes).update(text).digest('base64url')); });\n"
    "  attempt(function () { out.push(crypto.createHmac(alg, text).update(bytes).digest()); });\n"
    "  attempt(function () { out.push(crypto.hash(alg, sel & 1 ? bytes : text, ENC[sel % ENC.length])); });\n"
    "  attempt(function () { out.push(crypto.timingSafeEqual(bytes, Buffer.from(text, 'latin1'))); });\n"
    "  attempt(function () { out.push(crypto.randomBytes(sel).length, crypto.randomUUID()); });\n"
    "  if (sel === 255 && bytes.length >= 4)\n"
    "    attempt(function () {\n"
    "      out.push(Buffer.alloc(bytes.readUInt16BE(2) * 4096, text).length);\n"
    "    });\n"
    "  checkRead(text.slice(2, 2 + sel % 64));\n"
    "  checkRead(req.path);\n"
    "  attempt(function () { out.push(fs.existsSync(text.slice(0, 32)), fs.statSync('a.txt').size); });\n"
    "  attempt(function () { console.log(text); });\n"
    "  var name = text.slice(0, sel % 16);\n"
    "  attempt(function () { res.setHeader('X-Fuzz', text.slice(0, 40)); });\n"
    "  attempt(function () { res.setHeader(name, [text.slice(0, 8), op]); });\n"
    "  attempt(function () { out.push(res.getHeader(name)); res.removeHeader('X-Fuzz'); });\n"
    "  attempt(function () { res.writeHead(100 + sel * 4, text.slice(0, 70), { 'X-Head': name }); });\n"
    "  attempt(function () { res.statusCode = 100 + (op * 7 + sel) % 900; });\n"
    "  function after() {\n"
    "    attempt(function () { res.end('twice'); });\n"
    "    attempt(function () { res.setHeader('X-Late', '1'); });\n"
    "    attempt(function () { out.push(req.headers, req.body, res.headersSent, res.statusCode); });\n"
    "  }\n"
    "  switch (op % 10) {\n"
    "  case 0: res.end(bytes); after(); return;\n"
    "  case 1: res.json(out, 200 + sel % 3); after(); return;\n"
    "  case 2: res.write(text); res.write(bytes); res.end(); after(); return;\n"
    "  case 3: res.redirect(text.slice(0, 60), sel & 1 ? 301 : undefined); after(); return;\n"
    "  case 4:\n"
    "    return Promise.resolve(bytes).then(function (b) { res.end(b.toString('hex')); after(); });\n"
    "  case 5: setTimeout(function () { res.end(text); after(); }, 0); return;\n"
    "  case 6:\n"
    "    setImmediate(function () { res.write(bytes); res.end(String(out.length)); after(); });\n"
    "    return;\n"
    "  case 7: throw new Error(text.slice(0, 100));\n"
    "  case 8: return Promise.reject(new TypeError(text.slice(0, 100)));\n"
    "  default: res.write(bytes); return;\n"
    "  }\n"
    "};\n";

static struct eider_config *cfg;
static struct eider_router *router;
static struct eider_sources *sources;
static struct event_base *base;
static void *rt;
static const struct eider_runtime_ops *ops = &eider_js_runtime;
static int answers;              /* answers sent for the current input */
static struct eider_slot slot;   /* this "worker's" scoreboard slot */

/* fuzzViolation(message): a property the JS side checks is broken. */
static duk_ret_t fuzz_violation(duk_context *ctx)
{
    FUZZ_ASSERT(0, "%s", duk_safe_to_string(ctx, 0));
    return 0;
}

static void runtime_start(void)
{
    struct eider_runtime_env env = { .cfg = cfg, .router = router, .sources = sources, .base = base };
    char err[1024];
    duk_context *ctx;

    rt = ops->create(&env, err, sizeof(err));
    if (rt == NULL) {
        fprintf(stderr, "fuzz_js: cannot create the runtime: %s\n", err);
        exit(2);
    }
    ctx = ((struct eider_js *)rt)->ctx;
    duk_push_c_function(ctx, fuzz_violation, 1);
    duk_put_global_string(ctx, "fuzzViolation");
    duk_push_boolean(ctx, getenv("FUZZ_JS_SKIP_KNOWN") != NULL);
    duk_put_global_string(ctx, "fuzzSkipKnown");
}

static int has_directive(const char *name)
{
    for (size_t i = 0; i < eider_ndirectives; i++)
        if (strcmp(eider_directives[i].name, name) == 0)
            return 1;
    return 0;
}

/* At exit, everything goes, so LeakSanitizer's check at exit sees what
 * the runtime leaked over the whole run. */
static void teardown(void)
{
    if (rt != NULL)
        ops->destroy(rt);
    eider_router_free(router);
    eider_config_free(cfg);
    eider_sources_free(sources);
    event_base_free(base);
}

/* libFuzzer's leak check per input cannot work with a runtime that lives
 * across inputs (its heap grows and shrinks with GC, not per input: every
 * input looks like a leak and costs a full LeakSanitizer scan, which made
 * 9 in 10 of the run time). So -detect_leaks=0 is added to the flags
 * unless given; leaks are still found at exit (teardown above). libFuzzer
 * parses the flags after this function, so the change takes effect. */
static void default_flags(int *argc, char ***argv)
{
    static char flag[] = "-detect_leaks=0";
    char **v;

    for (int i = 1; i < *argc; i++)
        if (strncmp((*argv)[i], "-detect_leaks=", 14) == 0)
            return;
    v = calloc((size_t)*argc + 2, sizeof(char *));
    memcpy(v, *argv, (size_t)*argc * sizeof(char *));
    v[(*argc)++] = flag;
    *argv = v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = fuzz_scratch_dir("fuzz-js");
    char conf[4096], err[1024], path[4096];
    const char *stub = "module.exports = require('./_lib/fuzz.js');\n";

    default_flags(argc, argv);
    fuzz_write(dir, "handlers/_lib/fuzz.js", HANDLER_JS);
    fuzz_write(dir, "handlers/index.js", stub);
    fuzz_write(dir, "handlers/[...rest].js", stub);
    fuzz_write(dir, "handlers/items/[id].js", "module.exports = require('../_lib/fuzz');\n");
    /* fs_root is pub/; secret.txt and the links lead outside it. */
    fuzz_write(dir, "pub/a.txt", "hello\n");
    fuzz_write(dir, "pub/sub/b.json", "{\"b\": [1, 2]}\n");
    fuzz_write(dir, "secret.txt", "SECRET-OUTSIDE\n");
    snprintf(path, sizeof(path), "%s/pub/link", dir);
    if (symlink("../secret.txt", path) < 0)
        perror(path);
    snprintf(path, sizeof(path), "%s/pub/up", dir);
    if (symlink("..", path) < 0)
        perror(path);

    snprintf(conf, sizeof(conf), "handlers \"%s/handlers\"; fs_root \"%s/pub\"; js_time_limit 1s;%s",
             dir, dir, has_directive("js_memory_limit") ? " js_memory_limit 64m;" : "");
    cfg = eider_config_load(NULL, conf, err, sizeof(err));
    if (cfg == NULL) {
        fprintf(stderr, "fuzz_js: config: %s\n", err);
        exit(2);
    }
    snprintf(path, sizeof(path), "%s/handlers", dir);
    router = eider_router_build(path, err, sizeof(err));
    if (router == NULL) {
        fprintf(stderr, "fuzz_js: router: %s\n", err);
        exit(2);
    }
    /* Only a crash should be loud; FUZZ_JS_LOG=1 shows everything. */
    if (getenv("FUZZ_JS_LOG") != NULL)
        eider_log_open("stderr", EIDER_LOG_DEBUG);
    else
        eider_log_open("/dev/null", EIDER_LOG_CRIT);
    sources = eider_sources_new();
    base = event_base_new();
    eider_scoreboard_set_self(&slot);
    runtime_start();
    atexit(teardown);
    return 0;
}

/* --- the part of http.h the bindings call, as http.c does it (its error
 * answers and every head come from http_answer.c itself) --- */

const char *const eider_method_names[EIDER_NMETHODS] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"
};

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The head as a client would get it: the checks stand in for the
 * client. */
static void check_head(struct eider_exchange *ex)
{
    struct evkeyval *kv;

    FUZZ_ASSERT(ex->status >= 100 && ex->status <= 999, "status %d", ex->status);
    FUZZ_ASSERT(strpbrk(ex->reason, "\r\n") == NULL, "reason phrase with CR or LF");
    TAILQ_FOREACH(kv, evhttp_request_get_output_headers(ex->req), next) {
        FUZZ_ASSERT(kv->key[0] != '\0', "an empty header name");
        for (const char *p = kv->key; *p; p++)
            FUZZ_ASSERT(is_tchar((unsigned char)*p), "header name \"%s\"", kv->key);
        FUZZ_ASSERT(strpbrk(kv->value, "\r\n") == NULL, "header %s: value with CR or LF",
                    kv->key);
    }
}

/* Reads every byte handed over, as the socket would; the sum keeps the
 * compiler from skipping the reads. */
volatile unsigned char fuzz_js_sum;

static void sink(const void *data, size_t len)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++)
        fuzz_js_sum = (unsigned char)(fuzz_js_sum ^ p[i]);
}

static void release(struct eider_exchange *ex)
{
    ops->release(rt, ex);
    eider_match_clear(&ex->match);
    free(ex);
}

/* The answer is gone: evhttp frees a request without a connection at
 * once (evhttp_send), so it is freed here too. */
static void answered(struct eider_exchange *ex)
{
    answers++;
    FUZZ_ASSERT(answers == 1, "a second answer for one request");
    evhttp_request_free(ex->req);
    ex->done = 1;
    ex->req = NULL;
    if (!ex->in_handler)
        release(ex);
}

/* The head http.c would write, from the one writer (http_answer.c), read
 * back as a client would: one status line, "Name: value" lines, a blank
 * line, and the Content-Length the body has (none for 1xx, 204, 304). */
static void check_written_head(struct eider_exchange *ex, size_t content_length)
{
    struct eider_answer_head head;
    const char *reason = ex->reason[0] ? ex->reason : eider_http_reason(ex->status);
    const char *p, *end, *eol;
    int lengths = 0;

    FUZZ_ASSERT(eider_answer_head(&head, ex->req, ex->status, reason, content_length) == 0,
                "no head for status %d", ex->status);
    p = head.data;
    end = head.data + head.len;
    FUZZ_ASSERT(head.len >= 16 && memcmp(p, "HTTP/1.1 ", 9) == 0, "status line %.*s",
                (int)head.len, p);
    FUZZ_ASSERT(memcmp(end - 4, "\r\n\r\n", 4) == 0, "a head not ended by a blank line");
    p = (const char *)memchr(p, '\n', (size_t)(end - p)) + 1;
    for (; p < end - 2; p = eol + 2) {
        const char *colon;
        eol = memchr(p, '\r', (size_t)(end - p));
        FUZZ_ASSERT(eol != NULL && eol[1] == '\n', "a bare CR or LF in the head");
        FUZZ_ASSERT(memchr(p, '\n', (size_t)(eol - p)) == NULL, "a bare LF in a header line");
        colon = memchr(p, ':', (size_t)(eol - p));
        FUZZ_ASSERT(colon != NULL && colon > p && colon[1] == ' ', "header line %.*s",
                    (int)(eol - p), p);
        for (const char *c = p; c < colon; c++)
            FUZZ_ASSERT(is_tchar((unsigned char)*c), "header name %.*s", (int)(colon - p), p);
        if ((size_t)(colon - p) == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
            lengths++;
            FUZZ_ASSERT(strtoull(colon + 2, NULL, 10) == content_length,
                        "Content-Length %.*s for %zu bytes", (int)(eol - p), p, content_length);
        }
    }
    FUZZ_ASSERT(lengths == eider_answer_body_allowed(ex->status), "%d Content-Length for %d",
                lengths, ex->status);
    eider_answer_head_free(&head);
}

void eider_http_send(struct eider_exchange *ex, int status, const void *body, size_t len)
{
    if (ex->done || ex->head_sent)
        return;
    ex->status = status;
    check_head(ex);
    check_written_head(ex, len);
    /* HEAD answers carry GET's length and no body; 204 and 304 no body. */
    if (body == NULL || ex->method == EIDER_HEAD || !eider_answer_body_allowed(status))
        len = 0;
    sink(body, len);
    ex->body_bytes = len;
    ex->head_sent = 1;
    answered(ex);
}

void eider_http_start_chunked(struct eider_exchange *ex)
{
    if (ex->head_sent || ex->done)
        return;
    check_head(ex);
    ex->head_sent = 1;
    ex->chunked = 1;
}

/* Never more than the socket takes: drain is left to the integration
 * tests. */
int eider_http_write_chunk(struct eider_exchange *ex, const void *data, size_t len)
{
    if (ex->done || len == 0)
        return 1;
    eider_http_start_chunked(ex);
    sink(data, len);
    if (ex->method != EIDER_HEAD)
        ex->body_bytes += len;
    return 1;
}

void eider_http_end_chunked(struct eider_exchange *ex, const void *data, size_t len)
{
    if (ex->done)
        return;
    eider_http_write_chunk(ex, data, len);
    eider_http_start_chunked(ex);
    answered(ex);
}

/* Called after a 'drain' handler, which write_chunk never asks for. */
void eider_http_handler_returned(struct eider_exchange *ex)
{
    ex->in_handler = 0;
    if (ex->done)
        release(ex);
}

const char *eider_http_peer(struct eider_exchange *ex)
{
    return ex->peer;
}

struct evbuffer *eider_http_body(struct eider_exchange *ex)
{
    FUZZ_ASSERT(ex->req != NULL, "the body of an answered request");
    return evhttp_request_get_input_buffer(ex->req);
}

/* --- one request per input --- */

static const enum evhttp_cmd_type ev_methods[EIDER_NMETHODS] = {
    EVHTTP_REQ_GET, EVHTTP_REQ_HEAD, EVHTTP_REQ_POST, EVHTTP_REQ_PUT, EVHTTP_REQ_PATCH,
    EVHTTP_REQ_DELETE, EVHTTP_REQ_OPTIONS
};

/* The next line of [*p, end) without its CR LF, as a C string (cut at a
 * NUL, as evhttp's parser would see it) in buf. */
static const char *next_line(const char **p, const char *end, char *buf, size_t buflen)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *stop = nl ? nl : end;
    size_t n = (size_t)(stop - *p);

    if (n > 0 && (*p)[n - 1] == '\r')
        n--;
    if (n >= buflen)
        n = buflen - 1;
    memcpy(buf, *p, n);
    buf[n] = '\0';
    *p = nl ? nl + 1 : end;
    return buf;
}

/* Builds the exchange http.c's dispatch would, from the fuzzed request;
 * NULL when dispatch would answer it without a handler. */
static struct eider_exchange *make_exchange(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    char line[8192], target[8192];
    struct eider_exchange *ex;
    struct evhttp_request *req;
    char *sp, *q;
    int method = EIDER_POST;

    next_line(&p, end, line, sizeof(line));
    sp = strchr(line, ' ');
    if (sp != NULL) {
        *sp = '\0';
        for (int m = 0; m < EIDER_NMETHODS; m++)
            if (strcmp(line, eider_method_names[m]) == 0)
                method = m;
        snprintf(target, sizeof(target), "%s%s", sp[1] == '/' ? "" : "/", sp + 1);
    } else {
        snprintf(target, sizeof(target), "/%s", line);
    }
    /* dispatch answers 400 for these: no handler sees them. */
    for (const unsigned char *u = (const unsigned char *)target; *u; u++)
        if (*u <= 0x20 || *u == 0x7f)
            return NULL;

    req = evhttp_request_new(NULL, NULL);
    req->type = ev_methods[method];
    req->major = 1;
    req->minor = 1;
    req->uri = strdup(target);
    while (p < end) {
        const char *at = p;
        char *colon;
        next_line(&p, end, line, sizeof(line));
        colon = strchr(line, ':');
        if (line[0] == '\0')
            break;
        if (colon == NULL || colon == line) {
            p = at;   /* not a header: the body starts here */
            break;
        }
        *colon = '\0';
        for (colon++; *colon == ' ' || *colon == '\t'; colon++)
            ;
        evhttp_add_header(evhttp_request_get_input_headers(req), line, colon);
    }
    evbuffer_add(evhttp_request_get_input_buffer(req), p, (size_t)(end - p));

    ex = calloc(1, sizeof(*ex));
    ex->req = req;
    ex->method = (enum eider_method)method;
    ex->status = 200;
    ex->match.handler = -1;
    ex->in_handler = 1;
    snprintf(ex->id, sizeof(ex->id), "00000000fuzz%04zx", size & 0xffff);
    snprintf(ex->peer, sizeof(ex->peer), "192.0.2.1");
    q = strchr(req->uri, '?');
    ex->path = strndup(req->uri, q ? (size_t)(q - req->uri) : strlen(req->uri));
    ex->query = q ? q + 1 : NULL;
    if (eider_router_match(router, ex->path, strlen(ex->path), &ex->match) < 0
        || !(ops->methods(rt, ex->match.handler) & (1u << method))) {
        eider_match_clear(&ex->match);
        free((char *)ex->path);
        free(ex);
        evhttp_request_free(req);
        return NULL;
    }
    return ex;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eider_exchange *ex = make_exchange(data, size);
    char *path;

    if (ex == NULL)
        return 0;
    answers = 0;
    /* ex->path points into the request in http.c; here it is our copy,
     * kept until the exchange is gone. */
    path = (char *)ex->path;
    ops->handle(rt, ex);
    ex->in_handler = 0;
    if (ex->done) {
        release(ex);
    } else {
        /* Waiting: give timers, immediates and Promises their turns. */
        for (int i = 0; i < LOOP_TURNS && answers == 0; i++)
            event_base_loop(base, EVLOOP_NONBLOCK);
        if (answers == 0) {
            ex->in_handler = 1;   /* still ours after the answer, for release() */
            eider_http_error(ex, 503);
            ex->in_handler = 0;
            release(ex);
        }
    }
    free(path);
    /* Timers a handler left behind fire for no request; let them run out. */
    for (int i = 0; i < LOOP_TURNS; i++)
        event_base_loop(base, EVLOOP_NONBLOCK);
    if (slot.retire || ops->heap_bytes(rt) > HEAP_RECYCLE) {
        ops->destroy(rt);
        memset(&slot, 0, sizeof(slot));
        runtime_start();
    }
    return 0;
}
