"""Access log (combined + request time + request id; global, or per
listener with listen ... access_log=) and error log (console.* levels,
worker pid, level filtering, USR1 reopen)."""
import datetime
import os
import re
import signal
import time
import uuid

from eiderlib import (Eider, LifeEider, Shared, fixture, assert_status, wait_until, free_port,
                      http_request, raw, mkdtemp, run_eider)

srv = Shared(lambda: Eider(fixture("logs")))

ACCESS_RE = re.compile(
    r'^(?P<ip>\S+) - (?P<user>\S+) \[(?P<time>[^\]]+)\] "(?P<req>[^"]*)" (?P<status>\d{3}) '
    r'(?P<bytes>\d+|-) "(?P<ref>[^"]*)" "(?P<ua>[^"]*)" (?P<rt>\d+\.\d{3}) (?P<id>[0-9a-f]{16})$')


def teardown_module():
    srv.close()


def _marker():
    return uuid.uuid4().hex[:10]


def _access_line(e, needle, timeout=5):
    e.wait_log(needle, which="access", timeout=timeout)
    lines = [ln for ln in e.access_log().splitlines() if needle in ln]
    assert len(lines) == 1, "expected 1 access log line with %r, got %d:\n%s" % (
        needle, len(lines), "\n".join(lines))
    return lines[0]


# ---------------------------------------------------------------- access log

def test_access_log_combined_format():
    e = srv.get()
    m = _marker()
    path = "/hello?m=" + m
    r = e.request("GET", path, headers={"User-Agent": "eider-test/1.0",
                                        "Referer": "http://ref.example/page"})
    assert_status(r, 200)
    line = _access_line(e, m)
    mo = ACCESS_RE.match(line)
    assert mo, "access log line not in combined+rt+id format:\n%s" % line
    assert mo["ip"] == "127.0.0.1", line
    assert mo["user"] == "-", line
    assert mo["req"] == "GET %s HTTP/1.1" % path, line
    assert mo["status"] == "200", line
    assert mo["bytes"] == str(len(r[2])), "bytes %s != body length %d" % (mo["bytes"], len(r[2]))
    assert mo["ref"] == "http://ref.example/page", line
    assert mo["ua"] == "eider-test/1.0", line
    assert float(mo["rt"]) < 5.0, line
    assert mo["id"] == r[1]["x-request-id"], "request id %s != X-Request-Id %s" % (
        mo["id"], r[1]["x-request-id"])


def test_access_log_time_is_now():
    e = srv.get()
    m = _marker()
    assert_status(e.request("GET", "/hello?m=" + m), 200)
    mo = ACCESS_RE.match(_access_line(e, m))
    assert mo, "bad line"
    t = datetime.datetime.strptime(mo["time"], "%d/%b/%Y:%H:%M:%S %z")
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - t).total_seconds()) < 120, "log time %s, now %s" % (mo["time"], now)


def test_access_log_dash_for_missing_referer_and_agent():
    e = srv.get()
    m = _marker()
    data = e.raw(("GET /hello?m=%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % m).encode())
    assert data.startswith(b"HTTP/1.1 200"), data[:100]
    mo = ACCESS_RE.match(_access_line(e, m))
    assert mo, "bad line"
    assert mo["ref"] == "-" and mo["ua"] == "-", mo.group(0)


def test_access_log_one_line_per_request():
    e = srv.get()
    m = _marker()
    conn = e.connection()
    from eiderlib import request_on
    try:
        for i in range(5):
            assert_status(request_on(conn, "GET", "/hello?m=%s&i=%d" % (m, i)), 200)
    finally:
        conn.close()
    assert_status(e.request("POST", "/hello?m=%s&i=post" % m, body=b"abc"), 200)
    assert_status(e.request("GET", "/nothing/here?m=%s&i=404" % m), 404)
    wait_until(lambda: e.access_log().count(m) >= 7, 5,
               msg="7 access log lines (have %d)" % e.access_log().count(m))
    time.sleep(0.3)
    lines = [ln for ln in e.access_log().splitlines() if m in ln]
    assert len(lines) == 7, "\n".join(lines)
    for ln in lines:
        assert ACCESS_RE.match(ln), "bad access log line: %s" % ln
    assert '"POST /hello?m=%s&i=post HTTP/1.1" 200 ' % m in lines[5], lines[5]
    assert '"GET /nothing/here?m=%s&i=404 HTTP/1.1" 404 ' % m in lines[6], lines[6]
    assert len({ACCESS_RE.match(ln)["id"] for ln in lines}) == 7, "request ids repeat"


def test_access_log_with_curl():
    import shutil
    import subprocess
    curl = shutil.which("curl")
    assert curl, "curl not installed"
    e = srv.get()
    m = _marker()
    p = subprocess.run([curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                        "http://127.0.0.1:%d/hello?m=%s" % (e.port, m)],
                       capture_output=True, text=True, timeout=20)
    assert p.stdout == "200", (p.stdout, p.stderr)
    mo = ACCESS_RE.match(_access_line(e, m))
    assert mo, "bad access log line for curl request"
    assert mo["ua"].startswith("curl/"), mo["ua"]
    assert mo["bytes"] == str(len(b"hello, world")), mo.group(0)


def test_access_log_off():
    with Eider(fixture("logs"), access_log=False) as e:
        assert_status(e.request("GET", "/hello"), 200)
        time.sleep(0.3)
        assert not os.path.exists(e.access_log_path) or e.access_log() == "", e.access_log()
        assert "GET /hello" not in e.output(), "access_log off still logs to the terminal"


# ---------------------------------------------------------------- error log / console

def _line_with(log, needle):
    for ln in log.splitlines():
        if needle in ln:
            return ln
    return None


def test_console_levels_pid_and_message():
    e = srv.get()
    m = _marker()
    pid = str(e.worker_pids()[0])
    assert_status(e.request("GET", "/console?m=" + m), 200)
    e.wait_log("MULTI-" + m)
    log = e.error_log()
    for prefix, level in (("LOG-", "info"), ("INFO-", "info"), ("WARN-", "warn"),
                          ("ERROR-", "error"), ("DEBUG-", "debug")):
        ln = _line_with(log, prefix + m)
        assert ln, "console message %s%s missing from error log" % (prefix, m)
        assert "[%s]" % level in ln, "expected [%s] in: %s" % (level, ln)
        assert re.search(r"\b%s\b" % pid, ln), "worker pid %s not in: %s" % (pid, ln)


def test_console_formats_objects_as_node_does():
    e = srv.get()
    m = _marker()
    assert_status(e.request("GET", "/console?m=" + m), 200)
    e.wait_log("MULTI-" + m)
    ln = _line_with(e.error_log(), "OBJ-" + m)
    assert ln.endswith("OBJ-%s { a: 1, b: 'x', c: [ 1, 2 ] }" % m), ln   # util.inspect, as console.log in Node
    ln = _line_with(e.error_log(), "MULTI-" + m)
    assert "MULTI-%s two 3" % m in ln, ln


def test_error_log_level_filter():
    with Eider(fixture("logs"), error_log_level="warn") as e:
        m = _marker()
        assert_status(e.request("GET", "/console?m=" + m), 200)
        e.wait_log("ERROR-" + m)
        time.sleep(0.3)
        log = e.error_log()
        assert "WARN-" + m in log, log[-1000:]
        for p in ("LOG-", "INFO-", "DEBUG-", "OBJ-"):
            assert p + m not in log, "%s message logged at level warn:\n%s" % (p, log[-1000:])
        assert "[debug]" not in log and "[info]" not in log, \
            "lines below warn in a warn log:\n" + log[-1000:]


def test_usr1_reopens_logs():
    with Eider(fixture("logs")) as e:
        m1 = _marker()
        assert_status(e.request("GET", "/console?m=" + m1), 200)
        e.wait_log(m1, which="access")
        os.rename(e.access_log_path, e.access_log_path + ".1")
        os.rename(e.error_log_path, e.error_log_path + ".1")
        os.kill(e.pid, signal.SIGUSR1)
        m2 = _marker()

        def reopened():
            assert_status(e.request("GET", "/console?m=" + m2), 200)
            return m2 in e.access_log() and "INFO-" + m2 in e.error_log()
        wait_until(reopened, 5, interval=0.2, msg="logs reopened after USR1")
        with open(e.access_log_path + ".1") as f:
            assert m1 in f.read(), "rotated access log lost its lines"
        assert m1 not in e.access_log()


# ---------------------------------------------------------------- per-listener access log

def _two_listeners(own, cls=Eider, **kw):
    """An Eider whose second listener (port .port2) has access_log=OWN;
    OWN is written as given, so a relative name resolves against the
    config's directory (the server's tmp dir). Not started."""
    port2 = free_port()
    e = cls(fixture("logs"), extra_conf="listen 127.0.0.1:%d access_log=%s;" % (port2, own), **kw)
    e.port2 = port2
    e.own_log_path = os.path.join(e.tmp, own)
    return e


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


def _get2(e, path):
    return http_request(e.port2, "GET", path)


def test_listener_access_log_gets_its_own_requests_only():
    with _two_listeners("own.log", workers=2) as e:
        a, b = _marker(), _marker()
        assert_status(e.request("GET", "/hello?m=" + a), 200)
        assert_status(_get2(e, "/hello?m=" + b), 200)
        # An answer the gate gives itself (no Host) goes to the listener's log too.
        data = raw(e.port2, b"GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n")
        assert data.startswith(b"HTTP/1.1 400"), data[:200]
        rid = re.search(rb"X-Request-Id: ([0-9a-f]{16})", data).group(1).decode()
        wait_until(lambda: a in e.access_log(), 5, msg="global log has the first listener's line")
        wait_until(lambda: b in _read(e.own_log_path) and rid in _read(e.own_log_path), 5,
                   msg="own.log has the second listener's lines")
        glob, own = e.access_log(), _read(e.own_log_path)
        assert b not in glob and rid not in glob, "second listener's line in the global log:\n" + glob
        assert a not in own, "first listener's line in the listener's log:\n" + own
        own_lines = own.splitlines()
        assert all(ACCESS_RE.match(ln) for ln in own_lines), own
        assert any('"-" 400 ' in ln and ln.endswith(rid) for ln in own_lines), own


def test_listener_access_log_off():
    with _two_listeners("off", workers=1) as e:
        a, b = _marker(), _marker()
        assert_status(_get2(e, "/hello?m=" + b), 200)
        assert_status(e.request("GET", "/hello?m=" + a), 200)
        e.wait_log(a, which="access")
        e.stop()   # the worker flushes every buffer as it exits
        assert a in e.access_log()
        for name in os.listdir(e.tmp):
            assert b not in _read(os.path.join(e.tmp, name)), \
                "a request to the access_log=off listener was logged in %s" % name


def test_listener_access_log_with_global_off():
    with _two_listeners("own.log", access_log=False) as e:
        a, b = _marker(), _marker()
        assert_status(e.request("GET", "/hello?m=" + a), 200)
        assert_status(_get2(e, "/hello?m=" + b), 200)
        wait_until(lambda: b in _read(e.own_log_path), 5, msg="own.log has the listener's line")
        e.stop()
        assert a not in _read(e.own_log_path) and a not in e.output()
        assert not os.path.exists(e.access_log_path)


def test_listener_access_log_reopened_on_usr1():
    with _two_listeners("own.log", workers=2) as e:
        b1 = _marker()
        assert_status(_get2(e, "/hello?m=" + b1), 200)
        wait_until(lambda: b1 in _read(e.own_log_path), 5, msg="own.log has the first line")
        os.rename(e.own_log_path, e.own_log_path + ".1")
        os.kill(e.pid, signal.SIGUSR1)
        b2, a2 = _marker(), _marker()

        def reopened():
            assert_status(_get2(e, "/hello?m=" + b2), 200)
            return b2 in _read(e.own_log_path)
        wait_until(reopened, 5, interval=0.2, msg="own.log recreated after USR1")
        assert b1 in _read(e.own_log_path + ".1"), "the moved own.log lost its lines"
        assert b1 not in _read(e.own_log_path)
        assert_status(e.request("GET", "/hello?m=" + a2), 200)
        e.wait_log(a2, which="access")
        assert b2 not in e.access_log() and a2 not in _read(e.own_log_path)


def test_reload_adds_a_listener_access_log():
    port2 = free_port()
    e = LifeEider(fixture("logs"), workers=2, extra_conf="listen 127.0.0.1:%d;" % port2)
    e.port2 = port2
    own = os.path.join(e.tmp, "own.log")
    try:
        e.start()
        old = e.wait_workers(2)
        b1 = _marker()
        assert_status(_get2(e, "/hello?m=" + b1), 200)
        e.wait_log(b1, which="access")
        e.extra_conf = "listen 127.0.0.1:%d access_log=own.log;" % port2
        e.write_config()
        e.reload()
        e.wait_new_workers(old, 2)
        b2 = _marker()

        def logged():
            assert_status(_get2(e, "/hello?m=" + b2), 200)
            return b2 in _read(own)
        wait_until(logged, 10, interval=0.3, msg="the reload's access_log= in effect")
        assert b2 not in e.access_log(), "after the reload, still in the global log"
        assert b1 not in _read(own)
    finally:
        e.cleanup()


def test_listener_access_log_empty_value_rejected():
    d = mkdtemp("eider-logs-conf-")
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("handlers %s;\nlisten 127.0.0.1:%d access_log=;\n" % (fixture("logs"), free_port()))
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "%s:2:" % conf in p.stderr and "access_log=" in p.stderr, p.stderr
