"""Command line: -v, -h, bad options, -c with a missing file, -g, and the
embedded default (`eider` with no arguments)."""
import http.client
import os
import re
import shutil
import subprocess
import time

from eiderlib import (mkdtemp, Eider, fixture, run_eider, spawn, require_bin, free_port, port_is_free,
                      write_tree, http_request, assert_status, wait_until, children_of,
                      slowdown, _kill_group)

_tmps = []


def teardown_module():
    for t in _tmps:
        shutil.rmtree(t, ignore_errors=True)


def _tmpdir():
    t = mkdtemp("eider-cli-")
    _tmps.append(t)
    return t


def test_version():
    p = run_eider(["-v"])
    assert p.returncode == 0, "eider -v exit status %s: %s" % (p.returncode, p.stderr)
    out = p.stdout + p.stderr
    assert re.search(r"eider/\d+\.\d+", out), "no eider/VERSION in:\n" + out
    for lib in ("libevent", "duktape", "openssl", "http-parser"):
        m = re.search(r"(?im)^.*%s.*\d+\.\d+.*$" % re.escape(lib), out)
        assert m, "no %s version line in:\n%s" % (lib, out)


def test_version_names_the_allocator_in_use():
    p = run_eider(["-v"])
    m = re.search(r"(?m)^malloc: (mimalloc|jemalloc|libc)$", p.stdout)
    assert m, "no malloc line in:\n" + p.stdout
    if m.group(1) == "libc":
        return
    # The allocator must be the one libevent and Duktape get, not merely linked.
    p = run_eider(["-v"], env=dict(os.environ, LD_DEBUG="bindings"))
    lib = "lib%s.so" % m.group(1)
    bound = [ln for ln in p.stderr.splitlines()
             if "libevent" in ln.split(" to ")[0] and "symbol `malloc'" in ln]
    assert bound and all(lib in ln.split(" to ")[1] for ln in bound), \
        "libevent's malloc is not %s's:\n%s" % (m.group(1), "\n".join(bound[:4]))


def test_help():
    p = run_eider(["-h"])
    assert p.returncode == 0, "eider -h exit status %s" % p.returncode
    out = p.stdout + p.stderr
    assert "usage" in out.lower(), out
    for opt in ("-c", "-t", "-v", "-g"):
        assert opt in out, "usage does not mention %s:\n%s" % (opt, out)


def test_bad_option_prints_usage():
    p = run_eider(["--no-such-option-zz"])
    assert p.returncode != 0, "bad option accepted"
    assert "usage" in p.stderr.lower(), "no usage on stderr:\n" + p.stderr
    p = run_eider(["-Z"])
    assert p.returncode != 0, "-Z accepted"


def test_missing_config_file():
    d = _tmpdir()
    missing = os.path.join(d, "nope.conf")
    p = run_eider(["-t", "-c", missing])
    assert p.returncode != 0
    assert missing in p.stderr, "missing config not named:\n" + p.stderr
    p = run_eider(["-c", missing], timeout=10)
    assert p.returncode != 0
    assert missing in p.stderr, p.stderr


def _serve(args, cwd, port, timeout=10):
    """Start eider with args in cwd and wait until port answers; returns
    (proc, outpath). Caller must stop it with _kill_group(proc)."""
    require_bin()
    out = os.path.join(cwd, "terminal.txt")
    fh = open(out, "wb")
    p = spawn([require_bin()] + args, cwd=cwd,
              stdout=fh, stderr=subprocess.STDOUT)
    fh.close()
    deadline = time.time() + timeout * slowdown()   # a bound, longer for a sanitizer build
    while time.time() < deadline:
        if p.poll() is not None:
            with open(out, errors="replace") as f:
                raise AssertionError("eider %s exited with %s:\n%s" % (args, p.returncode, f.read()[-3000:]))
        try:
            http_request(port, "GET", "/", timeout=2)
            return p, out
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)
    _kill_group(p, 1)
    with open(out, errors="replace") as f:
        raise AssertionError("eider %s not answering on %d:\n%s" % (args, port, f.read()[-3000:]))


INDEX = "module.exports = function (req, res) { res.end('embedded default'); };\n"


def test_embedded_default_no_arguments():
    require_bin()
    assert port_is_free(8080), "port 127.0.0.1:8080 is busy: cannot test the embedded default"
    d = _tmpdir()
    write_tree(d, {"handlers/index.js": INDEX})
    p, out = _serve([], d, 8080)
    try:
        r = http_request(8080, "GET", "/?from=embedded-test")
        assert_status(r, 200)
        assert r[2] == b"embedded default", r[2]
        n = os.cpu_count()
        wait_until(lambda: len(children_of(p.pid)) == n, 10,
                   msg="%d workers (workers auto), have %s" % (n, children_of(p.pid)))

        def logged():
            with open(out, errors="replace") as f:
                return "GET /?from=embedded-test HTTP/1.1" in f.read()
        wait_until(logged, 5, msg="access log line on the terminal")
    finally:
        _kill_group(p, 5)


def test_embedded_default_with_g_listen():
    d = _tmpdir()
    write_tree(d, {"handlers/index.js": INDEX})
    port = free_port()
    p, out = _serve(["-g", "listen 127.0.0.1:%d;" % port], d, port)
    try:
        r = http_request(port, "GET", "/")
        assert_status(r, 200)
        assert r[2] == b"embedded default", r[2]
    finally:
        _kill_group(p, 5)


def test_g_adds_directives_after_config():
    e = Eider(fixture("workers"), workers=1)
    e.args = ["-g", "workers 2;"]
    e.conf_text = None
    # drop the workers line from the generated config so -g supplies it
    text = "\n".join(ln for ln in e.config_text().splitlines() if not ln.startswith("workers"))
    e.conf_text = text + "\n"
    with e:
        e.wait_workers(2, timeout=10)
        assert_status(e.request("GET", "/"), 200)


def test_t_then_run_same_config():
    e = Eider(fixture("workers"))
    with open(e.conf_path, "w") as f:
        f.write(e.config_text())
    p = run_eider(["-t", "-c", e.conf_path])
    assert p.returncode == 0, p.stderr
    assert "syntax is ok" in p.stderr and "test is successful" in p.stderr, p.stderr
    assert port_is_free(e.port), "-t bound the listen port and kept it"
    with e:
        assert_status(e.request("GET", "/"), 200)
