"""A worker's connections under pressure (issue 13): idle keep-alive
connections reclaimed at worker_connections, oldest first (defects 4 and
11); slow readers bounded by send_timeout and the per-worker cap on
buffered answers (defect 3)."""
import resource
import socket
import threading
import time

from eiderlib import (Eider, fixture, parse_responses, connection_closed_within,
                      skip_rss_check_if_sanitized, http_request)

LIMIT = 200


def setup_module():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 4096)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def _get(sock, path=b"/"):
    """One request on SOCK, its answer read in full."""
    sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while not parse_responses(data):
        chunk = sock.recv(65536)
        assert chunk, "connection closed before an answer: %r" % data[:200]
        data += chunk
    return parse_responses(data)[0]


def _fresh_client_answered(port, within=30):
    """A new connection's GET /: its answer, or None if none came in
    WITHIN seconds (a generous bound: the point is 'at all')."""
    s = socket.create_connection(("127.0.0.1", port), timeout=within)
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        closed, data = connection_closed_within(s, within)
        rs = parse_responses(data)
        return rs[0] if rs else None
    finally:
        s.close()


def test_idle_keepalive_connections_make_room_for_a_new_client():
    """At worker_connections, all of them idle keep-alive connections: a
    fresh client is answered (the longest idle one is closed for it), not
    left waiting for keepalive_timeout."""
    with Eider(fixture("connections"),
               extra_conf="worker_connections %d;\nkeepalive_timeout 120s;\n" % LIMIT) as e:
        idle = []
        try:
            for _ in range(LIMIT):
                s = socket.create_connection(("127.0.0.1", e.port), timeout=10)
                assert _get(s)[2] == b"ok"
                idle.append(s)
            r = _fresh_client_answered(e.port)
            assert r is not None and r[0] == 200 and r[2] == b"ok", \
                "a new client got no answer while %d idle connections were held" % LIMIT
            # the longest idle connection was the one closed; the newest lives
            closed, _ = connection_closed_within(idle[0], 10)
            assert closed, "the oldest idle connection is still open"
            assert _get(idle[-1])[2] == b"ok"
            # and it goes on: more new clients, each answered
            for _ in range(5):
                r = _fresh_client_answered(e.port)
                assert r is not None and r[0] == 200
        finally:
            for s in idle:
                s.close()


def test_busy_connections_at_the_limit_admit_a_client_once_one_is_idle():
    """At worker_connections with every connection busy, accepting pauses
    (none may be closed); once they have answered and wait idle, the
    client queued meanwhile is admitted and answered."""
    n = 20
    with Eider(fixture("connections"),
               extra_conf="worker_connections %d;\nkeepalive_timeout 120s;\n" % n) as e:
        busy = []
        try:
            for _ in range(n):
                s = socket.create_connection(("127.0.0.1", e.port), timeout=20)
                s.sendall(b"GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n")
                busy.append(s)
            e.wait_log("worker_connections (%d) reached" % n)
            r = _fresh_client_answered(e.port)
            assert r is not None and r[0] == 200, \
                "a new client got no answer once the busy connections went idle"
            # the busy ones were answered, none was cut short
            for s in busy:
                data = b""
                while not parse_responses(data):
                    chunk = s.recv(65536)
                    assert chunk, "a busy connection was closed: %r" % data[:200]
                    data += chunk
                assert parse_responses(data)[0][2] == b"slow"
        finally:
            for s in busy:
                s.close()


# ---------------------------------------------------------------- slow readers

def _rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("worker %d has no VmRSS" % pid)


def _slow_reader(port, path, pipelined):
    """A client that asks PIPELINED times for PATH and reads nothing: a
    tiny receive buffer, so that the answers stay on the server's side."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    s.sendall((b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n") * pipelined)
    return s


def test_slow_readers_do_not_grow_memory_without_bound():
    """slowhttptest -X, scaled down: 200 connections each pipelining 3
    requests for 1 MiB and reading nothing. The worker holds at most
    worker_max_send_buffer of unread answers (refusing more with 503) and
    its RSS stays within 2x of idle; before, it held every answer (200 MiB
    here). A client that reads is still answered."""
    n = 200
    with Eider(fixture("connections"), extra_conf="worker_max_send_buffer 2m;\n"
               "keepalive_timeout 120s;\nworker_connections 1024;\n") as e:
        pid = e.worker_pids()[0]
        for _ in range(3):   # warm up: the handler, the allocator
            assert len(e.get("/big")[2]) == 1024 * 1024
        idle = _rss_kb(pid)
        slow = []
        try:
            peak = idle
            for i in range(n):
                slow.append(_slow_reader(e.port, b"/big", 3))
                if i % 20 == 19:
                    time.sleep(0.05)
                    peak = max(peak, _rss_kb(pid))
            for _ in range(30):
                time.sleep(0.1)
                peak = max(peak, _rss_kb(pid))
            print("    worker VmRSS idle %d kB, under %d slow readers %d kB (%.2fx)"
                  % (idle, n, peak, peak / idle))
            if not skip_rss_check_if_sanitized():
                assert peak < 2 * idle, "worker RSS %d kB under slow readers, idle %d kB" % (peak, idle)
            e.wait_log("worker_max_send_buffer", timeout=20)
        finally:
            for s in slow:
                s.close()
        # the slow readers gone, the worker answers in full again
        r = None
        for _ in range(100):
            r = e.get("/big")
            if r[0] == 200:
                break
            time.sleep(0.1)
        assert r[0] == 200 and len(r[2]) == 1024 * 1024, r[0]


def test_a_request_held_at_the_send_buffer_limit_fails_cleanly():
    """While slow readers hold worker_max_send_buffer, a new request waits
    without running its handler; past request_timeout it gets 503 with
    Retry-After (never a silent drop), and a request after the slow
    readers are gone is answered."""
    with Eider(fixture("connections"), extra_conf="worker_max_send_buffer 64k;\n"
               "request_timeout 1s;\nkeepalive_timeout 120s;\n") as e:
        slow = [_slow_reader(e.port, b"/big?kb=8192", 1) for _ in range(2)]
        try:
            e.wait_log("worker_max_send_buffer (65536 bytes) reached", timeout=20)
            r = e.get("/", timeout=30)
            assert r[0] == 503, r
            assert r[1].get("retry-after") == "1", r[1]
            e.wait_log("waited request_timeout (1s) for slow clients to read")
        finally:
            for s in slow:
                s.close()
        r = None
        for _ in range(100):
            r = e.get("/")
            if r[0] == 200:
                break
            time.sleep(0.1)
        assert r[0] == 200 and r[2] == b"ok", r

def test_send_timeout_closes_a_client_that_reads_nothing():
    """A client that takes no more of its answer for send_timeout is closed
    (logged), as nginx does, instead of holding the answer for as long as
    it likes. (8 MiB: more than the kernel's socket buffers take.)"""
    with Eider(fixture("connections"),
               extra_conf="send_timeout 1s;\nkeepalive_timeout 120s;\n") as e:
        s = _slow_reader(e.port, b"/big?kb=8192", 1)
        try:
            e.wait_log("within send_timeout (1s)", timeout=30)
            closed, data = connection_closed_within(s, 30)
            assert closed, "the connection is still open after send_timeout"
            assert len(data) < 8 * 1024 * 1024, "the whole answer was read: %d bytes" % len(data)
        finally:
            s.close()
        assert e.get("/")[2] == b"ok"


def test_res_write_reports_back_pressure_and_drain_follows():
    """res.write() returns false while the client has not taken what was
    written (Node's contract), and 'drain' comes once it has: a handler
    that waits for it streams 8 MiB to a slow client with every byte
    arriving, and the worker never holds the whole answer."""
    with Eider(fixture("connections")) as e:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.settimeout(30)
        s.connect(("127.0.0.1", e.port))
        try:
            s.sendall(b"GET /stream?mb=8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            time.sleep(0.5)   # a slow client: the first writes fill every buffer
            closed, data = connection_closed_within(s, 60)
        finally:
            s.close()
        assert closed, "the answer did not end"
        r = parse_responses(data)[0]
        body = r[2]
        assert body.startswith(b"y" * 1000) and body.count(b"y") == 8 * 1024 * 1024, len(body)
        tail = body[body.rindex(b"\n", 0, len(body) - 1) + 1:].decode()
        falses, drains = [int(kv.split("=")[1]) for kv in tail.split()]
        print("    %s" % tail.strip())
        assert falses > 0, "res.write() never returned false: %r" % tail
        assert drains == falses, "a 'drain' for every false: %r" % tail


def test_chunked_answer_to_a_slow_client_that_asked_to_close_arrives_whole():
    """A handler that writes 8 MiB at once, ignoring back-pressure, to a
    slow client that sent Connection: close: the connection closes only
    after the whole answer (it closed with what the kernel held, 3.5 MiB,
    and dropped the rest)."""
    with Eider(fixture("connections")) as e:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.settimeout(30)
        s.connect(("127.0.0.1", e.port))
        try:
            s.sendall(b"GET /blast?mb=8 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            time.sleep(0.5)
            closed, data = connection_closed_within(s, 60)
        finally:
            s.close()
        assert closed, "the answer did not end"
        assert data.endswith(b"\r\n5\r\n\nend\n\r\n0\r\n\r\n"), "answer cut short at %d bytes" % len(data)
        assert parse_responses(data)[0][2].count(b"y") == 8 * 1024 * 1024


def _get_in_thread(port, path, results, key):
    """GET PATH on its own connection in a thread; the answer (or the
    exception) lands in RESULTS[KEY]."""
    def run():
        try:
            results[key] = http_request(port, "GET", path, timeout=60)
        except Exception as ex:   # reported by the caller's assertion
            results[key] = ex
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_every_request_held_at_the_send_buffer_limit_is_answered_once_clients_read():
    """Several requests held (parked) while slow readers fill
    worker_max_send_buffer all run, and are all answered, once the slow
    readers are gone; none is lost or answered twice."""
    with Eider(fixture("connections"), extra_conf="worker_max_send_buffer 64k;\n"
               "request_timeout 60s;\nkeepalive_timeout 120s;\n") as e:
        slow = [_slow_reader(e.port, b"/big?kb=8192", 1) for _ in range(2)]
        results, threads = {}, []
        try:
            e.wait_log("worker_max_send_buffer (65536 bytes) reached", timeout=20)
            for i in range(4):
                threads.append(_get_in_thread(e.port, "/", results, i))
            time.sleep(0.5)
            assert results == {}, "answered while the send buffer was full: %r" % results
        finally:
            for s in slow:
                s.close()
        for t in threads:
            t.join(30)
        for i in range(4):
            r = results.get(i)
            assert not isinstance(r, Exception) and r is not None, "request %d: %r" % (i, r)
            assert r[0] == 200 and r[2] == b"ok", "request %d: %r" % (i, r)


def test_requests_left_waiting_finish_in_any_order():
    """Handlers that answer later (from timers) leave their requests on the
    worker's waiting list; they finish out of the order they came in (one
    taken from the middle of the list, then its ends) and each gets its own
    answer."""
    with Eider(fixture("connections")) as e:
        results = {}
        threads = [_get_in_thread(e.port, "/slow?ms=%d" % ms, results, ms)
                   for ms in (1500, 300, 900)]
        for t in threads:
            t.join(30)
        for ms in (1500, 300, 900):
            r = results.get(ms)
            assert not isinstance(r, Exception) and r is not None, "/slow?ms=%d: %r" % (ms, r)
            assert r[0] == 200 and r[2] == b"slow", "/slow?ms=%d: %r" % (ms, r)
