"""Issue 3, daemon life cycle: SIGHUP reload of config and handler files.

New workers start on the same listening sockets; old workers finish their
requests, answer further requests on their keep-alive connections with
`Connection: close`, close idle ones after ~1 s and exit (killed after
worker_shutdown_timeout). A broken config or handler keeps the old workers.
The key test reloads 20 times under steady load and requires zero failed
requests."""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time

from eiderlib import (LifeEider, LoadGen, fixture, mkdtemp, write_tree, assert_status,
                      http_request, pid_alive, wait_until, slowdown, free_port, listen_inodes,
                      socket_inodes_of, connect_refused, connection_closed_within, spawn,
                      run_eider, _kill_group)

with open(os.path.join(fixture("daemon"), "slow.js")) as _f:
    SLOW_JS = _f.read()


def _handler(body):
    return "module.exports = function (req, res) { res.end(%r); };\n" % body


BROKEN = "module.exports = function (req, res) {\n  res.end('x' +);\n};\n"


def _server(body="v1", workers=2, **kw):
    """A LifeEider on a handlers dir of its own (index.js answers body)."""
    d = mkdtemp("eider-reload-h-")
    write_tree(d, {"index.js": _handler(body), "slow.js": SLOW_JS})
    e = LifeEider(d, workers=workers, **kw)
    e.start()
    return e


def _set_handler(e, text, name="index.js"):
    """Replace a handler file atomically (written beside, then renamed)."""
    tmp = os.path.join(e.tmp, name + ".new")
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, os.path.join(e.handlers_dir, name))


def _body(e, path="/"):
    r = e.get(path, timeout=10)
    assert_status(r, 200, "GET %s" % path)
    return r[2].decode()


def _wait_body(e, want, timeout=10):
    """Wait until new connections are answered with want (old workers may
    still accept for a moment after a reload)."""
    seen = []

    def ok():
        b = _body(e)
        seen.append(b)
        return b == want
    try:
        wait_until(ok, timeout, interval=0.05, msg="body %r" % want)
    except AssertionError:
        raise AssertionError("new connections not answered %r within %.0fs (last bodies %r)\n%s"
                             % (want, timeout, seen[-5:], e.error_log()[-2000:]))


def test_hup_reloads_handler_code():
    e = _server("v1")
    try:
        old = e.wait_workers(2)
        master = e.pid
        assert _body(e) == "v1"
        _set_handler(e, _handler("v2"))
        e.reload()
        _wait_body(e, "v2")
        new = e.wait_new_workers(old, 2, timeout=15)
        assert e.pid == master and pid_alive(master), "the master changed or died"
        for i in range(10):
            assert _body(e) == "v2", "request %d after reload" % i
        line = [ln for ln in e.error_log().splitlines()
                if re.search(r"\breloaded\b", ln) and "reload failed" not in ln][-1]
        assert "%d:" % master in line, "the 'reloaded' line is not the master's:\n" + line
        print("    workers %s -> %s" % (old, new))
    finally:
        e.cleanup()


def test_hup_keeps_the_listening_socket():
    e = _server("v1")
    try:
        old = e.wait_workers(2)
        before = listen_inodes(e.port)
        assert len(before) == 1, "expected one listening socket on port %d: %s" % (e.port, before)
        assert before <= socket_inodes_of(e.pid), "the master does not hold the listening socket"
        _set_handler(e, _handler("v2"))
        e.reload()
        new = e.wait_new_workers(old, 2, timeout=15)
        after = listen_inodes(e.port)
        assert after == before, ("the listening socket was replaced by the reload "
                                 "(inodes %s -> %s): it must stay open" % (before, after))
        for w in new:
            assert before <= socket_inodes_of(w), "new worker %d does not use the same socket" % w
        _wait_body(e, "v2")
    finally:
        e.cleanup()


def test_broken_handler_reload_keeps_old_workers():
    e = _server("v1")
    try:
        old = e.wait_workers(2)
        _set_handler(e, BROKEN)
        e.reload(expect="failed")
        log = e.error_log()
        line = [ln for ln in log.splitlines() if "reload failed" in ln][-1]
        assert re.search(r"\[error\] %d: reload failed, keeping the old workers: " % e.pid, line), \
            "reload failure line (level error, master pid, wording):\n" + line
        assert re.search(r"index\.js:2\b", line), "the reason does not name index.js:2:\n" + line
        time.sleep(1.0)
        assert sorted(e.worker_pids()) == sorted(old), \
            "workers changed after a failed reload: %s -> %s" % (old, e.worker_pids())
        for i in range(10):
            assert _body(e) == "v1", "request %d after the failed reload" % i
        # fixed again: the next reload works
        _set_handler(e, _handler("v3"))
        e.reload()
        _wait_body(e, "v3")
        e.wait_new_workers(old, 2)
    finally:
        e.cleanup()


def test_broken_config_reload_keeps_old_workers():
    e = _server("v1")
    try:
        old = e.wait_workers(2)
        good = e.config_text()
        _set_handler(e, _handler("v2"))   # would be served if the reload went through
        e.write_config(good + "no_such_directive_zz 1;\n")
        nline = (good + "no_such_directive_zz 1;\n").count("\n")
        e.reload(expect="failed")
        line = [ln for ln in e.error_log().splitlines() if "reload failed" in ln][-1]
        assert re.search(r"\[error\] %d: reload failed, keeping the old workers: " % e.pid, line), line
        assert re.search(r"eider\.conf:%d\b" % nline, line), \
            "the reason does not name eider.conf:%d:\n%s" % (nline, line)
        time.sleep(1.0)
        assert sorted(e.worker_pids()) == sorted(old), (old, e.worker_pids())
        for i in range(10):
            assert _body(e) == "v1", "request %d after the failed config reload" % i
        e.write_config(good)
        e.reload()
        _wait_body(e, "v2")
    finally:
        e.cleanup()


def test_reload_changes_worker_count():
    e = _server("v1", workers=1)
    try:
        old = e.wait_workers(1)
        e.workers = 3
        e.write_config()
        e.reload()
        new = e.wait_new_workers(old, 3, timeout=15)
        time.sleep(0.5)
        assert sorted(e.worker_pids()) == sorted(new), "worker set unstable: %s -> %s" % (
            new, e.worker_pids())
        e.workers = 2
        e.write_config()
        e.reload()
        e.wait_new_workers(new, 2, timeout=15)
        assert _body(e) == "v1"
    finally:
        e.cleanup()


def test_reload_changes_listen_address():
    e = _server("v1")
    try:
        old = e.wait_workers(2)
        old_port = e.port
        new_port = free_port()
        e.listen = "127.0.0.1:%d" % new_port
        e.write_config()
        _set_handler(e, _handler("v2"))
        e.reload()
        r = http_request(new_port, "GET", "/", timeout=10)
        assert_status(r, 200, "new listen address")
        assert r[2] == b"v2", r
        e.wait_new_workers(old, 2, timeout=15)
        try:
            wait_until(lambda: connect_refused(old_port), 10, msg="old port %d closed" % old_port)
        except AssertionError:
            raise AssertionError("old address 127.0.0.1:%d still accepts connections after the "
                                 "old workers are gone" % old_port)
        e.port = new_port
        assert _body(e) == "v2"
    finally:
        e.cleanup()


def test_reload_old_worker_finishes_request_in_flight():
    e = _server("v1", workers=1)
    try:
        old = e.wait_workers(1)
        res = {}
        # Busy long enough to outlast the reload and the new worker's start
        # (4 s, under js_time_limit's 5 s; a sanitizer build starts workers
        # slower and has a limit of 60 s): the old worker must still be
        # alive, busy, when the new one answers.
        ms = int(4000 * slowdown())

        def slow():
            try:
                res["r"] = http_request(e.port, "GET", "/slow?ms=%d&m=f" % ms, timeout=60)
            except Exception as ex:
                res["r"] = ex
        t = threading.Thread(target=slow, daemon=True)
        t.start()
        e.wait_log("slow start f")
        _set_handler(e, _handler("v2"))
        _set_handler(e, SLOW_JS.replace("slow done", "slow v2 done"), "slow.js")
        e.reload()
        # the new worker serves while the old one is still busy
        _wait_body(e, "v2")
        assert pid_alive(old[0]), "the old worker exited before finishing its request"
        t.join(30)
        r = res.get("r")
        assert not isinstance(r, Exception) and r is not None, \
            "request in flight during the reload failed: %r\n%s" % (r, e.error_log()[-2000:])
        assert_status(r, 200)
        assert r[2] == b"slow done f", "in-flight request not answered by the old code: %r" % r[2]
        wait_until(lambda: not pid_alive(old[0]), 10, msg="old worker %d to exit" % old[0])
        assert e.get("/slow?ms=1&m=n")[2] == b"slow v2 done n"
    finally:
        e.cleanup()


def _raw_get(sock, path="/"):
    sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
    r = http.client.HTTPResponse(sock, method="GET")
    r.begin()
    body = r.read()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def test_reload_closes_old_keepalive_connections():
    """A busy keep-alive connection of an old worker gets `Connection: close`
    on its next response; an idle one is closed after ~1 s."""
    e = _server("v1", workers=1)
    busy = idle = None
    try:
        e.wait_workers(1)
        busy = socket.create_connection(("127.0.0.1", e.port), timeout=10)
        idle = socket.create_connection(("127.0.0.1", e.port), timeout=10)
        for s in (busy, idle):
            st, h, b = _raw_get(s)
            assert st == 200 and b == b"v1", (st, h, b)
            assert h.get("connection", "").lower() != "close", h
        _set_handler(e, _handler("v2"))
        t_hup = time.time()
        e.reload()
        got_close = None
        n = 0
        while time.time() - t_hup < 10:
            st, h, b = _raw_get(busy)
            n += 1
            assert st == 200, (st, h, b)
            assert b == b"v1", "a keep-alive connection of the old worker answered %r" % b
            if h.get("connection", "").lower() == "close":
                got_close = time.time() - t_hup
                break
            time.sleep(0.1)
        assert got_close is not None, ("10s after the reload the old worker still answers "
                                       "without Connection: close (%d requests)" % n)
        closed, data = connection_closed_within(busy, 3)
        assert closed and not data, "connection not closed after Connection: close (data %r)" % data
        closed, data = connection_closed_within(idle, max(0.5, t_hup + 6 - time.time()))
        assert closed, "idle keep-alive connection of the old worker still open 6s after HUP"
        t_idle = time.time() - t_hup
        assert not data, "unexpected bytes on the idle connection: %r" % data[:200]
        print("    Connection: close after %.2fs (%d requests); idle connection closed after %.2fs"
              % (got_close, n, t_idle))
        assert _body(e) == "v2"
    finally:
        for s in (busy, idle):
            if s:
                s.close()
        e.cleanup()


def test_worker_shutdown_timeout_kills_stuck_old_worker():
    e = _server("v1", workers=1, extra_conf="worker_shutdown_timeout 1s;")
    try:
        old = e.wait_workers(1)
        res = {}

        def stuck():
            try:
                res["r"] = http_request(e.port, "GET", "/slow?ms=20000&m=s", timeout=40)
            except Exception as ex:
                res["r"] = ex
        t = threading.Thread(target=stuck, daemon=True)
        t.start()
        e.wait_log("slow start s")
        _set_handler(e, _handler("v2"))
        t_hup = time.time()
        e.reload()
        _wait_body(e, "v2")
        try:
            wait_until(lambda: not pid_alive(old[0]), max(0.5, t_hup + 6 - time.time()),
                       msg="old worker %d killed" % old[0])
        except AssertionError:
            raise AssertionError("old worker %d (busy for 20s) still alive 6s after the reload "
                                 "with worker_shutdown_timeout 1s\n%s" % (old[0], e.error_log()[-2000:]))
        dt = time.time() - t_hup
        t.join(10)
        r = res.get("r")
        assert isinstance(r, Exception) or r[0] >= 500, \
            "the request of the killed worker did not fail: %r" % (r,)
        assert pid_alive(e.pid)
        print("    old worker gone %.2fs after HUP" % dt)
    finally:
        e.cleanup()


def test_worker_of_new_generation_restarts_with_new_code():
    e = _server("v1", workers=1)
    try:
        old = e.wait_workers(1)
        _set_handler(e, _handler("v2"))
        e.reload()
        new = e.wait_new_workers(old, 1)
        _set_handler(e, _handler("v3-not-reloaded"))   # on disk only: no HUP
        os.kill(new[0], signal.SIGKILL)
        e.wait_new_workers(new + old, 1, timeout=10)
        for i in range(5):
            b = _body(e)
            assert b == "v2", ("a replaced worker serves %r: it must run the code of the last "
                               "reload (v2)" % b)
    finally:
        e.cleanup()


def test_replaced_worker_ignores_a_broken_file_on_disk():
    """A handler file broken on disk (no HUP yet) must not stop a crashed
    worker from being replaced: the code is what the last reload loaded."""
    e = _server("v1", workers=1)
    try:
        old = e.wait_workers(1)
        _set_handler(e, BROKEN)
        os.kill(old[0], signal.SIGKILL)
        try:
            e.wait_new_workers(old, 1, timeout=10)
            wait_until(lambda: _body(e) == "v1", 10, msg="v1 from the replacement")
        except AssertionError as ex:
            raise AssertionError("after a crash, with index.js broken on disk, the replacement "
                                 "worker does not serve the loaded code: %s\n%s"
                                 % (str(ex).splitlines()[0], e.error_log()[-1500:]))
    finally:
        e.cleanup()


def test_killed_old_worker_is_not_replaced():
    e = _server("v1", workers=1)
    try:
        old = e.wait_workers(1)
        res = {}

        def slow():
            try:
                res["r"] = http_request(e.port, "GET", "/slow?ms=3000&m=o", timeout=30)
            except Exception as ex:
                res["r"] = ex
        t = threading.Thread(target=slow, daemon=True)
        t.start()
        e.wait_log("slow start o")
        _set_handler(e, _handler("v2"))
        e.reload()
        _wait_body(e, "v2")
        cur = e.worker_pids()
        assert old[0] in cur and len(cur) == 2, "old worker should still drain: %s" % cur
        os.kill(old[0], signal.SIGKILL)
        t.join(15)
        time.sleep(1.0)
        now = e.worker_pids()
        assert len(now) == 1 and old[0] not in now, \
            "a killed draining worker of the old generation was replaced: %s -> %s\n%s" % (
                cur, now, e.error_log()[-1500:])
        assert _body(e) == "v2"
    finally:
        e.cleanup()


def test_reload_applies_a_new_access_log_path():
    e = _server("v1", workers=1)
    try:
        old = e.wait_workers(1)
        assert_status(e.get("/?m=first-log"), 200)
        e.wait_log("first-log", which="access")
        e.access_log_path = os.path.join(e.tmp, "access2.log")
        e.write_config()
        e.reload()
        e.wait_new_workers(old, 1)

        def logged():
            assert_status(e.get("/?m=second-log"), 200)
            return "second-log" in e.access_log()
        wait_until(logged, 10, interval=0.3, msg="requests logged to the new access_log path")
        with open(os.path.join(e.tmp, "access.log")) as f:
            assert "second-log" not in f.read(), "still logging to the old access_log path"
    finally:
        e.cleanup()


def test_worker_shutdown_timeout_directive_checked():
    d = mkdtemp("eider-wst-")
    h = mkdtemp("eider-wst-h-")
    write_tree(h, {"index.js": _handler("x")})
    for val, ok in (("1s", True), ("30s", True), ("soon", False)):
        conf = os.path.join(d, "eider.conf")
        with open(conf, "w") as f:
            f.write("listen 127.0.0.1:%d;\nhandlers %s;\nworker_shutdown_timeout %s;\n"
                    % (free_port(), h, val))
        p = run_eider(["-t", "-c", conf], timeout=15)
        out = p.stdout + p.stderr
        if ok:
            assert p.returncode == 0, "worker_shutdown_timeout %s rejected:\n%s" % (val, out)
        else:
            assert p.returncode == 1 and re.search(r"eider\.conf:3\b", out), \
                "worker_shutdown_timeout %s: status %s\n%s" % (val, p.returncode, out)


# ---------------------------------------------------------------- under load

def test_reload_under_load_zero_failures():
    """20 HUPs ~0.4 s apart under steady keep-alive + new-connection load;
    some change the handler, one is broken. Zero failed requests."""
    e = _server("v1", workers=2, access_log=False, error_log_level="info")
    written = ["v1"]          # every version written so far (appended before writing)
    current = ["v1"]          # the version the last successful reload serves

    def check(r):
        if r[0] != 200:
            return "status %s body %r" % (r[0], r[2][:100])
        b = r[2].decode("utf-8", "replace")
        if b not in written:
            return "body %r is not a version written so far (%s)" % (b[:100], written)
        return None
    load = None
    try:
        e.wait_workers(2)
        master = e.pid
        load = LoadGen(e.port, "/", keepalive=8, fresh=4, check=check).start()
        time.sleep(0.5)
        broken_at = 11
        outcomes = []
        for i in range(1, 21):
            if i == broken_at:
                # the served version must not change: settle first
                _wait_body(e, current[0])
                pids = e.wait_workers(2, timeout=15)
                _set_handler(e, BROKEN)
                outcomes.append(e.reload(expect="failed"))
                for k in range(10):
                    b = _body(e)
                    assert b == current[0], "after the broken reload: %r, expected %r" % (b, current[0])
                assert sorted(e.worker_pids()) == sorted(pids), \
                    "the broken reload changed the workers: %s -> %s" % (pids, e.worker_pids())
            else:
                if i % 2 == 1 or i == broken_at + 1:
                    v = "v%d" % (len(written) + 1)
                    written.append(v)
                    _set_handler(e, _handler(v))
                    current[0] = v
                outcomes.append(e.reload(expect="reloaded"))
            # paced by the load, not the clock: 50 answers between reloads
            # however fast this machine serves (a sanitizer build serves
            # fewer a second), so the 1000 below are reached in any case
            n0 = load.requests
            wait_until(lambda: load.requests >= n0 + 50, 30,
                       msg="50 answers after reload %d (%s)" % (i, load.summary()))
        _wait_body(e, current[0], timeout=15)
        e.wait_workers(2, timeout=20)     # all old generations gone
        time.sleep(0.5)
        load.stop()
        assert e.pid == master and pid_alive(master)
        log = e.error_log()
        n_ok = len(re.findall(r"^(?!.*reload failed).*\breloaded\b", log, re.M))
        n_bad = log.count("reload failed")
        print("    load during 20 reloads: " + load.summary())
        print("    versions written: %s; reloads: %d ok, %d failed (logged %d/%d)"
              % (written, outcomes.count("reloaded"), outcomes.count("failed"), n_ok, n_bad))
        bad = load.failures[:10] + load.errors[:10]
        assert not load.failures and not load.errors, \
            "%d failed requests and %d connection errors, first: %s" % (
                len(load.failures), len(load.errors), bad)
        assert load.requests >= 1000, "too little load to mean anything: %d" % load.requests
        assert n_ok >= 19 and n_bad == 1, "log: %d reloaded, %d reload failed" % (n_ok, n_bad)
        served = set(load.bodies)
        assert "v1" in served and current[0] in served, \
            "the load did not see the first and the last version: %s" % load.bodies
        assert len(served) >= len(written) - 2, \
            "load saw only %s of %s" % (sorted(served), written)
    finally:
        if load is not None:
            load.stop_ev.set()
        e.cleanup()


def test_reload_under_wrk():
    wrk = shutil.which("wrk")
    if not wrk:
        print("    wrk not on PATH: not run")
        return
    e = _server("v1", workers=2, access_log=False, error_log_level="info")
    p = None
    try:
        e.wait_workers(2)
        out_path = os.path.join(e.tmp, "wrk.txt")
        with open(out_path, "wb") as out:
            p = spawn([wrk, "-t2", "-c32", "-d10s", "http://127.0.0.1:%d/" % e.port],
                      stdout=out, stderr=subprocess.STDOUT)
        time.sleep(0.7)
        for i in range(10):
            _set_handler(e, _handler("v%d" % (i + 2)))
            e.reload()
            time.sleep(0.5)
        try:
            rc = p.wait(30)
        except subprocess.TimeoutExpired:
            raise AssertionError("wrk did not finish within 30s")
        with open(out_path) as f:
            out = f.read()
        print("    " + "\n    ".join(out.rstrip().splitlines()))
        assert rc == 0, "wrk exit status %s" % rc
        m = re.search(r"(\d+) requests in", out)
        assert m and int(m.group(1)) > 1000, "wrk made too few requests:\n" + out
        assert "Socket errors" not in out, "wrk saw socket errors during reloads:\n" + out
        assert "Non-2xx" not in out, "wrk saw non-2xx responses during reloads:\n" + out
        assert e.count_log(r"^(?!.*reload failed).*\breloaded\b") == 10
    finally:
        if p is not None:
            _kill_group(p, grace=1.0)
        e.cleanup()


def test_broken_typescript_reload_keeps_old_workers():
    """A TypeScript handler: a reload with a syntax error names the .ts
    file's own line and keeps the old code; the fixed file is lowered and
    served after the next reload."""
    e = _server("v1")
    try:
        _set_handler(e, "export function GET(req: any, res: any): void { res.end(`ts-1`); }\n", "t.ts")
        e.reload()
        wait_until(lambda: e.get("/t", timeout=10)[2] == b"ts-1", 10, msg="t.ts served")
        old = e.wait_workers(2)
        _set_handler(e, "// v2\nexport function GET(req: any, res: any): void {\n  res.end(`ts-2` +);\n}\n", "t.ts")
        e.reload(expect="failed")
        line = [ln for ln in e.error_log().splitlines() if "reload failed" in ln][-1]
        assert re.search(r"t\.ts:3:\d+: SyntaxError", line), "the reason does not name t.ts:3:\n" + line
        for i in range(5):
            assert e.get("/t", timeout=10)[2] == b"ts-1", "request %d after the failed reload" % i
        _set_handler(e, "export const GET = (req: any, res: any): void => res.end(`ts-3`);\n", "t.ts")
        e.reload()
        e.wait_new_workers(old, 2)
        wait_until(lambda: e.get("/t", timeout=10)[2] == b"ts-3", 10, msg="fixed t.ts served")
    finally:
        e.cleanup()
