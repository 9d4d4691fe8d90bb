"""js_time_limit: a runaway handler is stopped inside the engine and answered
503; the worker keeps serving, before and after. That holds whatever the
loop spends its time in: bytecode, native calls that run few instructions
(join, JSON, replace, split, typed-array copies), slow instructions (string
concatenation of long strings), or one catastrophic regexp (issue 13)."""
import os
import subprocess
import threading
import time

from eiderlib import Eider, Shared, mkdtemp, write_tree, eider_bin, assert_status, assert_eider_error

HANDLERS = {
    "spin.js": "module.exports = function (req, res) { while (true) {} };\n",
    "spin_catch.js": ("module.exports = function (req, res) {\n"
                      "  for (;;) { try { for (;;) {} } catch (e) {} }\n};\n"),
    "recurse.js": "function f(n) { return f(n + 1) + 1; }\nmodule.exports = function (req, res) { f(0); };\n",
    "spin_timer.js": ("module.exports = function (req, res) {\n"
                      "  setTimeout(function () { while (true) {} }, 1);\n"
                      "  setTimeout(function () { res.end('after'); }, 50);\n};\n"),
    "ok.js": "module.exports = function (req, res) { res.end('ok ' + process.pid); };\n",
}

# Loops whose time goes into native code: Duktape runs few bytecode
# instructions per iteration, so its interrupt counter (every 256K
# instructions) alone let them run on for minutes (issue 13, defect 1).
NATIVE_LOOPS = {
    "join": "for (;;) new Array(100000).join('x');",
    "json": ("var o = [];\nfor (var i = 0; i < 20000; i++) o.push({ a: i, b: 'x', c: [i] });\n"
             "for (;;) JSON.parse(JSON.stringify(o));"),
    "replace": "var s = new Array(200000).join('ab');\nfor (;;) s.replace(/a/g, 'c');",
    "split": "var s = new Array(200000).join('ab');\nfor (;;) s.split('');",
    "concat": "var big = new Array(1 << 20).join('x');\nfor (;;) { var t = big + big; }",
    "sort": ("var a = [];\nfor (var i = 0; i < 100000; i++) a.push((i * 7919) % 100003);\n"
             "for (;;) a.slice().sort(function (x, y) { return x - y; });"),
    "typed": "var a = new Uint8Array(1 << 22), b = new Uint8Array(1 << 22);\nfor (;;) b.set(a);",
    # Exponential backtracking: no bytecode runs inside the match, and
    # Duktape's own step limit ends it only after ~8 s, with a 500 (defect 2).
    "regexp": "/^(a+)+$/.test(new Array(40).join('a') + '!');\nres.end('matched?');",
}
for _kind, _body in NATIVE_LOOPS.items():
    HANDLERS["native_%s.js" % _kind] = "module.exports = function (req, res) {\n%s\n};\n" % _body
HANDLERS["native_timer.js"] = (
    "module.exports = function (req, res) {\n"
    "  setTimeout(function () { for (;;) new Array(100000).join('x'); }, 1);\n"
    "  setTimeout(function () { res.end('after'); }, 50);\n};\n")
HANDLERS["native_promise.js"] = (
    "module.exports = function (req, res) {\n"
    "  Promise.resolve().then(function () { for (;;) new Array(100000).join('x'); });\n"
    "  setTimeout(function () { res.end('after'); }, 50);\n};\n")
# A handler whose returned Promise waits on a job that never ends: the
# job runs in the C drain (js_microtask.c) after the handler returned.
HANDLERS["spin_job.js"] = (
    "module.exports = function (req, res) {\n"
    "  return Promise.resolve().then(function () { for (;;) {} });\n};\n")
HANDLERS["spin_await.js"] = (
    "module.exports = async function (req, res) {\n"
    "  await null;\n  for (;;) {}\n};\n")
HANDLERS["regexp_caught.js"] = (
    "module.exports = function (req, res) {\n"
    "  var s = new Array(40).join('a') + '!';\n"
    "  for (;;) { try { /^(a+)+$/.test(s); } catch (e) { /^(a+)+$/.test(s); } }\n};\n")


def _make():
    d = mkdtemp("eider-limits-")
    write_tree(d, HANDLERS)
    return Eider(d, extra_conf="js_time_limit 1s;")


srv = Shared(_make)


def teardown_module():
    srv.close()


def _pid_answer():
    r = srv.get().request("GET", "/ok")
    assert_status(r, 200)
    return r[2]


def test_runaway_loop_answers_503_and_worker_serves():
    before = _pid_answer()
    t0 = time.time()
    r = srv.get().request("GET", "/spin", timeout=20)
    assert_eider_error(r, 503)
    assert time.time() - t0 < 10, "stopped after %.1fs with js_time_limit 1s" % (time.time() - t0)
    assert _pid_answer() == before, "the worker was replaced"
    srv.get().wait_log("stopped at js_time_limit")


def test_runaway_loop_that_catches_is_stopped_too():
    before = _pid_answer()
    r = srv.get().request("GET", "/spin_catch", timeout=20)
    assert_eider_error(r, 503)
    assert _pid_answer() == before


def test_runaway_recursion_is_an_error_not_a_crash():
    before = _pid_answer()
    r = srv.get().request("GET", "/recurse", timeout=20)
    assert r[0] in (500, 503), r[:2]
    assert _pid_answer() == before


def test_other_requests_are_answered_around_a_runaway_timer():
    before = _pid_answer()
    r = srv.get().request("GET", "/spin_timer", timeout=20)
    assert_status(r, 200)
    assert r[2] == b"after"
    assert _pid_answer() == before
    srv.get().wait_log("uncaught exception in a timer callback")


def _stopped_and_worker_serves(path):
    before = _pid_answer()
    # Generous bounds: the point is an answer at all, and a 503 rather
    # than the watchdog's kill (60 s) or the regexp step limit's 500.
    r = srv.get().request("GET", path, timeout=30)
    assert_eider_error(r, 503)
    assert _pid_answer() == before, "the worker was replaced"


def test_native_join_loop_is_stopped():
    _stopped_and_worker_serves("/native_join")


def test_native_json_loop_is_stopped():
    _stopped_and_worker_serves("/native_json")


def test_native_replace_loop_is_stopped():
    _stopped_and_worker_serves("/native_replace")


def test_native_split_loop_is_stopped():
    _stopped_and_worker_serves("/native_split")


def test_string_concatenation_loop_is_stopped():
    _stopped_and_worker_serves("/native_concat")


def test_sort_with_comparator_loop_is_stopped():
    _stopped_and_worker_serves("/native_sort")


def test_typed_array_copy_loop_is_stopped():
    _stopped_and_worker_serves("/native_typed")


def test_catastrophic_regexp_is_stopped_with_503():
    _stopped_and_worker_serves("/native_regexp")
    srv.get().wait_log("execution timeout")


def test_catastrophic_regexp_in_a_catch_is_stopped_too():
    _stopped_and_worker_serves("/regexp_caught")


def test_native_loop_in_a_timer_is_stopped():
    before = _pid_answer()
    r = srv.get().request("GET", "/native_timer", timeout=30)
    assert_status(r, 200)
    assert r[2] == b"after"
    assert _pid_answer() == before


def test_native_loop_in_a_promise_job_is_stopped():
    before = _pid_answer()
    r = srv.get().request("GET", "/native_promise", timeout=30)
    assert_status(r, 200)
    assert r[2] == b"after"
    assert _pid_answer() == before


def test_runaway_promise_job_answers_503_and_worker_serves():
    _stopped_and_worker_serves("/spin_job")


def test_runaway_code_after_an_await_answers_503_and_worker_serves():
    _stopped_and_worker_serves("/spin_await")


def test_native_loop_in_module_code_fails_the_check():
    d = mkdtemp("eider-limits-n-")
    write_tree(d, {"handlers/bad.js": ("for (;;) new Array(100000).join('x');\n"
                                       "module.exports = function (q, s) {};\n"),
                   "eider.conf": "js_time_limit 1s;\nhandlers handlers;\n"})
    p = subprocess.run([eider_bin(), "-t", "-c", os.path.join(d, "eider.conf")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1, p.stderr
    assert "bad.js" in p.stderr and "test failed" in p.stderr, p.stderr


def test_runaway_module_code_fails_the_check():
    d = mkdtemp("eider-limits-t-")
    write_tree(d, {"handlers/bad.js": "while (true) {}\nmodule.exports = function (q, s) {};\n",
                   "eider.conf": "js_time_limit 1s;\nhandlers handlers;\n"})
    t0 = time.time()
    p = subprocess.run([eider_bin(), "-t", "-c", os.path.join(d, "eider.conf")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1, p.stderr
    assert "bad.js" in p.stderr and "test failed" in p.stderr, p.stderr
    assert time.time() - t0 < 10
