"""The status endpoint's Prometheus text format: what a scraper gets, read
with Prometheus' own Python parser (Debian's python3-prometheus-client),
checked against the requests the test sent."""
import http.client
import os
import signal
import socket

from prometheus_client.parser import text_string_to_metric_families

from eiderlib import Eider, LifeEider, Shared, fixture, pid_alive, wait_until

STATUS = "/eider-status"
PROM_ACCEPT = ("application/openmetrics-text;version=1.0.0;q=0.5,"
               "text/plain;version=0.0.4;q=0.3,*/*;q=0.2")   # what Prometheus sends
CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")


def _two_workers():
    e = Eider(fixture("proxy"), workers=2, extra_conf="status_path %s;" % STATUS)
    e.listen = "127.0.0.1:%d reuseport" % e.port   # both workers answer scrapes
    return e


srv = Shared(_two_workers)


def teardown_module():
    srv.close()


class Scrape:
    """One scrape, parsed: families by name, and samples by (name, labels)."""

    def __init__(self, text):
        self.text = text
        self.families = {f.name: f for f in text_string_to_metric_families(text)}
        self.samples = {}
        for f in self.families.values():
            for s in f.samples:
                key = (s.name, tuple(sorted(s.labels.items())))
                assert key not in self.samples, "sample %r twice in one scrape" % (key,)
                self.samples[key] = s.value

    def value(self, name, **labels):
        return self.samples[(name, tuple(sorted(labels.items())))]

    def by_worker(self, name, **labels):
        """{worker label: value} of the per-worker samples NAME{labels, worker=...}."""
        out = {}
        for (n, ls), v in self.samples.items():
            d = dict(ls)
            w = d.pop("worker", None)
            if n == name and w is not None and d == labels:
                out[w] = v
        return out


def scrape(e, accept=PROM_ACCEPT):
    conn = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10)
    try:
        conn.request("GET", STATUS, headers={"Accept": accept})
        r = conn.getresponse()
        body = r.read().decode()
        assert r.status == 200, (r.status, body)
        assert r.getheader("Content-Type") == "text/plain; version=0.0.4; charset=utf-8", \
            r.getheader("Content-Type")
        return Scrape(body)
    finally:
        conn.close()


def answered(sc, prefix="eider_server_"):
    return {c: sc.value(prefix + "requests_total", code=c) for c in CLASSES}


def send(e, n, method, path, body=None):
    for _ in range(n):
        r = e.request(method, path, body=body)
        assert r[0] in (200, 404, 500), r


def _scrape_with_every_worker(e):
    """A scrape once every live worker is in it: a worker started a moment
    ago (the shared server's, on a loaded machine) is listed only once it
    has loaded its handlers and taken its scoreboard slot."""
    got = []

    def all_in():
        sc = scrape(e)
        got[:] = [sc]
        pids = {s.labels["pid"] for s in sc.families["eider_worker_info"].samples}
        return pids == {str(p) for p in e.worker_pids()}
    wait_until(all_in, 30, interval=0.1, msg="every worker in the scrape")
    return got[0]


def test_every_family_has_help_and_type_and_conventional_names():
    e = srv.get()
    sc = _scrape_with_every_worker(e)
    for line in sc.text.splitlines():
        if line.startswith("# TYPE "):
            name, typ = line.split()[2:4]
            assert name.startswith("eider_"), line
            assert ("# HELP %s " % name) in sc.text, "no # HELP for %s" % name
            if typ == "counter":
                assert name.endswith("_total"), line
            if "bytes" in name:
                assert name.endswith("_bytes") or name.endswith("_bytes_total"), line
            if "duration" in name or "time" in name:
                assert "_seconds" in name, line
    for f in sc.families.values():
        assert f.type in ("counter", "gauge", "histogram"), (f.name, f.type)
        assert f.documentation, "family %s has no help" % f.name
    want = {"eider_server_requests", "eider_server_errors", "eider_server_connections",
            "eider_server_received_bytes", "eider_server_sent_bytes", "eider_server_js_heap_bytes",
            "eider_server_restarts", "eider_server_reloads", "eider_server_request_duration_seconds",
            "eider_requests", "eider_errors", "eider_connections", "eider_received_bytes",
            "eider_sent_bytes", "eider_js_heap_bytes", "eider_request_duration_seconds",
            "eider_worker_info", "eider_worker_restarts", "eider_server_workers"}
    assert want <= set(sc.families), "missing families: %s" % sorted(want - set(sc.families))
    # Per-worker samples carry worker="N", one per live worker.
    pids = {s.labels["pid"] for s in sc.families["eider_worker_info"].samples}
    assert pids == {str(p) for p in e.worker_pids()}, (pids, e.worker_pids())
    assert len(sc.by_worker("eider_js_heap_bytes")) == 2, sc.by_worker("eider_js_heap_bytes")
    assert sc.value("eider_server_workers") == 2


def test_counters_match_the_requests_sent():
    e = srv.get()
    before = scrape(e)
    send(e, 10, "GET", "/")             # 200
    send(e, 5, "GET", "/no-such")       # 404
    send(e, 3, "GET", "/throw")         # 500, an uncaught exception each
    send(e, 4, "POST", "/body", body=b"x" * 1000)
    after = scrape(e)
    a0, a1 = answered(before), answered(after)
    # The first scrape itself was answered 200 in between; the second is
    # still in progress while it is written.
    got = {c: a1[c] - a0[c] for c in CLASSES}
    assert got == {"1xx": 0, "2xx": 10 + 4 + 1, "3xx": 0, "4xx": 5, "5xx": 3}, got
    assert after.value("eider_server_requests_in_progress") >= 1
    errors = after.value("eider_server_errors_total") - before.value("eider_server_errors_total")
    assert errors == 3, "3 handler exceptions, errors_total +%d" % errors
    received = (after.value("eider_server_received_bytes_total")
                - before.value("eider_server_received_bytes_total"))
    assert received == 4000, received
    sent = after.value("eider_server_sent_bytes_total") - before.value("eider_server_sent_bytes_total")
    assert sent >= 10 * len(b"proxy fixture ok"), sent
    # Every request answered in between is in the histogram once.
    h = "eider_server_request_duration_seconds"
    count = after.value(h + "_count") - before.value(h + "_count")
    assert count == sum(got.values()), (count, got)


def test_histogram_buckets_are_cumulative_and_count_all():
    e = srv.get()
    before = scrape(e)
    send(e, 2, "GET", "/slow?ms=300")
    send(e, 5, "GET", "/")
    sc = scrape(e)
    for prefix, workers in (("eider_server_", [None]), ("eider_", sc.by_worker("eider_js_heap_bytes"))):
        name = prefix + "request_duration_seconds"
        for w in workers:
            labels = {} if w is None else {"worker": w}
            buckets = sorted(((float(s.labels["le"]), s.value)
                              for s in sc.families[name].samples
                              if s.name == name + "_bucket"
                              and {k: v for k, v in s.labels.items() if k != "le"} == labels),
                             key=lambda b: b[0])
            assert len(buckets) == 14 and buckets[-1][0] == float("inf"), buckets
            counts = [c for _, c in buckets]
            assert counts == sorted(counts), "buckets not cumulative: %r" % buckets
            assert counts[-1] == sc.value(name + "_count", **labels), (buckets, labels)
    # The two 300 ms requests are above the 0.25 s bound, and in the sum.
    h = "eider_server_request_duration_seconds"

    def delta(name, **labels):
        return sc.value(name, **labels) - before.value(name, **labels)
    slow = delta(h + "_bucket", le="+Inf") - delta(h + "_bucket", le="0.25")
    assert slow >= 2, "requests above 0.25 s: %d" % slow
    # A 300 ms timer may fire a fraction of a millisecond early by the clock
    # the duration is read from (libevent's cached time): 0.5 s, not 0.6.
    assert delta(h + "_sum") >= 0.5, delta(h + "_sum")
    assert delta(h + "_count") == 2 + 5 + 1, delta(h + "_count")


def test_per_worker_counters_add_up_to_the_server():
    e = srv.get()
    send(e, 20, "GET", "/")
    send(e, 3, "GET", "/no-such")
    sc = scrape(e)
    per = sc.by_worker("eider_requests_total", code="2xx")
    assert len(per) == 2 and all(v > 0 for v in per.values()), \
        "both workers answered some (reuseport): %r" % per
    for name, labels in [("requests_total", {"code": c}) for c in CLASSES] + [
            ("errors_total", {}), ("received_bytes_total", {}), ("sent_bytes_total", {}),
            ("js_heap_bytes", {}), ("requests_in_progress", {}),
            ("request_duration_seconds_count", {}), ("request_duration_seconds_sum", {})] + [
            ("connections", {"state": s}) for s in ("active", "reading", "writing", "idle")]:
        workers = sum(sc.by_worker("eider_" + name, **labels).values())
        server = sc.value("eider_server_" + name, **labels)
        assert abs(server - workers) < 1e-3, "%s%r: server %r, workers add up to %r" % (
            name, labels, server, workers)
    for s in ("reading", "writing", "idle"):
        assert sc.value("eider_server_connections", state=s) <= sc.value("eider_server_connections",
                                                                         state="active")


def test_connections_by_state():
    e = srv.get()
    idle = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10)
    reading = socket.create_connection(("127.0.0.1", e.port), timeout=10)
    try:
        idle.request("GET", "/")
        idle.getresponse().read()          # answered, kept alive: idle
        reading.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")   # a head not finished: reading

        def states():
            sc = scrape(e)
            return {s: sc.value("eider_server_connections", state=s)
                    for s in ("active", "reading", "writing", "idle")}
        got = wait_until(lambda: (lambda s: s if s["idle"] >= 1 and s["reading"] >= 1 else None)(states()),
                         timeout=10, msg="an idle and a reading connection in the scrape")
        # The scrape's own connection is writing while it is answered.
        assert got["writing"] >= 1, got
        assert got["active"] == got["reading"] + got["writing"] + got["idle"] >= 3, got
    finally:
        idle.close()
        reading.close()
    wait_until(lambda: scrape(e).value("eider_server_connections", state="idle") == 0, timeout=10,
               msg="idle connections back to 0 once closed")


def test_server_totals_keep_an_exited_workers_counts_and_count_restarts_and_reloads():
    e = LifeEider(fixture("proxy"), workers=1, extra_conf="status_path %s;" % STATUS)
    try:
        e.start()
        send(e, 7, "GET", "/no-such")
        before = scrape(e)
        (old,) = e.worker_pids()
        os.kill(old, signal.SIGKILL)
        wait_until(lambda: not pid_alive(old) and len(e.worker_pids()) == 1
                   and e.worker_pids()[0] != old, timeout=15, msg="the worker replaced")
        sc = wait_until(lambda: (lambda s: s if s.value("eider_server_workers") == 1 else None)(
            scrape_retrying(e)), timeout=15, msg="a scrape from the new worker")
        assert sc.value("eider_server_restarts_total") == before.value("eider_server_restarts_total") + 1
        assert sc.value("eider_server_requests_total", code="4xx") == 7, \
            "the dead worker's 404s left the server total"
        assert sum(sc.by_worker("eider_requests_total", code="4xx").values()) == 0, \
            "the new worker counts from 0"
        assert sc.value("eider_server_reloads_total") == 0
        e.reload()
        sc = scrape(e)
        assert sc.value("eider_server_reloads_total") == 1
        assert sc.value("eider_server_requests_total", code="4xx") == 7
        good = e.config_text()
        e.write_config(good + "no_such_directive_zz 1;\n")
        e.reload(expect="failed")
        assert scrape(e).value("eider_server_reload_failures_total") == 1
        e.write_config(good)
    finally:
        e.cleanup()


def scrape_retrying(e):
    """A scrape, or None while the server is between workers."""
    try:
        return scrape(e)
    except (OSError, http.client.HTTPException):
        return None


def test_negotiation_picks_the_format():
    e = srv.get()
    cases = [
        ({}, "application/json"),
        ({"Accept": "*/*"}, "application/json"),
        ({"Accept": "application/json"}, "application/json"),
        ({"Accept": PROM_ACCEPT}, "text/plain; version=0.0.4; charset=utf-8"),
        ({"Accept": "text/plain"}, "text/plain; version=0.0.4; charset=utf-8"),
        ({"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
         "text/html; charset=utf-8"),
    ]
    for headers, want in cases:
        r = e.get(STATUS, headers=headers)
        assert r[0] == 200 and r[1].get("content-type") == want, (headers, r[0], r[1])
        assert r[1].get("vary") == "Accept", r[1]
    for q, want in (("json", "application/json"), ("prometheus", "text/plain; version=0.0.4; charset=utf-8"),
                    ("html", "text/html; charset=utf-8")):
        r = e.get(STATUS + "?format=" + q, headers={"Accept": "text/html"})
        assert r[1].get("content-type") == want, (q, r[1])
    # The JSON's server totals are the Prometheus ones.
    j = e.get(STATUS).json()
    assert j["server"]["workers"] == 2 and len(j["workers"]) == 2, j
    assert len(j["server"]["duration_buckets"]) == len(j["duration_bounds"]) + 1, j
