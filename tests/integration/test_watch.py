"""Issue 18, watch mode (`watch on;`, eider -w): edits, additions and removals
under the handlers root start a reload (inotify, in the master); a broken file
is reported with file:line:column and the last good generation keeps serving;
in watch mode only, a 5xx answer from a handler's error carries the message
and the source-mapped stack in its JSON body. Refused together with daemon on.

No timing assertion: every wait is bounded at 10 s; the latency from a write
to the new answer is printed (pytest -s) for the README."""
import json
import os
import re
import shutil
import time

from eiderlib import (Eider, assert_status, mkdtemp, run_eider, wait_until, write_tree)


def _handler(body):
    return "module.exports = function (req, res) { res.end(%r); };\n" % body


BROKEN = "module.exports = function (req, res) {\n  const a = 1;\n  res.end('x' +);\n};\n"

THROWS_TS = ("interface Thing { name: string }\n"
             "function fail(t: Thing): never {\n"
             "  throw new Error('no ' + t.name);\n"
             "}\n"
             "export function GET(req: any, res: any) {\n"
             "  fail({ name: 'widget' });\n"
             "}\n")


def _server(files, watch=True, **kw):
    d = mkdtemp("eider-watch-h-")
    write_tree(d, files)
    e = Eider(d, extra_conf="watch on;" if watch else "", **kw)
    e.start()
    return e


def _write(e, rel, text):
    """Writes in place, as an editor that saves over the file does."""
    p = os.path.join(e.handlers_dir, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)


def _status_body(e, path):
    r = e.get(path, timeout=10)
    return r[0], r[2].decode(errors="replace")


def _wait_answer(e, path, status, body=None, timeout=10):
    """Polls until PATH answers STATUS (and BODY); returns the seconds it took."""
    t0 = time.monotonic()
    seen = []

    def ok():
        st, b = _status_body(e, path)
        seen.append((st, b[:80]))
        return st == status and (body is None or b == body)
    try:
        wait_until(ok, timeout, interval=0.01, msg="%s answering %s %r" % (path, status, body))
    except AssertionError:
        raise AssertionError("%s not answered %s %r within %ds (last: %r)\n%s"
                             % (path, status, body, timeout, seen[-3:], e.error_log()[-2000:]))
    return time.monotonic() - t0


def test_edit_reloads_without_a_signal():
    e = _server({"index.js": _handler("v1")})
    try:
        assert _status_body(e, "/") == (200, "v1")
        took = []
        for i in range(2, 5):
            _write(e, "index.js", _handler("v%d" % i))
            took.append(_wait_answer(e, "/", 200, "v%d" % i))
        print("\nwatch: write to new answer: %s s" % ", ".join("%.3f" % t for t in took))
        assert "watching %s" % e.handlers_dir in e.error_log()
    finally:
        e.stop()


def test_dash_w_turns_watch_mode_on():
    d = mkdtemp("eider-watch-h-")
    write_tree(d, {"index.js": _handler("one")})
    e = Eider(d, args=["-w"])
    e.start()
    try:
        _write(e, "index.js", _handler("two"))
        _wait_answer(e, "/", 200, "two")
    finally:
        e.stop()


def test_added_file_is_a_new_route_and_removed_file_is_gone():
    e = _server({"index.js": _handler("home")})
    try:
        assert_status(e.get("/hello"), 404)
        _write(e, "hello.js", _handler("hi"))
        _wait_answer(e, "/hello", 200, "hi")
        # A directory made after the start is watched too, files and all.
        _write(e, "api/users.js", _handler("users"))
        _wait_answer(e, "/api/users", 200, "users")
        _write(e, "api/items.js", _handler("items"))
        _wait_answer(e, "/api/items", 200, "items")
        os.unlink(os.path.join(e.handlers_dir, "hello.js"))
        _wait_answer(e, "/hello", 404)
        shutil.rmtree(os.path.join(e.handlers_dir, "api"))
        _wait_answer(e, "/api/users", 404)
        assert _status_body(e, "/") == (200, "home")
    finally:
        e.stop()


def test_root_deleted_and_made_again_is_watched_again():
    """rm -rf of the whole handlers root (a checkout, rsync --delete) drops
    inotify's watches: the root's parent is watched for its name, so the
    root made again is served and its later edits reload too."""
    e = _server({"index.js": _handler("before")})
    try:
        shutil.rmtree(e.handlers_dir)
        wait_until(lambda: "reload failed" in e.error_log(), 10,
                   msg="the reload of the missing root failed")
        assert _status_body(e, "/") == (200, "before")   # the last good generation
        write_tree(e.handlers_dir, {"index.js": _handler("after")})
        _wait_answer(e, "/", 200, "after")
        assert "is back, watching it again" in e.error_log()
        _write(e, "index.js", _handler("edited"))
        _wait_answer(e, "/", 200, "edited")
    finally:
        e.stop()


def test_broken_file_keeps_the_last_good_answer_until_fixed():
    e = _server({"index.js": _handler("good")})
    try:
        _write(e, "index.js", BROKEN)
        path = os.path.join(e.handlers_dir, "index.js")
        wait_until(lambda: "reload failed" in e.error_log(), 10, msg="the failed reload in the log")
        line = [ln for ln in e.error_log().splitlines() if "reload failed" in ln][-1]
        assert "[error]" in line, line
        assert "%s:3:16:" % path in line, "the error does not name file:line:column:\n" + line
        # The error log is a file here: the developer's terminal gets it too.
        with open(e.stderr_path) as f:
            assert "%s:3:16:" % path in f.read()
        for _ in range(5):
            assert _status_body(e, "/") == (200, "good")
        _write(e, "index.js", _handler("fixed"))
        _wait_answer(e, "/", 200, "fixed")
    finally:
        e.stop()


def _reloads_after_settling(e):
    """The number of reloads once the last one has committed and the loop
    has had time for another (a change it made itself would start one)."""
    wait_until(lambda: "reloaded:" in e.error_log(), 10, msg="the reload committed")
    time.sleep(1.0)
    return e.error_log().count("reloading ")


def test_dot_files_and_node_modules_do_not_reload():
    e = _server({"index.js": _handler("v1"), "node_modules/dep/index.js": "module.exports = 1;\n"})
    try:
        _write(e, ".index.js.swp", "junk")
        _write(e, "index.js~", "junk")
        _write(e, "node_modules/dep/index.js", "module.exports = 2;\n")
        os.mkdir(os.path.join(e.handlers_dir, ".git"))
        _write(e, ".git/HEAD", "junk")
        # Long past the debounce, so that a reload for those would not be
        # merged with this one: then a change that counts.
        time.sleep(1.0)
        _write(e, "index.js", _handler("v2"))
        _wait_answer(e, "/", 200, "v2")
        assert _reloads_after_settling(e) == 1, e.error_log()[-2000:]
    finally:
        e.stop()


def test_lowering_cache_under_the_root_does_not_reload_again():
    ts = "export function GET(req: any, res: any): void { const v: string = %r; res.end(v); }\n"
    d = mkdtemp("eider-watch-h-")
    write_tree(d, {"t.ts": ts % "one"})
    e = Eider(d, extra_conf="watch on;\njs_cache %s/cache;" % d)
    e.start()
    try:
        _write(e, "t.ts", ts % "two")
        _wait_answer(e, "/t", 200, "two")
        assert os.listdir(os.path.join(d, "cache")), "nothing was lowered into the cache"
        assert _reloads_after_settling(e) == 1, e.error_log()[-2000:]
    finally:
        e.stop()


def _error_body(e, path):
    r = e.get(path)
    assert_status(r, 500)
    assert r[1].get("content-type", "").startswith("application/json"), r[1]
    return json.loads(r[2])


def test_500_carries_message_and_mapped_stack_in_watch_mode_only():
    files = {"boom.ts": THROWS_TS}
    e = _server(files)
    try:
        j = _error_body(e, "/boom")
        assert j["status"] == 500 and j["error"] == "Internal Server Error" and j["requestId"], j
        assert j["message"] == "no widget", j
        # Source-mapped: the throw is on line 3 of the TypeScript text.
        assert re.search(r"boom\.ts:3:\d+", j["stack"]), j["stack"]
        assert "Error: no widget" in j["stack"], j["stack"]
    finally:
        e.stop()
    e = _server(files, watch=False)
    try:
        j = _error_body(e, "/boom")
        assert set(j) == {"error", "status", "requestId"}, j
        assert "no widget" not in json.dumps(j)
    finally:
        e.stop()


def test_thrown_string_gives_its_message():
    e = _server({"s.js": "module.exports = function () { throw 'plain text'; };\n"})
    try:
        j = _error_body(e, "/s")
        assert j["message"] == "plain text" and "stack" not in j, j
    finally:
        e.stop()


def test_watch_with_daemon_is_refused_with_file_line():
    d = mkdtemp("eider-watch-c-")
    write_tree(d, {"h/index.js": _handler("x")})
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("handlers %s/h;\nwatch on;\ndaemon on;\n" % d)
    p = run_eider(["-t", "-c", conf])
    rc, err = p.returncode, p.stderr
    assert rc == 1, (rc, err)
    assert "%s:2:" % conf in err and "daemon on" in err and "%s:3" % conf in err, err
    with open(conf, "w") as f:
        f.write("handlers %s/h;\ndaemon on;\n" % d)
    p = run_eider(["-t", "-w", "-c", conf])
    rc, err = p.returncode, p.stderr
    assert rc == 1 and "(command line -g)" in err and "watch on" in err, err
