"""js_time_limit: a runaway handler is stopped inside the engine and answered
503; the worker keeps serving, before and after."""
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
