"""Errors: thrown handlers (500), eider-generated JSON errors, request timeout,
JS syntax errors in handler files (at -t and at start)."""
import os
import re
import shutil
import time

from eiderlib import (pending, mkdtemp, Eider, Shared, fixture, assert_status, assert_eider_error,
                      run_eider, write_tree, free_port)

srv = Shared(lambda: Eider(fixture("errors"), extra_conf="request_timeout 2s;"))
_tmps = []


def teardown_module():
    srv.close()
    for t in _tmps:
        shutil.rmtree(t, ignore_errors=True)


def _log_block(log, rid, lines_after=40):
    """The error log from the first line mentioning rid, plus following lines."""
    lines = log.splitlines()
    for i, ln in enumerate(lines):
        if rid in ln:
            return "\n".join(lines[i:i + lines_after])
    return None


# ---------------------------------------------------------------- thrown errors

def test_throw_gives_500_json_with_request_id():
    r = srv.get().request("GET", "/throw")
    j = assert_eider_error(r, 500)
    rid = r[1]["x-request-id"]
    assert rid.encode() in r[2], "500 body lacks the request id: %r" % r[2]
    assert j.get("requestId") == rid, j


def test_throw_body_has_no_stack():
    r = srv.get().request("GET", "/throw")
    assert_status(r, 500)
    b = r[2].decode("utf-8", "replace")
    assert "throw.js" not in b and "inner" not in b, "stack leaked into body: %r" % b
    assert not re.search(r"\n\s+at ", b), "stack leaked into body: %r" % b
    assert len(r[2]) < 400, "500 body is not short: %d bytes" % len(r[2])


def test_throw_logs_stack_with_request_id():
    e = srv.get()
    r = e.request("GET", "/throw")
    assert_status(r, 500)
    rid = r[1]["x-request-id"]
    e.wait_log(rid)
    e.wait_log("boom-marker-7731")
    block = _log_block(e.error_log(), rid)
    assert "boom-marker-7731" in block, "error message not logged with request id:\n" + block
    assert "throw.js" in block, "stack (file name) not logged near the request id:\n" + block


def test_worker_keeps_serving_after_throw():
    e = srv.get()
    pids = e.worker_pids()
    before = int(e.request("GET", "/counter")[2])
    for _ in range(5):
        assert_status(e.request("GET", "/throw"), 500)
    assert_status(e.request("GET", "/throw_string"), 500)
    after = e.request("GET", "/counter")
    assert_status(after, 200)
    assert int(after[2]) == before + 1, \
        "module state lost after throw (counter %s -> %s): worker was restarted" % (before, after[2])
    assert e.worker_pids() == pids, "worker pid changed: %s -> %s" % (pids, e.worker_pids())


def test_throw_non_error_value():
    e = srv.get()
    r = e.request("GET", "/throw_string")
    assert_eider_error(r, 500)
    e.wait_log("string-thrown-5521")


def test_type_error_is_500_and_logged():
    e = srv.get()
    r = e.request("GET", "/type_error")
    assert_eider_error(r, 500)
    rid = r[1]["x-request-id"]
    e.wait_log(rid)
    assert "TypeError" in _log_block(e.error_log(), rid), "TypeError not logged"


def test_throw_after_set_header_is_500():
    r = srv.get().request("GET", "/throw_after_header")
    assert_eider_error(r, 500)


# ---------------------------------------------------------------- generated errors

def test_404_json():
    r = srv.get().request("GET", "/does/not/exist")
    j = assert_eider_error(r, 404)
    assert j.get("requestId") == r[1]["x-request-id"], j


def test_405_json():
    r = srv.get().request("GET", "/json")
    assert_eider_error(r, 405)
    assert "POST" in r[1].get("allow", ""), r[1]


def test_400_invalid_json_body():
    r = srv.get().request("POST", "/json", body=b"{'single': quotes}")
    assert_eider_error(r, 400)


def test_handler_never_answers_504():
    t0 = time.time()
    r = srv.get().request("GET", "/never", timeout=15)
    dt = time.time() - t0
    assert_eider_error(r, 504)
    assert 1.5 <= dt <= 8, "504 after %.1fs, request_timeout is 2s" % dt
    assert_status(srv.get().request("GET", "/"), 200)


# ---------------------------------------------------------------- syntax errors

def _check_handlers(files):
    """Write a handlers tree and a config, run eider -t; returns (proc, conf, root)."""
    tmp = mkdtemp("eider-syntax-")
    _tmps.append(tmp)
    root = write_tree(os.path.join(tmp, "handlers"), files)
    conf = os.path.join(tmp, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nworkers 1;\nhandlers %s;\nerror_log stderr;\n"
                "access_log off;\n" % (free_port(), root))
    return run_eider(["-t", "-c", conf]), conf, root


OK_INDEX = "module.exports = function (req, res) { res.end('ok'); };\n"


def _assert_t_fails(p, conf):
    assert p.returncode != 0, "eider -t accepted a broken handler:\n" + p.stderr
    assert "test failed" in p.stderr, "no 'test failed' line:\n" + p.stderr
    assert conf in p.stderr, "config file not named:\n" + p.stderr


def test_t_reports_syntax_error_file_line_col():
    p, conf, root = _check_handlers({
        "index.js": OK_INDEX,
        "sub/bad.js": "// a comment\nvar a = 1;\nvar x = ;\nmodule.exports = function () {};\n"})
    _assert_t_fails(p, conf)
    assert re.search(r"sub/bad\.js:3:\d+", p.stderr), "no bad.js:3:COL in:\n" + p.stderr


def test_t_good_handlers_pass():
    p, conf, _ = _check_handlers({"index.js": OK_INDEX, "a/[id].js": OK_INDEX,
                                  "_lib/x.js": "exports.x = 1;\n"})
    assert p.returncode == 0, p.stderr
    assert "test is successful" in p.stderr, p.stderr


def _modern_error(name, src, where, words):
    """A syntax error in a file that needs lowering names the user's own
    file:line:column (not a line of the ES5 the compiler made)."""
    p, conf, _ = _check_handlers({"index.js": OK_INDEX, name: src})
    _assert_t_fails(p, conf)
    assert re.search(re.escape(name) + ":" + where, p.stderr), \
        "expected %s:%s in:\n%s" % (name, where, p.stderr)
    assert "SyntaxError" in p.stderr and re.search(words, p.stderr), p.stderr


def test_modern_syntax_error_names_file_line_col():
    _modern_error("b.js", "// modern\nconst f = (a) => a;\nlet x = ;\nmodule.exports = f;\n",
                  "3:9", r"Expression expected")


def test_typescript_syntax_error_names_file_line_col():
    _modern_error("t.ts", "interface A { x: number }\n\nexport function GET(req: any, res: any) {\n"
                  "  const a: A = { x: 1 ;\n}\n", r"4:\d+", r"expected")


def test_error_in_lowered_handler_at_runtime_names_original_line():
    """A stack line of lowered code maps back through the source map."""
    tmp = mkdtemp("eider-stack-")
    _tmps.append(tmp)
    root = write_tree(os.path.join(tmp, "handlers"), {
        "index.js": OK_INDEX,
        "boom.ts": ("// line 1\ninterface Q { a?: number }\n\nconst helper = async (q: Q): Promise<number> => {\n"
                    "  await null;\n  return q.a ?? 0;\n};\n\nexport async function GET(req: any, res: any) {\n"
                    "  const n = await helper({});\n  if (n === 0) throw new Error('boom at ten');\n"
                    "  res.end('never');\n}\n")})
    with Eider(root) as e:
        assert_status(e.get("/boom"), 500)
        e.wait_log("boom at ten")
        log = e.error_log()
        assert re.search(r"boom\.ts:11:\d+", log), "stack not mapped to boom.ts:11:\n" + log[-2000:]


def test_stack_read_by_a_lowered_handler_names_the_users_line():
    """e.stack as JavaScript reads it (not only as eider logs it) maps a
    lowered file's frames back to the text the user wrote."""
    root = write_tree(os.path.join(mkdtemp("eider-stack-"), "handlers"), {
        "index.js": OK_INDEX,
        "where.js": ("// line 1\nconst pause = async () => { await null; };\n\n"
                     "module.exports = async (req, res) => {\n  await pause();\n"
                     "  const e = new Error('here');\n  res.json({ stack: e.stack });\n};\n")})
    with Eider(root) as e:
        r = e.get("/where")
        assert_status(r, 200)
        stack = r.json()["stack"]
        assert re.search(r"where\.js:6:\d+\)", stack), "e.stack not mapped to where.js:6:\n" + stack


def test_start_with_broken_handler_exits_nonzero():
    tmp = mkdtemp("eider-broken-")
    _tmps.append(tmp)
    root = write_tree(os.path.join(tmp, "handlers"), {
        "index.js": OK_INDEX, "broken.js": "module.exports = function (req, res) {\n  res.end(;\n};\n"})
    e = Eider(root, start_timeout=10)
    try:
        try:
            e.start()
        except AssertionError as err:
            msg = str(err)
            assert "exited with status" in msg, "expected eider to exit, got: " + msg
            rc = int(re.search(r"exited with status (-?\d+)", msg).group(1))
            assert rc != 0, "eider exited 0 with a broken handler"
            out = e.diagnostics(limit=20000)
            assert re.search(r"broken\.js:2:\d+", out), "error does not name broken.js:2:COL:\n" + out
        else:
            raise AssertionError("eider started and served with a broken handler")
    finally:
        e.cleanup()
