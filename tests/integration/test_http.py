"""HTTP/1.1 behaviour: keep-alive, pipelining, connection close, chunked
request bodies, body/header limits, malformed requests, timeouts."""
import re
import socket
import threading
import time

from eiderlib import (Eider, Shared, fixture, assert_status, assert_eider_error,
                      request_on, parse_responses, connection_closed_within, raw_early)

CONF = """client_max_body_size 1k;
client_max_header_size 1k;
keepalive_timeout 2s;
client_header_timeout 1s;
"""
srv = Shared(lambda: Eider(fixture("http"), extra_conf=CONF))


def teardown_module():
    srv.close()


def _status_line(data):
    return data.split(b"\r\n", 1)[0]


# ---------------------------------------------------------------- connections

def test_keep_alive_reuses_connection():
    e = srv.get()
    conn = e.connection()
    try:
        r = request_on(conn, "GET", "/pipe/one")
        assert_status(r, 200)
        sock = conn.sock
        assert sock is not None, "server closed the connection after an HTTP/1.1 request"
        local = sock.getsockname()
        for i in range(10):
            r = request_on(conn, "GET", "/pipe/n%d" % i)
            assert_status(r, 200)
            assert r[2] == ("n%d:GET:" % i).encode(), r[2]
            assert conn.sock is sock, "connection was not kept alive (request %d)" % i
        r = request_on(conn, "POST", "/pipe/p", body=b"data")
        assert r[2] == b"p:POST:data", r[2]
        assert conn.sock is sock and sock.getsockname() == local
        assert r[1].get("connection", "").lower() != "close", r[1]
    finally:
        conn.close()


def test_http10_closes_after_response():
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        s.sendall(b"GET /pipe/old HTTP/1.0\r\nHost: x\r\n\r\n")
        closed, data = connection_closed_within(s, 1.5)
    finally:
        s.close()
    assert data.startswith(b"HTTP/1."), data[:100]
    assert b" 200" in _status_line(data), _status_line(data)
    assert data.endswith(b"old:GET:"), data[-50:]
    assert closed, "HTTP/1.0 connection left open"


def test_connection_close_header_honoured():
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        s.sendall(b"GET /pipe/bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        closed, data = connection_closed_within(s, 1.5)
    finally:
        s.close()
    rs = parse_responses(data)
    assert len(rs) == 1 and rs[0][2] == b"bye:GET:", data[:300]
    assert rs[0][1].get("connection") == "close", rs[0][1]
    assert closed, "Connection: close not honoured"


def test_http10_keep_alive_confirmed_and_kept():
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        req = b"GET /pipe/ka%d HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"

        def answer(n):
            s.sendall(req % n)
            data = b""
            while not data.endswith(b"ka%d:GET:" % n):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            return data
        first = answer(1)
        second = answer(2)
    finally:
        s.close()
    for n, data in ((1, first), (2, second)):
        rs = parse_responses(data)
        assert len(rs) == 1, data[:300]
        assert data.startswith(b"HTTP/1.0 200 "), data[:100]
        assert rs[0][1].get("connection") == "keep-alive", rs[0][1]
        assert rs[0][2] == b"ka%d:GET:" % n, rs[0][2]


def test_pipelining_three_gets_in_order():
    e = srv.get()
    req = b"".join(b"GET /pipe/%s HTTP/1.1\r\nHost: x\r\n%s\r\n"
                   % (n, b"Connection: close\r\n" if n == b"c" else b"")
                   for n in (b"a", b"b", b"c"))
    data = e.raw(req)
    rs = parse_responses(data)
    assert [r[0] for r in rs] == [200, 200, 200], data[:500]
    assert [r[2] for r in rs] == [b"a:GET:", b"b:GET:", b"c:GET:"], [r[2] for r in rs]
    ids = {r[1].get("x-request-id") for r in rs}
    assert len(ids) == 3, "pipelined responses share request ids: %r" % ids


def test_absolute_form_keeps_the_connection_and_the_pipeline():
    """RFC 9112 3.2.2: an origin server accepts GET http://host/path; the
    target's path is routed, its authority replaces the Host header, and
    the connection lives on: a request pipelined behind it is answered
    (it was dropped without an answer or a log line: issue 13, defect 5)."""
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        s.sendall(b"GET http://Example.org:8080/host?x=1 HTTP/1.1\r\nHost: other\r\n\r\n"
                  b"GET /pipe/after HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while len(parse_responses(data)) < 2:
            chunk = s.recv(65536)
            assert chunk, "connection closed after %d answer(s): %r" % (len(parse_responses(data)), data[:400])
            data += chunk
        rs = parse_responses(data)
        assert_status(rs[0], 200)
        assert rs[0][2] == b"Example.org:8080 /host http://Example.org:8080/host?x=1", rs[0][2]
        assert "close" not in rs[0][1].get("connection", ""), rs[0][1]
        assert rs[1][2] == b"after:GET:", rs[1][2]
        # and the connection is still usable
        s.sendall(b"GET /pipe/third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        closed, more = connection_closed_within(s, 5)
        assert closed and parse_responses(more)[0][2] == b"third:GET:", more[:300]
    finally:
        s.close()
    e.wait_log("GET http://Example.org:8080/host?x=1 HTTP/1.1\" 200", which="access")
    e.wait_log("GET /pipe/after HTTP/1.1\" 200", which="access")


def test_pipelining_with_bodies():
    e = srv.get()
    req = (b"POST /pipe/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
           b"PUT /pipe/y HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
           b"GET /pipe/z HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    rs = parse_responses(e.raw(req))
    assert [r[2] for r in rs] == [b"x:POST:hello", b"y:PUT:abc", b"z:GET:"], [r[2] for r in rs]


def test_concurrent_connections():
    e = srv.get()
    results = []
    lock = threading.Lock()

    def worker(i):
        try:
            r = e.request("GET", "/pipe/c%d" % i, timeout=10)
            ok = r[0] == 200 and r[2] == ("c%d:GET:" % i).encode()
        except Exception as ex:   # noqa: BLE001
            ok = repr(ex)
        with lock:
            results.append(ok)
    ts = [threading.Thread(target=worker, args=(i,)) for i in range(30)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(20)
    bad = [x for x in results if x is not True]
    assert len(results) == 30 and not bad, "concurrent requests failed: %r" % bad[:5]


# ---------------------------------------------------------------- bodies

def test_chunked_request_body():
    e = srv.get()
    req = (b"POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           b"5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n")
    rs = parse_responses(e.raw(req))
    assert len(rs) == 1, rs
    assert_status(rs[0], 200)
    assert rs[0].json() == {"length": 11, "text": "hello world"}, rs[0][2]


def test_chunked_request_body_with_chunk_extension():
    # RFC 9112 7.1.1: chunk-ext ("1;name=value") must be accepted and ignored
    e = srv.get()
    req = (b"POST /body HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           b"5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\n\r\n")
    rs = parse_responses(e.raw(req))
    assert len(rs) == 1, rs
    assert_status(rs[0], 200)
    assert rs[0].json() == {"length": 11, "text": "hello world"}, rs[0][2]


def test_body_within_limit_accepted():
    r = srv.get().request("POST", "/body", body=b"a" * 1000)
    assert_status(r, 200)
    assert r.json()["length"] == 1000


def test_body_over_limit_413():
    e = srv.get()
    rs = parse_responses(raw_early(e.port, b"POST /body?big HTTP/1.1\r\nHost: x\r\n"
                                   b"Content-Length: 2000\r\nConnection: close\r\n\r\n", b"a" * 2000))
    assert rs, "no response to an oversized body"
    assert_status(rs[0], 413)
    assert "HANDLER-HIT /body?big" not in e.error_log(), "handler ran for a 413 request"


def test_chunked_body_over_limit_413():
    e = srv.get()
    chunk = b"400\r\n" + b"b" * 1024 + b"\r\n"
    req = (b"POST /body?bigchunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
           b"Connection: close\r\n\r\n" + chunk * 3 + b"0\r\n\r\n")
    rs = parse_responses(e.raw(req))
    assert rs, "no response to an oversized chunked body"
    assert_status(rs[0], 413)
    assert "HANDLER-HIT /body?bigchunked" not in e.error_log(), "handler ran for a 413 request"


# ---------------------------------------------------------------- headers

def _big_header_request():
    return (b"GET /pipe/h HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 4000 +
            b"\r\nConnection: close\r\n\r\n")


def test_header_over_limit_rejected():
    data = srv.get().raw(_big_header_request())
    assert data, "connection closed without a response to oversized headers"
    st = int(_status_line(data).split()[1])
    assert st in (431, 400), "oversized headers got %s" % _status_line(data)


def test_header_over_limit_is_431():
    # SPEC: header size limit answers 431 (400 is tolerated by the test above)
    data = srv.get().raw(_big_header_request())
    rs = parse_responses(data)
    assert rs, "no response to oversized headers"
    assert_eider_error(rs[0], 431)


def test_header_within_limit_accepted():
    r = srv.get().request("GET", "/pipe/small", headers={"X-Small": "y" * 500})
    assert_status(r, 200)


# ---------------------------------------------------------------- malformed

MALFORMED = [
    b"BROKEN\r\n\r\n",
    b"GET /?m=nul-line\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /?m=no-colon HTTP/1.1\r\nHost x\r\n\r\n",
    b"GET /?m=bad-cl HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /?m=neg-cl HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nhello",
    b"GET /?m=bad-version HTTP/x.y\r\nHost: x\r\n\r\n",
    b"GET /?m=space in target HTTP/1.1\r\nHost: x\r\n\r\n",
]


def test_malformed_requests_400_never_reach_handler():
    e = srv.get()
    start = len(e.error_log())
    problems = []
    for payload in MALFORMED:
        data = e.raw(payload, timeout=2.0, total=4.0)
        if data:
            line = _status_line(data)
            if not re.match(rb"HTTP/1\.[01] 400 ", line):
                problems.append("%r -> %r" % (payload[:40], line))
    r = e.request("GET", "/?m=marker-after-malformed")
    assert_status(r, 200)
    e.wait_log("HANDLER-HIT /?m=marker-after-malformed")
    hits = [ln for ln in e.error_log()[start:].splitlines()
            if "HANDLER-HIT" in ln and "marker-after-malformed" not in ln]
    assert not hits, "malformed requests reached a handler:\n" + "\n".join(hits)
    assert not problems, "malformed requests not answered 400:\n" + "\n".join(problems)


def test_bad_chunk_size_is_400():
    e = srv.get()
    data = e.raw(b"POST /?m=bad-chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"zz\r\nhello\r\n0\r\n\r\n", timeout=2.0, total=4.0)
    assert re.match(rb"HTTP/1\.[01] 400 ", _status_line(data)), data[:100]


def test_nul_in_header_value_is_400():
    e = srv.get()
    data = e.raw(b"GET /?m=nul-header HTTP/1.1\r\nHost: a\x00b\r\n\r\n", timeout=2.0, total=4.0)
    assert re.match(rb"HTTP/1\.[01] 400 ", _status_line(data)), data[:100]


def test_malformed_400_is_json():
    data = srv.get().raw(b"BROKEN\r\n\r\n", timeout=2.0)
    rs = parse_responses(data) if data.startswith(b"HTTP/") else []
    assert rs, "BROKEN request line closed without a 400 response: %r" % data[:100]
    assert_eider_error(rs[0], 400)


def test_server_survives_garbage():
    e = srv.get()
    import os
    e.raw(os.urandom(4096), timeout=1.0, total=2.0)
    e.raw(b"\r\n" * 100, timeout=1.0, total=2.0)
    assert_status(e.request("GET", "/pipe/alive"), 200)


# ---------------------------------------------------------------- timeouts

def test_keepalive_timeout_closes_idle_connection():
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        s.sendall(b"GET /pipe/idle HTTP/1.1\r\nHost: x\r\n\r\n")
        t0 = time.time()
        closed, data = connection_closed_within(s, 6.0)
        dt = time.time() - t0
    finally:
        s.close()
    rs = parse_responses(data)
    assert rs and rs[0][2] == b"idle:GET:", data[:200]
    assert closed, "idle keep-alive connection still open after 6s (keepalive_timeout 2s)"
    assert 1.5 <= dt <= 5.0, ("idle connection closed after %.2fs; keepalive_timeout is 2s "
                              "(client_header_timeout is 1s)" % dt)


def test_client_header_timeout():
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        s.sendall(b"GET /pipe/slow HTTP/1.1\r\nHost: x\r\n")   # headers never finished
        t0 = time.time()
        closed, data = connection_closed_within(s, 6.0)
        dt = time.time() - t0
    finally:
        s.close()
    assert closed, "incomplete request headers kept open after 6s (client_header_timeout 1s)"
    assert dt <= 4.0, "closed after %.1fs, client_header_timeout is 1s" % dt
    if data:
        assert re.match(rb"HTTP/1\.[01] 408 ", data), _status_line(data)


def test_early_refusal_head_bytes():
    """A request the gate refuses before evhttp sees it (headers over
    client_max_header_size) gets the head eider's one writer formats:
    byte for byte the same as the gate's own snprintf made before."""
    e = srv.get()
    s = socket.create_connection(("127.0.0.1", e.port), timeout=5)
    try:
        s.sendall(b"GET /pipe/x HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 2000 + b"\r\n\r\n")
        closed, data = connection_closed_within(s, 10.0)
    finally:
        s.close()
    assert closed, "connection kept open after the refusal"
    m = re.match(rb"HTTP/1\.1 431 Request Header Fields Too Large\r\n"
                 rb"Date: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\n"
                 rb"Content-Type: application/json\r\n"
                 rb"Content-Length: (\d+)\r\n"
                 rb"Connection: close\r\n"
                 rb"X-Request-Id: ([0-9a-f]{16})\r\n\r\n", data)
    assert m, data[:400]
    body = data[m.end():]
    assert len(body) == int(m.group(1)), data[:400]
    assert body == (b'{"error":"Request Header Fields Too Large","status":431,"requestId":"%s"}\n'
                    % m.group(2)), body
