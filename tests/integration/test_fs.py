"""require('fs') confined to fs_root, and process.env limited to `env NAME;`."""
import os

from eiderlib import Eider, Shared, mkdtemp, write_tree, assert_status

ROOT = None


def _make():
    global ROOT
    ROOT = mkdtemp("eider-fs-")
    data = os.path.join(ROOT, "data")
    write_tree(ROOT, {
        "data/a.txt": "hello data\n",
        "data/sub/b.json": '{"b": 2}',
        "secret.txt": "outside the root\n",
        "handlers/read.js": (
            "var fs = require('fs');\n"
            "module.exports = function (req, res) {\n"
            "  try {\n"
            "    var enc = req.query.enc;\n"
            "    var v = fs.readFileSync(req.query.p, enc);\n"
            "    res.json({ ok: true, type: typeof v, isBuffer: Buffer.isBuffer(v),\n"
            "               text: String(v), length: v.length });\n"
            "  } catch (e) { res.json({ ok: false, code: e.code, message: e.message }); }\n"
            "};\n"),
        "handlers/exists.js": (
            "var fs = require('fs');\n"
            "module.exports = function (req, res) { res.json(fs.existsSync(req.query.p)); };\n"),
        "handlers/stat.js": (
            "var fs = require('node:fs');\n"
            "module.exports = function (req, res) {\n"
            "  var s = fs.statSync(req.query.p);\n"
            "  res.json({ size: s.size, file: s.isFile(), dir: s.isDirectory(),\n"
            "             mtime: s.mtime instanceof Date });\n"
            "};\n"),
        "handlers/promise.js": (
            "var fs = require('fs');\n"
            "module.exports = function (req, res) {\n"
            "  return fs.promises.readFile(req.query.p, 'utf8').then(function (s) {\n"
            "    res.json({ ok: true, text: s });\n"
            "  }, function (e) { res.json({ ok: false, code: e.code }); });\n"
            "};\n"),
        "handlers/order.js": (
            "var fs = require('fs');\n"
            "module.exports = function (req, res) {\n"
            "  var log = [];\n"
            "  fs.promises.readFile('a.txt', 'utf8').then(function () { log.push('then'); res.json(log); });\n"
            "  fs.promises.readFile('/etc/passwd').catch(function (e) { log.push('caught'); });\n"
            "  log.push('sync');\n"
            "};\n"),
        "handlers/env.js": (
            "module.exports = function (req, res) {\n"
            "  res.json({ passed: process.env.EIDER_FS_PASSED, hidden: process.env.EIDER_FS_HIDDEN,\n"
            "             home: process.env.HOME, pid: process.pid });\n"
            "};\n"),
    })
    os.symlink(os.path.join(ROOT, "secret.txt"), os.path.join(data, "escape"))
    os.symlink(os.path.join(data, "a.txt"), os.path.join(data, "inside"))
    os.environ["EIDER_FS_PASSED"] = "yes"
    os.environ["EIDER_FS_HIDDEN"] = "no"
    return Eider(os.path.join(ROOT, "handlers"), extra_conf="fs_root %s;\nenv EIDER_FS_PASSED;" % data)


srv = Shared(_make)


def teardown_module():
    srv.close()


def get(path):
    r = srv.get().request("GET", path)
    assert_status(r, 200)
    return r.json()


def test_read_relative_to_root_as_buffer():
    j = get("/read?p=a.txt")
    assert j == {"ok": True, "type": "object", "isBuffer": True, "text": "hello data\n", "length": 11}, j


def test_read_absolute_with_encoding():
    srv.get()
    j = get("/read?p=%s&enc=utf8" % os.path.join(ROOT, "data/sub/b.json"))
    assert j["ok"] and j["type"] == "string" and j["text"] == '{"b": 2}', j


def test_read_outside_root_is_eacces():
    srv.get()
    for p in ("/etc/passwd", os.path.join(ROOT, "secret.txt"), "../secret.txt", "sub/../../secret.txt"):
        j = get("/read?p=" + p)
        assert j["ok"] is False and j["code"] == "EACCES", (p, j)
        assert "outside the root" not in j["message"], j


def test_symlink_escaping_root_is_eacces_but_inside_works():
    j = get("/read?p=escape")
    assert j["ok"] is False and j["code"] == "EACCES", j
    j = get("/read?p=inside")
    assert j["ok"] is True and j["text"] == "hello data\n", j


def test_missing_file_is_enoent_and_outside_missing_is_eacces():
    j = get("/read?p=nope.txt")
    assert j["code"] == "ENOENT", j
    j = get("/read?p=/etc/no-such-file-anywhere")
    assert j["code"] == "EACCES", j   # nothing is learnt about paths outside


def test_exists_sync():
    assert get("/exists?p=a.txt") is True
    assert get("/exists?p=nope") is False
    assert get("/exists?p=/etc/passwd") is False
    assert get("/exists?p=escape") is False
    # "a.txt\0..." names no file (readFileSync throws on it): before path.c
    # existsSync looked at the text up to the NUL only and said true
    assert get("/exists?p=a.txt%00/../../secret.txt") is False


def test_stat_sync():
    assert get("/stat?p=a.txt") == {"size": 11, "file": True, "dir": False, "mtime": True}
    assert get("/stat?p=sub") == {"size": get("/stat?p=sub")["size"], "file": False, "dir": True,
                                  "mtime": True}


def test_promises_read_file():
    assert get("/promise?p=a.txt") == {"ok": True, "text": "hello data\n"}
    assert get("/promise?p=/etc/passwd") == {"ok": False, "code": "EACCES"}


def test_process_env_only_passed_names():
    j = get("/env")
    assert j.get("passed") == "yes", j
    assert "hidden" not in j and "home" not in j, j
    assert j["pid"] in srv.get().worker_pids(), (j, srv.get().worker_pids())


def test_promises_settle_after_the_callers_code():
    assert get("/order") == ["sync", "then"]
    assert "unhandled promise rejection" not in srv.get().error_log()
