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
 * The HTTP glue is eider's too: the request is built by eider call's
 * builder (eider_call_request), dispatched by http.c's
 * eider_http_dispatch (routing, 404/405, the handler), and answered by
 * http.c's send functions into the capture eider call prints
 * (http_capture.c), whose head comes from http_answer.c's one writer, as
 * on a connection. evhttp frees a request with no connection the moment
 * its answer leaves: a binding that touches it afterwards is a
 * use-after-free ASan reports. The fuzzer reads the captured answer as a
 * client would: a status line of three digits, header names that are
 * tokens and values without CR or LF (the bindings promise a handler
 * cannot split a response), a Content-Length that is the body's, and no
 * second answer. What a handler leaves unanswered after a few turns of
 * the loop gets http.c's 503, as in a stopping worker.
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
#include "cmd.h"
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
#include "worker.h"

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
static const struct eider_runtime_ops *ops = &eider_js_runtime;
static int answers;              /* answers sent for the current input */
static struct eider_slot slot;   /* this "worker's" scoreboard slot */
static struct eider_worker w;    /* as eider call's: no listener, a capture */
static struct eider_capture cap;

static void on_answer_end(struct eider_capture *c);

/* fuzzViolation(message): a property the JS side checks is broken. */
static duk_ret_t fuzz_violation(duk_context *ctx)
{
    FUZZ_ASSERT(0, "%s", duk_safe_to_string(ctx, 0));
    return 0;
}

/* The runtime, made as eider call makes it (eider_call_worker), with the
 * fuzzer's two globals. */
static void runtime_start(void)
{
    char err[1024];
    duk_context *ctx;

    if (w.glue.rt == NULL && cap.out == NULL) {
        if (eider_call_worker(&w, &cap, cfg, router, sources, err, sizeof(err)) < 0) {
            fprintf(stderr, "fuzz_js: cannot create the runtime: %s\n", err);
            exit(2);
        }
        cap.on_end = on_answer_end;
        w.glue.slot = &slot;
    } else {
        struct eider_runtime_env env = { .cfg = cfg, .router = router, .sources = sources,
                                         .base = base };
        if ((w.glue.rt = ops->create(&env, err, sizeof(err))) == NULL) {
            fprintf(stderr, "fuzz_js: cannot create the runtime: %s\n", err);
            exit(2);
        }
    }
    ctx = ((struct eider_js *)w.glue.rt)->ctx;
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
    if (w.glue.rt != NULL)
        ops->destroy(w.glue.rt);
    if (cap.out != NULL)
        evbuffer_free(cap.out);
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
    w.base = base;
    eider_scoreboard_set_self(&slot);
    runtime_start();
    atexit(teardown);
    return 0;
}

/* --- the answer, as a client reads it --- */

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The capture's end of an answer (http_capture.c), instead of stopping
 * the loop: counted, so that a second answer to one request shows. */
static void on_answer_end(struct eider_capture *c)
{
    (void)c;
    answers++;
    FUZZ_ASSERT(answers == 1, "a second answer for one request");
}

/* The answer http.c wrote, as a client would read it: one status line of
 * three digits, "Name: value" lines with token names and no bare CR or
 * LF, a blank line, then a body as long as Content-Length says (none for
 * HEAD, 1xx, 204, 304; a chunked answer comes de-chunked, with no
 * Content-Length; a streamed answer to HEAD has neither). */
static void check_answer(const char *p, size_t len, int head_request)
{
    const char *end = p + len, *eol, *body;
    long long length = -1;
    int chunked = 0, status;

    FUZZ_ASSERT(len >= 17 && memcmp(p, "HTTP/1.", 7) == 0 && (p[7] == '0' || p[7] == '1')
                && p[8] == ' ', "status line %.*s", (int)(len < 40 ? len : 40), p);
    for (int i = 9; i < 12; i++)
        FUZZ_ASSERT(p[i] >= '0' && p[i] <= '9', "status %.3s", p + 9);
    status = atoi(p + 9);
    eol = memmem(p, len, "\r\n", 2);
    FUZZ_ASSERT(eol != NULL && memchr(p, '\n', (size_t)(eol - p)) == NULL
                && memchr(p, '\r', (size_t)(eol - p)) == NULL, "reason phrase with CR or LF");
    body = memmem(p, len, "\r\n\r\n", 4);
    FUZZ_ASSERT(body != NULL, "a head not ended by a blank line");
    body += 4;
    for (p = eol + 2; p < body - 2; p = eol + 2) {
        const char *colon;
        eol = memmem(p, (size_t)(body - p), "\r\n", 2);
        FUZZ_ASSERT(eol != NULL, "a header line without CR LF");
        FUZZ_ASSERT(memchr(p, '\n', (size_t)(eol - p)) == NULL
                    && memchr(p, '\r', (size_t)(eol - p)) == NULL, "a bare CR or LF in %.*s",
                    (int)(eol - p), p);
        colon = memchr(p, ':', (size_t)(eol - p));
        FUZZ_ASSERT(colon != NULL && colon > p && colon[1] == ' ', "header line %.*s",
                    (int)(eol - p), p);
        for (const char *c = p; c < colon; c++)
            FUZZ_ASSERT(is_tchar((unsigned char)*c), "header name %.*s", (int)(colon - p), p);
        if ((size_t)(colon - p) == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
            FUZZ_ASSERT(length < 0, "two Content-Length headers");
            length = strtoll(colon + 2, NULL, 10);
        }
        if ((size_t)(colon - p) == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0)
            chunked = 1;
    }
    if (chunked || status < 200 || status == 204 || status == 304) {
        FUZZ_ASSERT(length < 0, "Content-Length on a %s%d answer", chunked ? "chunked " : "",
                    status);
    } else {
        /* A streamed answer to HEAD has neither header, as evhttp sends
         * it on a connection (no body follows to frame). */
        FUZZ_ASSERT(length >= 0 || head_request, "no Content-Length on a %d answer", status);
        if (!head_request)
            FUZZ_ASSERT(length == end - body, "Content-Length %lld for %zu bytes", length,
                        (size_t)(end - body));
    }
    if (head_request || status < 200 || status == 204 || status == 304)
        FUZZ_ASSERT(end == body, "%zu bytes of body on a %d answer%s", (size_t)(end - body),
                    status, head_request ? " to HEAD" : "");
}

/* --- one request per input --- */

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

#define MAX_HEADERS 64

/* The request eider call would make of the fuzzed one (cmd_call.c's
 * eider_call_request, the real builder), or NULL when it refuses it.
 * *HEAD_REQUEST says whether it is a HEAD. */
static struct evhttp_request *make_request(const uint8_t *data, size_t size, int *head_request)
{
    const char *p = (const char *)data, *end = p + size;
    static char lines[MAX_HEADERS][1024];
    const char *headers[MAX_HEADERS];
    char line[8192], target[8192], err[256];
    const char *method = "POST";
    int nheaders = 0;
    char *sp;

    next_line(&p, end, line, sizeof(line));
    sp = strchr(line, ' ');
    if (sp != NULL) {
        *sp = '\0';
        for (int m = 0; m < EIDER_NMETHODS; m++)
            if (strcmp(line, eider_method_names[m]) == 0)
                method = eider_method_names[m];
        snprintf(target, sizeof(target), "%s%s", sp[1] == '/' ? "" : "/", sp + 1);
    } else {
        snprintf(target, sizeof(target), "/%s", line);
    }
    while (p < end && nheaders < MAX_HEADERS) {
        const char *at = p;
        next_line(&p, end, line, sizeof(line));
        if (line[0] == '\0')
            break;
        if (strchr(line, ':') == NULL || line[0] == ':') {
            p = at;   /* not a header: the body starts here */
            break;
        }
        snprintf(lines[nheaders], sizeof(lines[nheaders]), "%s", line);
        headers[nheaders] = lines[nheaders];
        nheaders++;
    }
    *head_request = strcmp(method, "HEAD") == 0;
    return eider_call_request(method, target, headers, nheaders, p, (size_t)(end - p), err,
                              sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int head_request;
    struct evhttp_request *req = make_request(data, size, &head_request);

    if (req == NULL)
        return 0;
    answers = 0;
    cap.status = cap.done = 0;
    evbuffer_drain(cap.out, evbuffer_get_length(cap.out));
    eider_http_dispatch(req, &w.listeners[0]);
    /* Waiting: give timers, immediates and Promises their turns. */
    for (int i = 0; i < LOOP_TURNS && answers == 0; i++)
        event_base_loop(base, EVLOOP_NONBLOCK);
    /* Then 503, as a stopping worker answers what is left waiting. */
    eider_http_close_waiting(&w.glue);
    FUZZ_ASSERT(answers == 1, "%d answers for one request", answers);
    check_answer((const char *)evbuffer_pullup(cap.out, -1), evbuffer_get_length(cap.out),
                 head_request);
    /* Timers a handler left behind fire for no request; let them run out. */
    for (int i = 0; i < LOOP_TURNS; i++)
        event_base_loop(base, EVLOOP_NONBLOCK);
    if (slot.retire || ops->heap_bytes(w.glue.rt) > HEAP_RECYCLE) {
        ops->destroy(w.glue.rt);
        memset(&slot, 0, sizeof(slot));
        runtime_start();
    }
    return 0;
}
