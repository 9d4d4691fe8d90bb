"""A worker's connections under pressure (issue 13): idle keep-alive
connections reclaimed at worker_connections, oldest first (defects 4 and
11); slow readers bounded by send_timeout and the per-worker cap on
buffered answers (defect 3)."""
import resource
import socket
import time

from eiderlib import (Eider, fixture, parse_responses, connection_closed_within)

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
