"""Behind a reverse proxy: trusted_proxies, X-Forwarded-For and
X-Forwarded-Proto for req.ip, req.protocol and the access log's first
field; then a real nginx in front of eider."""
import grp
import hashlib
import http.client
import os
import pwd
import re
import subprocess

from eiderlib import (ipv6_loopback_port, Eider, Shared, fixture, assert_status, free_port, mkdtemp, spawn,
                      wait_listening,
                      _kill_group, wait_until, request_on, http_request, run_eider)

NGINX = "/usr/sbin/nginx"

# No trusted_proxies: forwarded headers mean nothing.
plain = Shared(lambda: Eider(fixture("proxy")))
# 127.0.0.1 trusted (the test client, and nginx); the directive repeats, and
# takes IPv4 and IPv6 ranges.
TRUSTED_CONF = ("trusted_proxies 127.0.0.1;\n"
                "trusted_proxies 10.0.0.0/8 2001:db8:1::/48;\n"
                "trusted_proxies 192.0.2.64/26 fd00:0:8000::/33;")
trusting = Shared(lambda: Eider(fixture("proxy"), extra_conf=TRUSTED_CONF))


def teardown_module():
    plain.close()
    trusting.close()
    front.close()


def echo(srv, headers=None, source=None):
    """GET /echo (source: local address to connect from, e.g. 127.0.0.2)."""
    e = srv.get()
    if source is None:
        r = e.request("GET", "/echo", headers=headers)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", e.port, timeout=10,
                                          source_address=(source, 0))
        try:
            r = request_on(conn, "GET", "/echo", headers=headers)
        finally:
            conn.close()
    assert_status(r, 200, "GET /echo")
    return r, r.json()


def xff(*values):
    """Header list with one X-Forwarded-For line per value."""
    return [("X-Forwarded-For", v) for v in values]


def access_line(e, rid, timeout=5.0):
    """The access log line of the request with id rid (the line's last field)."""
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


# ---------------------------------------------------------------- untrusted peers

FORGED = [("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-For", "198.51.100.4, 10.0.0.1"),
          ("X-Forwarded-Proto", "https")]


def test_untrusted_forged_headers_ignored():
    """No trusted_proxies: whatever the headers say, req.ip is the peer."""
    for h in (FORGED, [("X-Forwarded-For", "2001:db8::1")], [("x-forwarded-for", "127.0.0.9"),
                                                             ("x-forwarded-proto", "HTTPS")]):
        _, j = echo(plain, h)
        assert j["ip"] == "127.0.0.1", "forged %r gave req.ip %r" % (h, j["ip"])
        assert j["protocol"] == "http", "forged %r gave req.protocol %r" % (h, j["protocol"])
        # the header itself still reaches the handler untouched
        assert j["headers"].get("x-forwarded-for"), j["headers"]


def test_untrusted_access_log_has_peer_address():
    r, j = echo(plain, FORGED)
    ln = access_line(plain.get(), j["id"])
    assert ln.split(" ", 1)[0] == "127.0.0.1", \
        "access log first field should be the peer, not a forged address:\n%s" % ln


def test_untrusted_peer_ignored_when_others_are_trusted():
    """trusted_proxies 127.0.0.1: a peer at 127.0.0.2 is not trusted."""
    try:
        _, j = echo(trusting, FORGED, source="127.0.0.2")
    except OSError as e:
        print("    cannot connect from 127.0.0.2 (%s): skipped" % e)
        return
    assert j["ip"] == "127.0.0.2", "untrusted peer 127.0.0.2: req.ip %r" % j["ip"]
    assert j["protocol"] == "http", "untrusted peer 127.0.0.2: req.protocol %r" % j["protocol"]
    ln = access_line(trusting.get(), j["id"])
    assert ln.startswith("127.0.0.2 "), ln


# ---------------------------------------------------------------- trusted peer (127.0.0.1)

def test_trusted_single_address():
    _, j = echo(trusting, xff("203.0.113.7"))
    assert j["ip"] == "203.0.113.7", j["ip"]


def test_trusted_without_header_is_peer():
    _, j = echo(trusting)
    assert j["ip"] == "127.0.0.1", j["ip"]
    assert j["protocol"] == "http", j["protocol"]


def test_trusted_rightmost_untrusted_wins():
    cases = [
        # left-most entries are what the client claimed: not believed
        ("1.1.1.1, 203.0.113.7", "203.0.113.7"),
        # trusted hops on the right (127.0.0.1, 10/8) are skipped
        ("1.1.1.1, 203.0.113.7, 10.2.3.4, 127.0.0.1", "203.0.113.7"),
        ("203.0.113.7,10.0.0.1,10.255.255.254", "203.0.113.7"),
        # an untrusted address right of a trusted one stops the walk there
        ("203.0.113.7, 10.0.0.1, 198.51.100.2", "198.51.100.2"),
        # every hop trusted: the left-most one is the best we know
        ("10.9.9.9, 10.0.0.1, 127.0.0.1", "10.9.9.9"),
        # whitespace variants
        ("  1.1.1.1 ,\t203.0.113.8\t", "203.0.113.8"),
    ]
    for value, want in cases:
        _, j = echo(trusting, xff(value))
        assert j["ip"] == want, "X-Forwarded-For: %r -> req.ip %r, want %r" % (value, j["ip"], want)


def test_trusted_multiple_header_lines_joined_in_order():
    cases = [
        (("1.1.1.1", "203.0.113.7"), "203.0.113.7"),
        (("1.1.1.1, 203.0.113.7", "10.0.0.1", "127.0.0.1"), "203.0.113.7"),
        (("203.0.113.7", "198.51.100.3, 10.0.0.5"), "198.51.100.3"),
        (("198.51.100.3, 10.0.0.5", "203.0.113.7"), "203.0.113.7"),
    ]
    for values, want in cases:
        _, j = echo(trusting, xff(*values))
        assert j["ip"] == want, "X-Forwarded-For lines %r -> req.ip %r, want %r" % (
            values, j["ip"], want)


def test_trusted_garbage_entries():
    """A hop that is not an address ends the walk at the last good hop (the
    peer itself if the right-most entry is bad)."""
    cases = [
        ("unknown", "127.0.0.1"),
        ("", "127.0.0.1"),
        ("not-an-ip, 203.0.113.7", "203.0.113.7"),
        ("203.0.113.7, garbage", "127.0.0.1"),
        ("203.0.113.7, garbage, 10.0.0.1", "10.0.0.1"),
        ("203.0.113.7, 10.0.0.1, 999.1.1.1", "127.0.0.1"),
        ("1.1.1.1, 203.0.113.7:4711", "127.0.0.1"),       # a port is not an address
        ("1.1.1.1, [2001:db8::9]", "127.0.0.1"),          # nor a bracketed IPv6
        ("1.1.1.1,, 203.0.113.7", "203.0.113.7"),
        ("203.0.113.7,10.0.0.1,", "127.0.0.1"),           # empty right-most entry
        ("<script>, 10.0.0.3", "10.0.0.3"),
    ]
    for value, want in cases:
        _, j = echo(trusting, xff(value))
        assert j["ip"] == want, "X-Forwarded-For: %r -> req.ip %r, want %r" % (value, j["ip"], want)


def test_trusted_ipv6_client_addresses():
    cases = [
        ("2001:db8::1", "2001:db8::1"),
        ("1.1.1.1, 2001:db8:abcd::42", "2001:db8:abcd::42"),
        # 2001:db8:1::/48 is trusted: skipped
        ("2001:db8:abcd::42, 2001:db8:1::7", "2001:db8:abcd::42"),
        ("2001:db8:abcd::42, 2001:db8:1:ffff:ffff:ffff:ffff:ffff", "2001:db8:abcd::42"),
        # just outside the /48: the client
        ("2001:db8:abcd::42, 2001:db8:2::7", "2001:db8:2::7"),
        ("fe80::1, 10.0.0.1", "fe80::1"),
        # IPv4 client behind an IPv6 proxy hop
        ("203.0.113.7, 2001:db8:1::1", "203.0.113.7"),
        # an IPv4-mapped 10.x hop is a trusted IPv4 hop
        ("203.0.113.7, ::ffff:10.1.2.3", "203.0.113.7"),
    ]
    for value, want in cases:
        _, j = echo(trusting, xff(value))
        assert j["ip"] == want, "X-Forwarded-For: %r -> req.ip %r, want %r" % (value, j["ip"], want)


def test_trusted_ranges_not_byte_aligned():
    cases = [
        # 192.0.2.64/26: .64 to .127
        ("203.0.113.7, 192.0.2.64", "203.0.113.7"),
        ("203.0.113.7, 192.0.2.127", "203.0.113.7"),
        ("203.0.113.7, 192.0.2.63", "192.0.2.63"),
        ("203.0.113.7, 192.0.2.128", "192.0.2.128"),
        # fd00:0:8000::/33: the top bit of the third group
        ("203.0.113.7, fd00:0:8000::1", "203.0.113.7"),
        ("203.0.113.7, fd00:0:ffff:ffff::1", "203.0.113.7"),
        ("203.0.113.7, fd00:0:7fff:ffff::1", "fd00:0:7fff:ffff::1"),
        ("203.0.113.7, fd00:1:8000::1", "fd00:1:8000::1"),
    ]
    for value, want in cases:
        _, j = echo(trusting, xff(value))
        assert j["ip"] == want, "X-Forwarded-For: %r -> req.ip %r, want %r" % (value, j["ip"], want)


def test_trusted_proxies_config_errors():
    d = mkdtemp()
    conf = os.path.join(d, "eider.conf")
    for bad in ("trusted_proxies 10.0.0.0/33;", "trusted_proxies 300.1.1.1;",
                "trusted_proxies 10.0.0.0/;", "trusted_proxies ::1/129;",
                "trusted_proxies 10.0.0.0/8x;", "trusted_proxies proxy.example;",
                "trusted_proxies;"):
        with open(conf, "w") as f:
            f.write("listen 127.0.0.1:%d;\nhandlers %s;\n%s\n" % (free_port(), fixture("proxy"), bad))
        p = run_eider(["-t", "-c", conf])
        assert p.returncode == 1, "eider -t accepted %r (status %s):\n%s" % (bad, p.returncode, p.stderr)
        assert "%s:3" % conf in p.stderr, "error for %r does not name line 3:\n%s" % (bad, p.stderr)
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nhandlers %s;\n%s\n" % (free_port(), fixture("proxy"),
                                                          "trusted_proxies 10.0.0.0/8 ::1 fd00::/8;\n"
                                                          "trusted_proxies 192.0.2.1 0.0.0.0/0;"))
    p = run_eider(["-t", "-c", conf])
    assert p.returncode == 0, "eider -t refused valid trusted_proxies:\n%s" % p.stderr


def test_trusted_ipv6_full_length_address():
    addr = "2001:0db8:00ab:00cd:00ef:0123:4567:89ab"   # 39 characters, valid
    _, j = echo(trusting, xff("1.1.1.1, " + addr))
    assert j["ip"] in (addr, "2001:db8:ab:cd:ef:123:4567:89ab"), j["ip"]


def test_trusted_forwarded_proto():
    cases = [
        ([("X-Forwarded-Proto", "https")], "https"),
        ([("X-Forwarded-Proto", "HTTPS")], "https"),
        ([("X-Forwarded-Proto", "http")], "http"),
        ([("X-Forwarded-Proto", "http, https")], "https"),   # last value
        ([("X-Forwarded-Proto", "https, http")], "http"),
        ([("X-Forwarded-Proto", "http"), ("X-Forwarded-Proto", "https")], "https"),
        ([("X-Forwarded-Proto", "https"), ("X-Forwarded-Proto", "http")], "http"),
        ([("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")], "https"),
    ]
    for h, want in cases:
        _, j = echo(trusting, h)
        assert j["protocol"] == want, "%r -> req.protocol %r, want %r" % (h, j["protocol"], want)


def test_trusted_access_log_first_field_is_client():
    e = trusting.get()
    for value, want in (("1.1.1.1, 203.0.113.77, 10.0.0.1", "203.0.113.77"),
                        ("2001:db8:abcd::99", "2001:db8:abcd::99"),
                        ("garbage", "127.0.0.1")):
        _, j = echo(trusting, xff(value))
        assert j["ip"] == want, (value, j["ip"])
        ln = access_line(e, j["id"])
        assert ln.split(" ", 1)[0] == want, \
            "X-Forwarded-For %r: access log should start with %s:\n%s" % (value, want, ln)


def test_trusted_entry_with_junk_is_not_an_address():
    """ "198.51.100.9 evil" is not an address: the walk ends at the last good
    hop (here the peer), it does not take the text before the space."""
    for value, want in (("198.51.100.9 evil", "127.0.0.1"),
                        ("203.0.113.7, 10.0.0.1 x", "127.0.0.1"),
                        ("203.0.113.7, 198.51.100.9 evil, 10.0.0.1", "10.0.0.1")):
        _, j = echo(trusting, xff(value))
        assert j["ip"] == want, "X-Forwarded-For: %r -> req.ip %r, want %r" % (value, j["ip"], want)


def test_ipv6_peer():
    """Listening on 127.0.0.1 and [::1] with only ::1 trusted: the IPv6 peer
    is believed, the IPv4 one is not."""
    port = ipv6_loopback_port()
    if port is None:
        return
    e = Eider(fixture("proxy"), listen="127.0.0.1:%d" % port,
              extra_conf="listen [::1]:%d;\ntrusted_proxies ::1;" % port)
    e.port = port
    with e:
        h = [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")]
        conn = http.client.HTTPConnection("::1", port, timeout=10)
        try:
            j = request_on(conn, "GET", "/echo", headers=h).json()
            assert (j["ip"], j["protocol"]) == ("203.0.113.7", "https"), \
                "trusted ::1 peer: req.ip %r, req.protocol %r" % (j["ip"], j["protocol"])
            j = request_on(conn, "GET", "/echo").json()
            assert j["ip"] == "::1", "::1 peer without X-Forwarded-For: req.ip %r" % j["ip"]
            assert access_line(e, j["id"]).startswith("::1 "), e.access_log()[-500:]
        finally:
            conn.close()
        j = e.get("/echo", headers=h).json()
        assert (j["ip"], j["protocol"]) == ("127.0.0.1", "http"), \
            "untrusted 127.0.0.1 peer: req.ip %r, req.protocol %r" % (j["ip"], j["protocol"])


def _padded_to(n, tail):
    """An X-Forwarded-For value of exactly n characters ending with tail,
    padded on the left with one long non-address entry."""
    pad = n - len(tail) - 1
    assert pad > 0
    return "x" * pad + "," + tail


def test_long_chain_right_end_is_kept():
    """The right end of X-Forwarded-For is what the trusted proxies wrote; a
    client that sends a long value must not push it out."""
    for first in ("x" * 3000, "1.1.1.1," * 400 + "1.1.1.1"):
        for headers in (xff(first + ", 203.0.113.7"), xff(first, "203.0.113.7")):
            _, j = echo(trusting, headers)
            assert j["ip"] == "203.0.113.7", \
                "X-Forwarded-For of %d bytes (%d line(s)) ending with the proxy's 203.0.113.7: " \
                "req.ip %r" % (sum(len(v) for _, v in headers), len(headers), j["ip"])


def test_long_chain_cannot_spoof_client():
    """Real client 198.51.100.1 (appended by the trusted proxy) sends a long
    X-Forwarded-For whose first 2047 bytes end in 6.6.6.6: req.ip must be
    198.51.100.1, never the forged 6.6.6.6."""
    forged = _padded_to(2047, "6.6.6.6")
    for headers in (xff(forged + ", 198.51.100.1"), xff(forged, "198.51.100.1")):
        _, j = echo(trusting, headers)
        assert j["ip"] != "6.6.6.6", \
            "client spoofed req.ip 6.6.6.6 with a %d-byte X-Forwarded-For (%d line(s)): the " \
            "proxy-appended 198.51.100.1 on the right was dropped" % (
                sum(len(v) for _, v in headers), len(headers))
        assert j["ip"] == "198.51.100.1", j["ip"]


# ---------------------------------------------------------------- real nginx in front

class Nginx:
    """nginx proxying 127.0.0.1:NPORT to eider on upstream_port, keep-alive
    upstream, X-Forwarded-For/-Proto set the usual way."""

    def __init__(self, upstream_port):
        self.tmp = mkdtemp(prefix="eider-nginx-")
        self.port = free_port()
        self.upstream_port = upstream_port
        self.conf = os.path.join(self.tmp, "nginx.conf")
        self.error_log_path = os.path.join(self.tmp, "error.log")
        self.pid_path = os.path.join(self.tmp, "nginx.pid")
        self.proc = None

    def config_text(self):
        temps = ""
        for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            d = os.path.join(self.tmp, k)
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o777)   # nginx's workers may run as nobody
            temps += "    %s_temp_path %s;\n" % (k, d)
        user = ""
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            user = "user nobody %s;\n" % grp.getgrgid(nobody.pw_gid).gr_name
        return (user +
                "worker_processes 1;\n"
                "pid %s;\n" % self.pid_path +
                "error_log %s warn;\n" % self.error_log_path +
                "events { worker_connections 256; }\n"
                "http {\n"
                "    access_log %s;\n" % os.path.join(self.tmp, "access.log") + temps +
                "    client_max_body_size 4m;\n"
                "    client_body_buffer_size 1m;\n"
                "    upstream eider_up {\n"
                "        server 127.0.0.1:%d;\n" % self.upstream_port +
                "        keepalive 8;\n"
                "    }\n"
                "    server {\n"
                "        listen 127.0.0.1:%d;\n" % self.port +
                "        location / {\n"
                "            proxy_pass http://eider_up;\n"
                "            proxy_http_version 1.1;\n"
                "            proxy_set_header Connection \"\";\n"
                "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                "            proxy_set_header X-Forwarded-Proto $scheme;\n"
                "        }\n"
                "    }\n"
                "}\n")

    def start(self):
        with open(self.conf, "w") as f:
            f.write(self.config_text())
        self._out = open(os.path.join(self.tmp, "stdout.txt"), "wb")
        self.proc = spawn([NGINX, "-p", self.tmp + "/", "-e", self.error_log_path,
                           "-c", self.conf, "-g", "daemon off;"],
                          stdout=self._out, stderr=subprocess.STDOUT)
        wait_listening(self.proc, self.port, "nginx", self.diagnostics)
        return self

    def diagnostics(self):
        out = []
        for name in ("stdout.txt", "error.log"):
            try:
                with open(os.path.join(self.tmp, name), "rb") as f:
                    out.append("--- nginx %s ---\n%s" % (name, f.read()[-2000:].decode("utf-8", "replace")))
            except FileNotFoundError:
                pass
        return "\n".join(out)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        _kill_group(self.proc, grace=1.0)
        self._out.close()
        self.proc = None

    def request(self, method, path, body=None, headers=None, timeout=10):
        return http_request(self.port, method, path, body, headers, timeout)


def established_to(port):
    """Number of established TCP connections whose remote end is 127.0.0.1:port
    (the proxy's side of its upstream connections)."""
    out = subprocess.run(["ss", "-Htn", "state", "established", "dst", "127.0.0.1:%d" % port],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
    assert out.returncode == 0, "ss failed: %s" % out.stderr.decode()
    return len([ln for ln in out.stdout.decode().splitlines() if ln.strip()])


def time_wait_with(port):
    """Number of TIME-WAIT sockets with 127.0.0.1:port at either end."""
    n = 0
    for flt in ("dst", "src"):
        out = subprocess.run(["ss", "-Htn", "state", "time-wait", flt, "127.0.0.1:%d" % port],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=10)
        n += len([ln for ln in out.stdout.decode().splitlines() if ln.strip()])
    return n


class Front:
    """eider (trusted_proxies 127.0.0.1) with nginx in front, started on
    first use and shared by the nginx tests."""

    def __init__(self):
        self.e = self.ng = None
        self.error = None

    def get(self):
        """(eider, nginx), or None if nginx is not installed."""
        if not os.path.exists(NGINX):
            print("    %s is missing (CI installs nginx-light): nginx test skipped" % NGINX)
            return None
        if self.error:
            raise AssertionError("eider+nginx failed to start earlier: %s" % self.error)
        if self.e is None:
            try:
                self.e = Eider(fixture("proxy"), extra_conf="trusted_proxies 127.0.0.1;").start()
                self.ng = Nginx(self.e.port).start()
            except AssertionError as ex:
                self.error = str(ex).splitlines()[0]
                raise
        assert self.ng.proc.poll() is None, "nginx died\n%s" % self.ng.diagnostics()
        return self.e, self.ng

    def close(self):
        if self.ng:
            self.ng.stop()
        if self.e:
            self.e.cleanup()
        self.e = self.ng = None


front = Front()


def nginx_case(fn):
    """Runs fn(eider, nginx); adds nginx's error log to a failure."""
    def run():
        pair = front.get()
        if pair is None:
            return
        try:
            fn(*pair)
        except AssertionError as ex:
            raise AssertionError("%s\n%s" % (ex, pair[1].diagnostics()))
    run.__name__ = fn.__name__
    return run


def via_nginx_from(ng, source, path, headers=None):
    """GET through nginx from local address source (e.g. 127.0.0.2)."""
    conn = http.client.HTTPConnection("127.0.0.1", ng.port, timeout=10,
                                      source_address=(source, 0))
    try:
        return request_on(conn, "GET", path, headers=headers)
    finally:
        conn.close()


@nginx_case
def test_nginx_forwarded_for(e, ng):
    # the client's own X-Forwarded-For: nginx appends 127.0.0.1 (the test
    # client), which is trusted and skipped: the walk lands on 203.0.113.7.
    r = ng.request("GET", "/echo", headers={"X-Forwarded-For": "203.0.113.7",
                                            "X-Forwarded-Proto": "https"})
    assert_status(r, 200, "GET /echo through nginx")
    j = r.json()
    assert j["xff"] == "203.0.113.7, 127.0.0.1", "nginx sent X-Forwarded-For %r" % j["xff"]
    assert j["ip"] == "203.0.113.7", "through nginx with client XFF: req.ip %r" % j["ip"]
    # nginx replaced the client's X-Forwarded-Proto with $scheme (http)
    assert j["protocol"] == "http", "through nginx: req.protocol %r" % j["protocol"]
    ln = access_line(e, j["id"])
    assert ln.split(" ", 1)[0] == "203.0.113.7", ln

    # without a client header: X-Forwarded-For is just 127.0.0.1
    r = ng.request("GET", "/echo")
    assert_status(r, 200)
    j = r.json()
    assert j["xff"] == "127.0.0.1", j["xff"]
    assert j["ip"] == "127.0.0.1", "through nginx, no client XFF: req.ip %r" % j["ip"]
    assert j["protocol"] == "http", j["protocol"]
    ln = access_line(e, j["id"])
    assert ln.split(" ", 1)[0] == "127.0.0.1", ln


@nginx_case
def test_nginx_untrusted_client(e, ng):
    """A client at 127.0.0.2 (not trusted) through nginx: nginx appends
    127.0.0.2, which is where the walk stops; its own claims are ignored."""
    try:
        r = via_nginx_from(ng, "127.0.0.2", "/echo", {"X-Forwarded-For": "203.0.113.7"})
    except OSError as ex:
        print("    cannot connect from 127.0.0.2 (%s): skipped" % ex)
        return
    assert_status(r, 200)
    j = r.json()
    assert j["xff"] == "203.0.113.7, 127.0.0.2", j["xff"]
    assert j["ip"] == "127.0.0.2", "untrusted client via nginx: req.ip %r" % j["ip"]
    ln = access_line(e, j["id"])
    assert ln.split(" ", 1)[0] == "127.0.0.2", ln


@nginx_case
def test_nginx_long_forwarded_for_cannot_spoof(e, ng):
    """The same untrusted client sends an X-Forwarded-For whose first 2047
    bytes end in 6.6.6.6; nginx appends ", 127.0.0.2". req.ip must stay
    127.0.0.2."""
    forged = _padded_to(2047, "6.6.6.6")
    try:
        r = via_nginx_from(ng, "127.0.0.2", "/echo", {"X-Forwarded-For": forged})
    except OSError as ex:
        print("    cannot connect from 127.0.0.2 (%s): skipped" % ex)
        return
    assert_status(r, 200)
    j = r.json()
    assert j["xff"] == forged + ", 127.0.0.2", "nginx did not append the client address"
    assert j["ip"] == "127.0.0.2", \
        "untrusted client 127.0.0.2 spoofed req.ip %r through nginx with a %d-byte " \
        "X-Forwarded-For" % (j["ip"], len(forged))


@nginx_case
def test_nginx_headers_and_body(e, ng):
    r = ng.request("GET", "/echo?q=1", headers={"X-Custom-Thing": "Foo Bar", "User-Agent": "eider-px"})
    assert_status(r, 200)
    j = r.json()
    assert j["headers"].get("x-custom-thing") == "Foo Bar", j["headers"]
    assert j["headers"].get("user-agent") == "eider-px", j["headers"]
    assert r.headers.get("x-echo-marker") == "proxied-through", r.headers
    assert re.fullmatch(r"[0-9a-f]{16}", r.headers.get("x-request-id", "")), r.headers
    assert r.headers["x-request-id"] == j["id"], (r.headers, j["id"])

    # a 100 KB body passes through intact
    body = os.urandom(100 * 1024)
    r = ng.request("POST", "/body", body=body, headers={"Content-Type": "application/octet-stream"})
    assert_status(r, 200, "POST /body through nginx")
    j = r.json()
    assert j == {"length": len(body), "sha256": hashlib.sha256(body).hexdigest()}, \
        "100 KB body through nginx: %r, want length %d sha256 %s" % (
            j, len(body), hashlib.sha256(body).hexdigest())

    # eider's own errors come back through nginx unchanged
    r = ng.request("GET", "/no-such-route")
    assert_status(r, 404)
    assert r.json().get("status") == 404, r.body


@nginx_case
def test_nginx_upstream_keepalive(e, ng):
    """50 sequential requests through nginx: all logged by eider, over a few
    reused upstream connections."""
    tw0 = time_wait_with(e.port)
    marker = "burst%d" % os.getpid()
    conn = http.client.HTTPConnection("127.0.0.1", ng.port, timeout=10)
    try:
        for i in range(50):
            r = request_on(conn, "GET", "/echo?%s=%d" % (marker, i))
            assert_status(r, 200, "request %d of 50 through nginx" % i)
            assert r.json()["ip"] == "127.0.0.1", r.json()["ip"]
    finally:
        conn.close()
    est = established_to(e.port)
    tw = time_wait_with(e.port) - tw0
    wait_until(lambda: e.access_log().count(marker) >= 50, 5,
               msg="50 access log lines (have %d)" % e.access_log().count(marker))
    lines = [ln for ln in e.access_log().splitlines() if marker in ln]
    assert len(lines) == 50, "eider logged %d of 50 requests through nginx" % len(lines)
    assert all(ln.startswith("127.0.0.1 ") for ln in lines), lines[:3]
    assert 1 <= est <= 4, \
        "after 50 sequential requests, %d established nginx->eider connections " \
        "(keep-alive: expected 1 to 4)" % est
    assert tw <= 4, "%d new TIME-WAIT connections with eider's port: upstream " \
                    "connections were not reused" % tw
