"""The status endpoint: status_path (off by default), status_allow, and the
per-worker counters it reports from the scoreboard."""
import http.client
import os
import signal
import socket
import threading
import time

from eiderlib import (ipv6_loopback_port, slowdown, Eider, LifeEider, Shared, fixture, assert_status, assert_eider_error,
                      children_of, free_port, mkdtemp, pid_alive, request_on, run_eider,
                      wait_until)

STATUS = "/eider-status"
WORKER_KEYS = {"worker", "pid", "generation", "state", "uptime", "requests", "in_progress",
               "status_1xx", "status_2xx", "status_3xx", "status_4xx", "status_5xx", "errors",
               "connections", "connections_reading", "connections_writing", "connections_idle",
               "bytes_received", "bytes_sent", "restarts", "js_heap_bytes", "duration_seconds_sum",
               "duration_buckets"}
# Not whole numbers: the histogram (its own tests are in test_metrics.py).
NOT_COUNTS = {"state", "duration_seconds_sum", "duration_buckets"}



def _two_workers():
    # reuseport: the kernel spreads connections over both workers, so both
    # get to answer status requests
    e = Eider(fixture("proxy"), workers=2, extra_conf="status_path %s;" % STATUS)
    e.listen = "127.0.0.1:%d reuseport" % e.port
    return e


srv = Shared(_two_workers)


def teardown_module():
    srv.close()


def status(e, headers=None, source=None):
    """GET the status endpoint on a fresh connection; returns the JSON."""
    if source is None:
        r = e.get(STATUS, headers=headers)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10,
                                          source_address=(source, 0))
        try:
            r = request_on(conn, "GET", STATUS, headers=headers)
        finally:
            conn.close()
    assert_status(r, 200, "GET %s" % STATUS)
    ct = r.headers.get("content-type", "")
    assert ct.startswith("application/json"), "status Content-Type %r" % ct
    return r.json()


def by_pid(j):
    return {w["pid"]: w for w in j["workers"]}


def totals(j, key):
    return sum(w[key] for w in j["workers"])


# ---------------------------------------------------------------- off by default

def test_off_by_default():
    with Eider(fixture("proxy"), workers=1) as e:
        for path in (STATUS, "/status", "/server-status"):
            r = e.get(path)
            assert_eider_error(r, 404)
            assert b"workers" not in r.body, r.body
        assert_status(e.get("/echo"), 200)


def test_config_errors():
    d = mkdtemp()
    for bad in ("status_path eider-status;", "status_path /a?b;",
                "status_allow 10.0.0.0/33;", "status_allow localhost;", "status_allow;"):
        conf = os.path.join(d, "eider.conf")
        with open(conf, "w") as f:
            f.write("listen 127.0.0.1:%d;\nhandlers %s;\n%s\n"
                    % (free_port(), fixture("proxy"), bad))
        p = run_eider(["-t", "-c", conf])
        assert p.returncode == 1, "eider -t accepted %r (status %s):\n%s" % (
            bad, p.returncode, p.stderr)
        assert "%s:3" % conf in p.stderr, "error for %r does not name line 3:\n%s" % (bad, p.stderr)


# ---------------------------------------------------------------- enabled, 2 workers

def test_shape_and_pids():
    e = srv.get()
    pids = set(e.wait_workers(2))
    j = status(e)
    assert set(j) == {"version", "master_pid", "uptime", "reloads", "reload_failures", "restarts",
                      "duration_bounds", "server", "workers"}, "top-level keys %r" % sorted(j)
    v = run_eider(["-v"]).stdout.splitlines()[0]
    assert v == "eider/%s" % j["version"], "version %r vs eider -v %r" % (j["version"], v)
    assert j["master_pid"] == e.pid, "master_pid %r, master is %d" % (j["master_pid"], e.pid)
    ws = j["workers"]
    assert len(ws) == 2, "workers 2 but %d entries: %r" % (len(ws), ws)
    for w in ws:
        assert set(w) == WORKER_KEYS, "worker keys %r" % sorted(w)
        assert w["state"] == "serving", w
        assert w["restarts"] == 0, w
        for k in WORKER_KEYS - NOT_COUNTS:
            assert isinstance(w[k], int) and w[k] >= 0, "%s = %r" % (k, w[k])
        assert w["uptime"] < 120, w
    assert {w["pid"] for w in ws} == pids, \
        "status pids %s, the master's children are %s" % (sorted(w["pid"] for w in ws), sorted(pids))
    assert len({w["generation"] for w in ws}) == 1, ws


def test_any_worker_answers_for_all():
    e = srv.get()
    pids = set(e.wait_workers(2))
    first = j = status(e)
    for i in range(16):   # fresh connections: both workers get to answer
        j = status(e)
        got = sorted(w["pid"] for w in j["workers"])
        assert set(got) == pids and len(got) == 2, \
            "status request %d listed %s, workers are %s" % (i, got, sorted(pids))
    # only status requests were made: each worker's count grew by the ones it answered
    grew = {p: by_pid(j)[p]["requests"] - by_pid(first)[p]["requests"] for p in pids}
    assert sum(grew.values()) >= 15, grew
    assert all(n > 0 for n in grew.values()), \
        "16 status requests over reuseport, answered per worker: %r" % grew


def test_query_string_and_other_paths():
    e = srv.get()
    r = e.get(STATUS + "?pretty=1")
    assert_status(r, 200)
    assert len(r.json()["workers"]) == 2, r.body
    assert_eider_error(e.get(STATUS + "/x"), 404)
    assert_eider_error(e.get(STATUS + "x"), 404)


def test_request_counters_grow():
    e = srv.get()
    before = status(e)
    n = 30
    for _ in range(n):
        assert_status(e.get("/echo"), 200)
    # the status request itself counts too: at least n + 1 more
    after = wait_until(lambda: (lambda j: j if totals(j, "requests") >= totals(before, "requests") + n + 1
                                else None)(status(e)), 3,
                       msg="the requests counters to grow by %d" % (n + 1))
    b, a = by_pid(before), by_pid(after)
    for pid, w in a.items():
        assert w["requests"] >= b[pid]["requests"], "requests went down for %d: %r -> %r" % (
            pid, b[pid], w)
    assert totals(after, "requests") <= totals(before, "requests") + n + 30, \
        "requests grew by %d after %d requests" % (
            totals(after, "requests") - totals(before, "requests"), n)


def test_error_counters():
    e = srv.get()
    before = status(e)
    for _ in range(5):
        assert_eider_error(e.get("/no-such-route"), 404)
    for _ in range(3):
        assert_eider_error(e.get("/throw"), 500)
    want4, want5 = totals(before, "status_4xx") + 5, totals(before, "status_5xx") + 3
    try:
        after = wait_until(lambda: (lambda j: j if (totals(j, "status_4xx"), totals(j, "status_5xx"))
                                    == (want4, want5) else None)(status(e)), 3,
                           msg="status_4xx +5 and status_5xx +3")
    except AssertionError:
        j = status(e)
        raise AssertionError("after 5 x 404 and 3 x 500: status_4xx %d -> %d, status_5xx %d -> %d"
                             % (totals(before, "status_4xx"), totals(j, "status_4xx"),
                                totals(before, "status_5xx"), totals(j, "status_5xx")))
    # 200s do not count as errors
    for _ in range(5):
        assert_status(e.get("/echo"), 200)
    j = status(e)
    assert (totals(j, "status_4xx"), totals(j, "status_5xx")) == (want4, want5), j


def test_connections_and_heap():
    e = srv.get()
    conns = []
    try:
        for _ in range(6):
            c = e.connection()
            assert_status(request_on(c, "GET", "/echo"), 200)
            conns.append(c)
        j = status(e)
        assert totals(j, "connections") >= 6, \
            "6 keep-alive connections open, status says %d: %r" % (totals(j, "connections"),
                                                                   j["workers"])
        assert totals(j, "connections") <= 6 + 2 + 2, j["workers"]
    finally:
        for c in conns:
            c.close()
    for w in j["workers"]:
        if w["requests"] >= 3:
            assert w["js_heap_bytes"] > 0, "worker served %d requests, js_heap_bytes 0" % w["requests"]
            assert w["js_heap_bytes"] < 512 * 1024 * 1024, w


def test_restarts_after_sigkill():
    e = srv.get()
    old = e.wait_workers(2)
    victim, other = old[0], old[1]
    t_kill = time.time()
    os.kill(victim, signal.SIGKILL)
    now = wait_until(lambda: (lambda w: w if len(w) == 2 and victim not in w else None)(
        e.worker_pids()), 10, msg="worker %d to be replaced" % victim)
    new = [p for p in now if p != other]
    assert len(new) == 1 and other in now, "workers %s -> %s" % (old, now)
    j = wait_until(lambda: (lambda j: j if set(by_pid(j)) == set(now) else None)(status(e)), 5,
                   msg="status to list the workers %s" % now)
    ws = by_pid(j)
    assert victim not in ws, j
    assert ws[new[0]]["restarts"] == 1, "replacement of a killed worker: %r" % ws[new[0]]
    assert ws[other]["restarts"] == 0, "the other worker: %r" % ws[other]
    assert ws[new[0]]["state"] == "serving" and ws[new[0]]["generation"] == ws[other]["generation"], j
    # started after the kill (not a fixed bound: a loaded machine takes
    # seconds to start a worker)
    assert ws[new[0]]["uptime"] <= time.time() - t_kill + 1, ws[new[0]]
    # counters of the replacement start afresh
    assert ws[new[0]]["requests"] <= 3 and ws[new[0]]["status_5xx"] == 0, ws[new[0]]
    # and a second kill of the same slot counts again
    os.kill(new[0], signal.SIGKILL)
    now2 = wait_until(lambda: (lambda w: w if len(w) == 2 and new[0] not in w else None)(
        e.worker_pids()), 10, msg="worker %d to be replaced" % new[0])
    j = wait_until(lambda: (lambda j: j if set(by_pid(j)) == set(now2) else None)(status(e)), 5,
                   msg="status to list the workers %s" % now2)
    third = [p for p in now2 if p != other][0]
    assert by_pid(j)[third]["restarts"] == 2, by_pid(j)[third]
    assert by_pid(j)[other]["restarts"] == 0, by_pid(j)[other]


# ---------------------------------------------------------------- reload

def test_draining_worker_during_reload():
    e = LifeEider(fixture("proxy"), workers=1, extra_conf="status_path %s;" % STATUS)
    e.start()
    try:
        old = e.wait_workers(1)
        g0 = status(e)["workers"][0]["generation"]
        got = {}
        # 4 s: long enough to outlast a reload on a loaded machine, short
        # of js_time_limit's 5 s (60 s in a sanitizer build, whose reload
        # takes longer: 12 s there)
        ms = int(4000 * slowdown())

        def slow():
            try:
                got["r"] = e.get("/slow?ms=%d" % ms, timeout=60)
            except Exception as ex:   # reported below
                got["err"] = ex
        t = threading.Thread(target=slow, daemon=True)
        t0 = time.time()
        t.start()
        e.wait_log("slow start %d" % ms)   # the request is in the handler
        e.reload()
        j = status(e)                 # a new connection: a new worker answers
        in_flight = t.is_alive()
        elapsed = time.time() - t0
        ws = by_pid(j)
        assert in_flight, "the slow request finished before the status request (%.2fs): " \
                          "cannot see the draining worker" % elapsed
        assert old[0] in ws, "old worker %d (busy with /slow) missing from status during " \
                             "the reload: %r" % (old[0], j["workers"])
        assert ws[old[0]]["state"] == "draining", "old worker during reload: %r" % ws[old[0]]
        assert ws[old[0]]["generation"] == g0, ws[old[0]]
        fresh = [w for p, w in ws.items() if p != old[0]]
        assert len(fresh) == 1, "expected the old and one new worker: %r" % j["workers"]
        assert fresh[0]["state"] == "serving", fresh[0]
        assert fresh[0]["generation"] > g0, (g0, fresh[0])
        assert fresh[0]["pid"] in children_of(e.pid), (fresh[0], children_of(e.pid))
        t.join(30)
        assert not t.is_alive(), "slow request still running"
        assert "err" not in got, "slow request failed during reload: %r" % got.get("err")
        assert_status(got["r"], 200, "the in-flight request")
        assert got["r"].body == b"slow done %d" % ms, got["r"].body
        # once it has drained, the old worker leaves the list
        wait_until(lambda: not pid_alive(old[0]), 10, msg="old worker %d to exit" % old[0])
        j = wait_until(lambda: (lambda j: j if old[0] not in by_pid(j) else None)(status(e)), 3,
                       msg="the exited worker to leave the status list")
        assert [w["state"] for w in j["workers"]] == ["serving"], j
    finally:
        e.cleanup()


# ---------------------------------------------------------------- status_allow

def test_status_allow_excludes_localhost():
    with Eider(fixture("proxy"), extra_conf="status_path %s;\nstatus_allow 10.0.0.0/8;"
               % STATUS) as e:
        r = e.get(STATUS)
        j = assert_eider_error(r, 403)
        assert "workers" not in j, j
        # forwarded headers from an untrusted peer do not help
        r = e.get(STATUS, headers={"X-Forwarded-For": "10.1.2.3"})
        assert_eider_error(r, 403)
        # the rest of the server is unaffected
        assert_status(e.get("/echo"), 200)


def test_status_allow_after_trusted_proxies():
    """status_allow is checked against the client address that
    trusted_proxies resolved."""
    conf = "status_path %s;\nstatus_allow 10.0.0.0/8;\ntrusted_proxies 127.0.0.1;" % STATUS
    with Eider(fixture("proxy"), extra_conf=conf) as e:
        assert_eider_error(e.get(STATUS), 403)
        j = status(e, headers={"X-Forwarded-For": "10.1.2.3"})
        assert len(j["workers"]) == 1, j
        assert_eider_error(e.get(STATUS, headers={"X-Forwarded-For": "10.1.2.3, 203.0.113.5"}), 403)
        # 127.0.0.2 is not a trusted proxy: its header is ignored
        conn = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10,
                                          source_address=("127.0.0.2", 0))
        try:
            r = request_on(conn, "GET", STATUS, headers={"X-Forwarded-For": "10.1.2.3"})
        except OSError as ex:
            print("    cannot connect from 127.0.0.2 (%s): part skipped" % ex)
            r = None
        finally:
            conn.close()
        if r is not None:
            assert_eider_error(r, 403)


def test_default_allow_behind_proxy_refuses_remote_clients():
    """Default status_allow (127.0.0.1 ::1) behind a trusted local proxy:
    a remote client is refused, a local one is let in."""
    conf = "status_path %s;\ntrusted_proxies 127.0.0.1;" % STATUS
    with Eider(fixture("proxy"), extra_conf=conf) as e:
        status(e)
        status(e, headers={"X-Forwarded-For": "127.0.0.1"})
        status(e, headers={"X-Forwarded-For": "::1"})
        for client in ("203.0.113.5", "10.1.2.3", "2001:db8::1", "127.0.0.1, 203.0.113.5"):
            assert_eider_error(e.get(STATUS, headers={"X-Forwarded-For": client}), 403)


def test_default_allow_ipv6_loopback():
    port = ipv6_loopback_port()
    if port is None:
        return
    e = Eider(fixture("proxy"), listen="127.0.0.1:%d" % port,
              extra_conf="listen [::1]:%d;\nstatus_path %s;" % (port, STATUS))
    e.port = port
    with e:
        conn = http.client.HTTPConnection("::1", port, timeout=10)
        try:
            r = request_on(conn, "GET", STATUS)
        finally:
            conn.close()
        assert_status(r, 200, "status over ::1 with the default status_allow")
        assert len(r.json()["workers"]) == 1, r.body


# ---------------------------------------------------------------- per listener

def test_status_path_per_listener():
    # listen ... status_path=: another path on one socket, none on another;
    # the third keeps the status_path directive's.
    other, quiet = free_port(), free_port()
    conf = ("status_path %s;\nlisten 127.0.0.1:%d status_path=/mon;\nlisten 127.0.0.1:%d status_path=off;"
            % (STATUS, other, quiet))
    with Eider(fixture("proxy"), workers=1, extra_conf=conf) as e:
        assert "workers" in status(e)
        for port, path, ok in ((other, "/mon", True), (other, STATUS, False),
                               (quiet, STATUS, False), (quiet, "/mon", False)):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                r = request_on(conn, "GET", path)
            finally:
                conn.close()
            if ok:
                assert_status(r, 200, "GET %s on the status_path= listener" % path)
                assert "workers" in r.json(), r.body[:200]
            else:
                assert_eider_error(r, 404)


def test_status_path_option_checked():
    d = mkdtemp()
    conf = os.path.join(d, "eider.conf")
    for bad in ("status_path=mon", "status_path=", "status_path=/a?b"):
        with open(conf, "w") as f:
            f.write("handlers %s;\nlisten 127.0.0.1:%d %s;\n" % (fixture("proxy"), free_port(), bad))
        p = run_eider(["-t", "-c", conf])
        assert p.returncode == 1, "eider -t accepted %r" % bad
        assert "%s:2" % conf in p.stderr and "status_path=" in p.stderr, p.stderr
