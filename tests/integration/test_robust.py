"""Handler code that used to take a worker down (found in review): reading
req/res after answering, a returned object whose "then" getter throws, a
FIFO under fs_root. The worker must answer and keep its pid."""
import os

from eiderlib import Eider, Shared, mkdtemp, write_tree, assert_status

HANDLERS = {
    "after.js": ("module.exports = function (req, res) {\n"
                 "  res.end('ok');\n"
                 "  var x = [req.url, req.path, req.query, req.headers, req.body, req.text(),\n"
                 "           res.getHeader('x'), res.statusCode, res.headersSent];\n"
                 "};\n"),
    "then_throws.js": ("module.exports = function (req, res) {\n"
                       "  return { get then() { throw new Error('then getter'); } };\n};\n"),
    "then_after.js": ("module.exports = function (req, res) {\n"
                      "  res.end('early');\n"
                      "  return { get then() { throw new Error('then getter'); } };\n};\n"),
    "pid.js": "module.exports = function (req, res) { res.end(String(process.pid)); };\n",
    "fifo.js": ("var fs = require('fs');\n"
                "module.exports = function (req, res) {\n"
                "  try { fs.readFileSync('pipe'); res.end('read'); }\n"
                "  catch (e) { res.end(e.code); }\n};\n"),
}


def _make():
    d = mkdtemp("eider-robust-")
    write_tree(d, {"handlers/" + k: v for k, v in HANDLERS.items()})
    os.mkdir(os.path.join(d, "data"))
    os.mkfifo(os.path.join(d, "data", "pipe"))
    return Eider(os.path.join(d, "handlers"), extra_conf="fs_root %s;" % os.path.join(d, "data"))


srv = Shared(_make)


def teardown_module():
    srv.close()


def _pid():
    r = srv.get().request("GET", "/pid")
    assert_status(r, 200)
    return r[2]


def test_reading_req_and_res_after_answering():
    before = _pid()
    r = srv.get().request("GET", "/after?a=1", body=None)
    assert_status(r, 200)
    assert r[2] == b"ok"
    assert _pid() == before


def test_then_getter_that_throws_is_a_500():
    before = _pid()
    r = srv.get().request("GET", "/then_throws")
    assert_status(r, 500)
    r = srv.get().request("GET", "/then_after")
    assert_status(r, 200)
    assert r[2] == b"early"
    assert _pid() == before


def test_reading_a_fifo_does_not_hang_the_worker():
    r = srv.get().request("GET", "/fifo", timeout=10)
    assert_status(r, 200)
    assert r[2] == b"EIO", r[2]


def test_handler_top_level_code_never_runs_as_root():
    # The master checks handlers by running their module code; as root it
    # does so in a child that has dropped to the workers' user. A module
    # that only root may read must therefore fail the check, not be read
    # by root and handed to the workers.
    import subprocess
    from eiderlib import eider_bin
    if os.geteuid() != 0:
        print("    not root: not tested")
        return
    d = mkdtemp("eider-robust-root-")
    write_tree(d, {"handlers/index.js": "var s = require('./_secret.json');\n"
                                        "module.exports = function (q, r) { r.json(s); };\n",
                   "handlers/_secret.json": '{"password": "root only"}'})
    os.chmod(os.path.join(d, "handlers", "_secret.json"), 0o600)
    p = subprocess.run([eider_bin(), "-t", "-g", "handlers %s;" % os.path.join(d, "handlers")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1, p.stderr
    assert "_secret.json" in p.stderr and "ermission denied" in p.stderr, p.stderr
