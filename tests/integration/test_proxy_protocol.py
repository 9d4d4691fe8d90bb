"""PROXY protocol listeners: `listen ADDR proxy_protocol;` and
`proxy_protocol_timeout`. A connection must open with a v1 or v2 header
(else it is closed without a byte of answer, and nothing reaches a
handler); the header's source address becomes req.ip and the access log's
first field; LOCAL and UNKNOWN keep the socket peer's; keep-alive works
after one header; trusted_proxies applies on top, with the PROXY address
as the peer. Then real HAProxy in front, with send-proxy and send-proxy-v2.

Every instance also has a plain listener (e.port): the readiness check and
a control that proxy_protocol is per listener."""
import http.client
import os
import socket
import struct
import time
import uuid

from eiderlib import (Eider, Shared, fixture, assert_status, free_port, mkdtemp,
                      wait_until, request_on, connection_closed_within,
                      parse_responses, run_eider)
from haproxylib import HAProxy, haproxy_missing

def pp_eider(extra="", listen_opts="proxy_protocol"):
    """eider on the proxy fixture with a plain listener (e.port) and a
    PROXY protocol one (e.pp_port)."""
    pp_port = free_port()
    conf = "listen 127.0.0.1:%d %s;" % (pp_port, listen_opts)
    if extra:
        conf += "\n" + extra
    e = Eider(fixture("proxy"), extra_conf=conf)
    e.pp_port = pp_port
    return e


srv = Shared(lambda: pp_eider())
# 192.0.2.0/24 and the socket peer 127.0.0.1 are trusted proxies.
trusting = Shared(lambda: pp_eider("trusted_proxies 192.0.2.0/24 127.0.0.1;"))


def teardown_module():
    srv.close()
    trusting.close()


# ---------------------------------------------------------------- headers

def v1(src, dst="127.0.0.1", sport=40001, dport=8080, proto=None):
    proto = proto or ("TCP6" if ":" in src else "TCP4")
    return ("PROXY %s %s %s %d %d\r\n" % (proto, src, dst, sport, dport)).encode()


V2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def v2(ver_cmd, fam, body):
    return V2_SIG + bytes([ver_cmd, fam]) + struct.pack("!H", len(body)) + body


def v2_proxy(src, dst="127.0.0.1", sport=40002, dport=8080, tlvs=b""):
    """A v2 PROXY command for TCP over IPv4 or IPv6 (from the form of src)."""
    if ":" in src:
        fam, af = 0x21, socket.AF_INET6
    else:
        fam, af = 0x11, socket.AF_INET
    if af == socket.AF_INET6 and ":" not in dst:
        dst = "::1"
    body = (socket.inet_pton(af, src) + socket.inet_pton(af, dst)
            + struct.pack("!HH", sport, dport) + tlvs)
    return v2(0x21, fam, body)


V2_LOCAL = v2(0x20, 0x00, b"")


def tlv(t, value):
    return bytes([t]) + struct.pack("!H", len(value)) + value


# ---------------------------------------------------------------- clients

def pp_connection(port, header, source=None, timeout=10, pieces=1, pause=0.0):
    """An http.client connection whose socket has already sent HEADER
    (in PIECES sends, PAUSE seconds apart). source: local address."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    step = max(1, -(-len(header) // pieces))
    for i in range(0, len(header), step):
        s.sendall(header[i:i + step])
        if pause and i + step < len(header):
            time.sleep(pause)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.sock = s    # http.client connects only when it has no socket
    return conn


def echo_via(port, header, headers=None, **kw):
    """GET /echo on a fresh connection that starts with HEADER; the JSON."""
    conn = pp_connection(port, header, **kw)
    try:
        r = request_on(conn, "GET", "/echo", headers=headers)
    finally:
        conn.close()
    assert_status(r, 200, "GET /echo after %r" % header[:60])
    return r.json()


def assert_closed_silently(port, data, within=5.0, what=None):
    """Sends DATA and expects the connection closed within WITHIN seconds
    with not a single byte received."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        closed, got = True, b""
        try:
            if data:
                s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass        # closed while we were still sending: fine
        else:
            closed, got = connection_closed_within(s, within)
    finally:
        s.close()
    what = what or repr(data[:60])
    assert got == b"", "%s: expected no answer at all, got %r" % (what, got[:300])
    assert closed, "%s: connection still open after %.0fs" % (what, within)


def access_line(e, rid, timeout=5.0):
    """The access log line of the request with id rid (its last field)."""
    def find():
        for ln in e.access_log().splitlines():
            if ln.endswith(" " + rid):
                return ln
        return None
    try:
        return wait_until(find, timeout, msg="access log line of request %s" % rid)
    except AssertionError:
        raise AssertionError("no access log line for request %s within %.0fs; log tail:\n%s"
                             % (rid, timeout, e.access_log()[-1500:]))


# ---------------------------------------------------------------- v1 / v2 by hand

def test_v1_tcp4_sets_req_ip():
    e = srv.get()
    j = echo_via(e.pp_port, v1("203.0.113.7"))
    assert j["ip"] == "203.0.113.7", "PROXY TCP4 203.0.113.7: req.ip %r" % j["ip"]
    assert j["protocol"] == "http", j["protocol"]
    # the PROXY line is not taken for part of the request
    assert "proxy" not in " ".join(j["headers"]).lower(), j["headers"]


def test_v1_tcp6_sets_req_ip():
    e = srv.get()
    j = echo_via(e.pp_port, v1("2001:db8::7", "2001:db8::1"))
    assert j["ip"] == "2001:db8::7", "PROXY TCP6 2001:db8::7: req.ip %r" % j["ip"]
    j = echo_via(e.pp_port, v1("2001:0DB8:0000::00AB", "::1"))
    assert j["ip"] == "2001:db8::ab", "req.ip should be the canonical text, got %r" % j["ip"]


def test_v1_tcp6_ipv4_mapped_is_ipv4():
    """A dual-stack proxy's IPv4 client arrives as ::ffff:a.b.c.d: req.ip
    shows the IPv4 address."""
    j = echo_via(srv.get().pp_port, v1("::ffff:203.0.113.9", "::1"))
    assert j["ip"] == "203.0.113.9", j["ip"]


def test_v1_unknown_keeps_peer():
    e = srv.get()
    for h in (b"PROXY UNKNOWN\r\n", b"PROXY UNKNOWN 203.0.113.7 127.0.0.1 1 2\r\n"):
        j = echo_via(e.pp_port, h)
        assert j["ip"] == "127.0.0.1", "%r: req.ip %r, expected the socket peer" % (h, j["ip"])


def test_v2_tcp4_and_tcp6():
    e = srv.get()
    j = echo_via(e.pp_port, v2_proxy("198.51.100.44"))
    assert j["ip"] == "198.51.100.44", "v2 TCP4: req.ip %r" % j["ip"]
    j = echo_via(e.pp_port, v2_proxy("2001:db8:abcd::44"))
    assert j["ip"] == "2001:db8:abcd::44", "v2 TCP6: req.ip %r" % j["ip"]


def test_v2_with_tlvs():
    """TLVs (ALPN, authority, a NOOP) are skipped."""
    tlvs = tlv(0x01, b"http/1.1") + tlv(0x02, b"example.org") + tlv(0x04, b"\0" * 10)
    j = echo_via(srv.get().pp_port, v2_proxy("198.51.100.45", tlvs=tlvs))
    assert j["ip"] == "198.51.100.45", j["ip"]


def test_v2_local_and_unspec_keep_peer():
    e = srv.get()
    for name, h in (("LOCAL", V2_LOCAL),
                    ("LOCAL with addresses", v2(0x20, 0x11, bytes(12))),
                    ("PROXY UNSPEC", v2(0x21, 0x00, b""))):
        j = echo_via(e.pp_port, h)
        assert j["ip"] == "127.0.0.1", "v2 %s: req.ip %r, expected the socket peer" % (name, j["ip"])


def test_keepalive_after_one_header():
    """One header, then several requests on the same connection: all get
    the header's address."""
    e = srv.get()
    for h in (v1("203.0.113.21"), v2_proxy("203.0.113.22")):
        want = "203.0.113.21" if h.startswith(b"PROXY") else "203.0.113.22"
        conn = pp_connection(e.pp_port, h)
        try:
            ids = set()
            for i in range(3):
                r = request_on(conn, "GET", "/echo")
                assert_status(r, 200, "request %d on the connection" % (i + 1))
                j = r.json()
                assert j["ip"] == want, "request %d: req.ip %r, want %s" % (i + 1, j["ip"], want)
                ids.add(j["id"])
                assert r.headers.get("connection", "").lower() != "close", r.headers
            assert len(ids) == 3, ids
            # still the same socket: nothing reconnected behind our back
            assert conn.sock is not None
        finally:
            conn.close()


def test_pipelined_header_and_requests_in_one_send():
    """Header and two requests in one segment: the parser stops at the
    header's end and hands the rest to HTTP."""
    e = srv.get()
    req = b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n"
    data = v1("203.0.113.31") + req + req.replace(b"Host: x", b"Host: x\r\nConnection: close")
    s = socket.create_connection(("127.0.0.1", e.pp_port), timeout=10)
    try:
        s.sendall(data)
        closed, got = connection_closed_within(s, 10)
    finally:
        s.close()
    rs = parse_responses(got)
    assert len(rs) == 2, "expected 2 responses, got %d: %r" % (len(rs), got[:500])
    for r in rs:
        assert_status(r, 200)
        assert r.json()["ip"] == "203.0.113.31", r.json()


def test_header_split_across_sends():
    e = srv.get()
    for h, want in ((v1("203.0.113.41"), "203.0.113.41"),
                    (v2_proxy("2001:db8::41"), "2001:db8::41"),
                    (V2_LOCAL, "127.0.0.1")):
        # a few pieces, and byte by byte
        for pieces, pause in ((4, 0.05), (len(h), 0.01)):
            j = echo_via(e.pp_port, h, pieces=pieces, pause=pause)
            assert j["ip"] == want, "%r in %d sends: req.ip %r" % (h[:20], pieces, j["ip"])


def test_garbage_closed_without_response():
    e = srv.get()
    cases = [
        b"HELLO WORLD\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(40),      # a TLS ClientHello
        b"proxy TCP4 203.0.113.7 127.0.0.1 1 2\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PROXY TCP4 203.0.113.7 127.0.0.1 65536 80\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PROXY TCP4 203.0.113.7  127.0.0.1 1 2\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PROXY TCP4 2001:db8::1 127.0.0.1 1 2\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PROXY TCP4 203.0.113.7 127.0.0.1 1 2\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        b"PROXY UNKNOWN " + b"x" * 120 + b"\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n",
        v2(0x11, 0x11, bytes(12)) + b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n",   # version 1
        v2(0x22, 0x11, bytes(12)) + b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n",   # command 2
        v2(0x21, 0x12, bytes(12)) + b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n",   # UDP
        v2(0x21, 0x11, bytes(11)) + b"GET /echo HTTP/1.1\r\nHost: x\r\n\r\n",   # short
        v2(0x21, 0x11, bytes(12) + b"\x01\x00\x09h2") + b"GET / HTTP/1.1\r\n\r\n",  # TLV overrun
        V2_SIG + b"\x21\x11\x02\x09" + bytes(521),                              # over 536 bytes
    ]
    for data in cases:
        assert_closed_silently(e.pp_port, data)


def test_plain_http_closed_without_response():
    """HTTP without a header on a proxy_protocol listener: closed, no 400,
    and the handler never runs (nothing in the access log)."""
    e = srv.get()
    mark = uuid.uuid4().hex[:12]
    for req in (b"GET /echo?never=%s HTTP/1.1\r\nHost: x\r\n\r\n" % mark.encode(),
                b"GET /echo?never=%s HTTP/1.0\r\n\r\n" % mark.encode(),
                b"POST /echo?never=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                % mark.encode()):
        assert_closed_silently(e.pp_port, req)
    # a good request afterwards, logged; the refused ones never were
    j = echo_via(e.pp_port, v1("203.0.113.51"))
    access_line(e, j["id"])
    assert mark not in e.access_log(), \
        "a request without a PROXY header reached the access log:\n%s" % e.access_log()[-1500:]
    # the plain listener of the same server is unaffected
    r = e.get("/echo")
    assert_status(r, 200)
    assert r.json()["ip"] == "127.0.0.1", r.json()


def test_good_connection_after_bad_ones():
    e = srv.get()
    for data in (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\0\0\0\0", b"PROXY TCP9 x"):
        assert_closed_silently(e.pp_port, data)
    j = echo_via(e.pp_port, v1("203.0.113.61"))
    assert j["ip"] == "203.0.113.61", j["ip"]
    j = echo_via(e.pp_port, v2_proxy("203.0.113.62"))
    assert j["ip"] == "203.0.113.62", j["ip"]


def test_access_log_has_proxy_source():
    e = srv.get()
    for h, want in ((v1("198.51.100.71"), "198.51.100.71"),
                    (v2_proxy("2001:db8::71"), "2001:db8::71"),
                    (V2_LOCAL, "127.0.0.1")):
        j = echo_via(e.pp_port, h)
        ln = access_line(e, j["id"])
        assert ln.split(" ", 1)[0] == want, \
            "access log should start with the PROXY source %s:\n%s" % (want, ln)


# ---------------------------------------------------------------- timeout

def test_silent_connection_closed_after_timeout():
    """proxy_protocol_timeout 1s: a connection that sends nothing, or half
    a header, is closed (generously: within 5s) without an answer; one that
    sends its header in time is served."""
    with pp_eider("proxy_protocol_timeout 1s;") as e:
        t0 = time.time()
        for data in (b"", b"PROXY TCP4 203.0", V2_SIG[:7], v2_proxy("203.0.113.1")[:20]):
            assert_closed_silently(e.pp_port, data, within=5.0,
                                   what="connection sending %r then nothing" % data)
        print("    4 silent connections closed in %.1fs" % (time.time() - t0))
        j = echo_via(e.pp_port, v1("203.0.113.81"))
        assert j["ip"] == "203.0.113.81", j["ip"]
        # the timeout is for the header only: a slow request after it is
        # a matter for the HTTP timeouts, not this one
        conn = pp_connection(e.pp_port, v1("203.0.113.82"))
        try:
            time.sleep(1.5)
            r = request_on(conn, "GET", "/echo")
            assert_status(r, 200, "request 1.5s after a timely header")
            assert r.json()["ip"] == "203.0.113.82", r.json()
        finally:
            conn.close()


def test_proxy_protocol_timeout_config():
    d = mkdtemp()
    conf = os.path.join(d, "eider.conf")
    base = "listen 127.0.0.1:%d proxy_protocol;\nhandlers %s;\n" % (free_port(), fixture("proxy"))
    for good in ("", "proxy_protocol_timeout 1s;", "proxy_protocol_timeout 2m;"):
        with open(conf, "w") as f:
            f.write(base + good + "\n")
        p = run_eider(["-t", "-c", conf])
        assert p.returncode == 0, "eider -t refused %r:\n%s" % (good, p.stderr)
    for bad in ("proxy_protocol_timeout;", "proxy_protocol_timeout soon;",
                "proxy_protocol_timeout 1s 2s;"):
        with open(conf, "w") as f:
            f.write(base + bad + "\n")
        p = run_eider(["-t", "-c", conf])
        assert p.returncode == 1, "eider -t accepted %r (status %s)" % (bad, p.returncode)
        assert "%s:3" % conf in p.stderr, "error for %r does not name line 3:\n%s" % (bad, p.stderr)


# ---------------------------------------------------------------- trusted_proxies on top

def test_trusted_proxies_apply_to_proxy_address():
    """The PROXY source is the peer trusted_proxies judges, not the socket."""
    e = trusting.get()
    xff = {"X-Forwarded-For": "203.0.113.91"}
    # trusted PROXY source: X-Forwarded-For believed
    j = echo_via(e.pp_port, v1("192.0.2.10"), headers=xff)
    assert j["ip"] == "203.0.113.91", "trusted PROXY source 192.0.2.10: req.ip %r" % j["ip"]
    j = echo_via(e.pp_port, v2_proxy("192.0.2.11"), headers=xff)
    assert j["ip"] == "203.0.113.91", "trusted v2 source 192.0.2.11: req.ip %r" % j["ip"]
    # untrusted PROXY source, although the socket peer 127.0.0.1 is trusted
    j = echo_via(e.pp_port, v1("198.51.100.92"), headers=xff)
    assert j["ip"] == "198.51.100.92", \
        "untrusted PROXY source 198.51.100.92 (socket peer trusted): req.ip %r" % j["ip"]
    # LOCAL keeps the (trusted) socket peer
    j = echo_via(e.pp_port, V2_LOCAL, headers=xff)
    assert j["ip"] == "203.0.113.91", "LOCAL from trusted 127.0.0.1: req.ip %r" % j["ip"]
    ln = access_line(e, j["id"])
    assert ln.startswith("203.0.113.91 "), ln


# ---------------------------------------------------------------- with ssl

def test_proxy_protocol_with_ssl_is_refused_with_a_reason():
    """ssl and proxy_protocol on one listener would need libevent 2.1's
    OpenSSL filter, which crashes with OpenSSL 3 during a TLS 1.3
    handshake: refused by -t, naming the line and what to do instead."""
    d = mkdtemp()
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("handlers %s;\nlisten 127.0.0.1:%d ssl proxy_protocol;\n" % (fixture("proxy"), free_port()))
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 1, "eider -t accepted ssl with proxy_protocol (status %s)" % p.returncode
    assert "%s:2" % conf in p.stderr and "terminate TLS in the proxy" in p.stderr, p.stderr


# ---------------------------------------------------------------- real HAProxy in front

def _through(hp, source="127.0.0.2", n=2):
    """N requests for /echo on one client connection to haproxy from
    SOURCE; returns their JSON bodies (None if SOURCE cannot be bound)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", hp.port, timeout=10,
                                          source_address=(source, 0))
        conn.connect()
    except OSError as ex:
        print("    cannot connect from %s (%s): skipped" % (source, ex))
        return None
    out = []
    try:
        for _ in range(n):
            r = request_on(conn, "GET", "/echo")
            assert_status(r, 200, "GET /echo through haproxy")
            out.append(r.json())
    except (AssertionError, OSError, http.client.HTTPException) as ex:
        raise AssertionError("%s\n%s" % (ex, hp.diagnostics()))
    finally:
        conn.close()
    return out


def test_haproxy_send_proxy_v1():
    """HAProxy (TCP mode, send-proxy) from a client at 127.0.0.2: eider's
    socket peer is haproxy at 127.0.0.1, req.ip must be 127.0.0.2."""
    if haproxy_missing():
        return
    e = srv.get()
    with HAProxy(e.pp_port, "send-proxy") as hp:
        js = _through(hp)
        if js is None:
            return
        for j in js:
            assert j["ip"] == "127.0.0.2", "through haproxy send-proxy: req.ip %r\n%s" % (
                j["ip"], hp.diagnostics())
        ln = access_line(e, js[-1]["id"])
        assert ln.startswith("127.0.0.2 "), ln


def test_haproxy_send_proxy_v2():
    """HAProxy (HTTP mode, send-proxy-v2 with a CRC32C TLV) from 127.0.0.2,
    with PROXY health checks (v2 LOCAL) that must keep the server up."""
    if haproxy_missing():
        return
    e = srv.get()
    mark = uuid.uuid4().hex[:12]
    with HAProxy(e.pp_port,
                 "send-proxy-v2 proxy-v2-options crc32c check inter 200ms fall 2 check-send-proxy",
                 mode="http",
                 backend_extra="    http-reuse never\n"
                               "    option httpchk GET /?hc=%s\n" % mark) as hp:
        js = _through(hp, n=3)
        if js is None:
            return
        for j in js:
            assert j["ip"] == "127.0.0.2", "through haproxy send-proxy-v2: req.ip %r\n%s" % (
                j["ip"], hp.diagnostics())
        # a few health checks later the server is still up and serving
        e.wait_log("hc=" + mark, which="access", timeout=10)
        time.sleep(1.0)
        assert "is DOWN" not in hp.output(), "haproxy marked eider down:\n%s" % hp.diagnostics()
        js = _through(hp, n=1)
        assert js[0]["ip"] == "127.0.0.2", js
        for ln in e.access_log().splitlines():
            if "hc=" + mark in ln:
                assert ln.startswith("127.0.0.1 "), \
                    "a health check (LOCAL) should log the socket peer:\n%s" % ln
