"""fetch(): the HTTP/1.1 and HTTPS client on the worker's loop, against
upstreams started here (Python http.server, plain and TLS with a test CA,
and a second eider)."""
import http.server
import json
import os
import re
import socket
import ssl
import subprocess
import threading
import time

from eiderlib import (Eider, LifeEider, Shared, wait_until, fixture, assert_status, free_port, mkdtemp, run_eider,
                      http_request, slowdown, srcdir)

MAIN = fixture(os.path.join("fetch", "main"))
MAX_RESPONSE = 64 * 1024          # fetch_max_response_size of the main instance


def version():
    with open(os.path.join(srcdir(), "configure.ac")) as f:
        return re.search(r"AC_INIT\(\[eider\],\s*\[([^\]]+)\]", f.read()).group(1)


# ------------------------------------------------------------ upstreams

class Upstream(http.server.BaseHTTPRequestHandler):
    """Routes (any method):
    /len?n=N       N bytes ("abc..." repeated) with Content-Length
    /chunked       chunked encoding written by hand, with a trailer
    /close         HTTP/1.0 style: no length, body until the server closes
    /slow?ms=N     answers "slow" after N ms
    /r301, /r302   redirect to /len?n=5;   /rel/a/b   redirect to ../target
    /see-other     303 to /echo;  /r307, /r308  to /echo keeping the method
    /loop          redirects to itself;  /chain?n=K  K redirects, then /len
    /big?n=N       N bytes, chunked (no length known up front)
    /echo          JSON: method, path, headers (pairs), body (hex)
    /status/N      status N (204/304 without body), reason "Custom Reason"
    /bytes?hex=H   the bytes H;  /json  a JSON body;  /connclose  keep-alive refused
    """
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def setup(self):
        http.server.BaseHTTPRequestHandler.setup(self)
        with self.server.lock:
            self.server.connections += 1

    def query(self):
        q = {}
        if "?" in self.path:
            for part in self.path.split("?", 1)[1].split("&"):
                k, _, v = part.partition("=")
                q[k] = v
        return q

    def send(self, status, body=b"", headers=(), reason=None):
        self.send_response(status, reason)
        for k, v in headers:
            self.send_header(k, v)
        if status not in (204, 304) and not any(k.lower() == "content-length" for k, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def redirect(self, status, location):
        self.send(status, b"moved", [("Location", location)])

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        path = self.path.split("?", 1)[0]
        q = self.query()
        with self.server.lock:
            self.server.requests.append((self.command, self.path))
        if path == "/len":
            data = (b"abcdefghijklmnopqrstuvwxyz" * (int(q.get("n", 5)) // 26 + 1))[:int(q.get("n", 5))]
            self.send(200, data, [("Content-Type", "text/plain"), ("X-Test", "One"),
                                  ("X-Test", "Two")])
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Trailer")
            self.end_headers()
            self.wfile.write(b"5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nchunks\r\n0\r\nX-Trailer: t\r\n\r\n")
        elif path == "/close":
            self.close_connection = True
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
                             b"delimited by close")
        elif path == "/slow":
            time.sleep(int(q.get("ms", 200)) / 1000.0)
            self.send(200, b"slow")
        elif path in ("/r301", "/r302"):
            self.redirect(int(path[2:]), "/len?n=5")
        elif path == "/rel/a/b":
            self.redirect(302, "../target?x=1")
        elif path == "/rel/target":
            self.send(200, b"relative ok")
        elif path == "/see-other":
            self.redirect(303, "/echo")
        elif path in ("/r307", "/r308"):
            self.redirect(int(path[2:]), "/echo")
        elif path == "/loop":
            self.redirect(302, "/loop")
        elif path == "/chain":
            k = int(q.get("n", 1))
            self.redirect(302, "/chain?n=%d" % (k - 1) if k > 1 else "/len?n=5")
        elif path == "/big":
            n = int(q.get("n", 1000))
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                while n > 0:
                    c = min(n, 8192)
                    self.wfile.write(b"%x\r\n%s\r\n" % (c, b"x" * c))
                    n -= c
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                self.close_connection = True
        elif path == "/echo":
            out = {"method": self.command, "path": self.path,
                   "headers": [[k, v] for k, v in self.headers.items()], "body": body.hex()}
            self.send(200, json.dumps(out).encode(), [("Content-Type", "application/json")])
        elif path.startswith("/status/"):
            self.send(int(path[8:]), b"status body", [], "Custom Reason")
        elif path == "/bytes":
            self.send(200, bytes.fromhex(q.get("hex", "")))
        elif path == "/json":
            self.send(200, b'{"a": [1, "two", null], "b": {"c": true}}',
                      [("Content-Type", "application/json")])
        elif path == "/connclose":
            self.send(200, b"bye", [("Connection", "close")])
            self.close_connection = True
        else:
            self.send(404, b"not found")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


class QuietServer(http.server.ThreadingHTTPServer):
    request_queue_size = 512     # the concurrency test connects 200 at once

    def handle_error(self, request, client_address):
        pass   # failed TLS handshakes are what some tests want


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 in a thread; tls=(cert, key) serves HTTPS."""

    def __init__(self, tls=None, host="127.0.0.1"):
        cls = QuietServer
        if ":" in host:
            cls = type("QuietServer6", (QuietServer,), {"address_family": socket.AF_INET6})
        self.httpd = cls((host, 0), Upstream)
        self.httpd.daemon_threads = True
        self.httpd.lock = threading.Lock()
        self.httpd.connections = 0
        self.httpd.requests = []
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True,
                                                do_handshake_on_connect=False)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path, host="127.0.0.1", scheme="http"):
        return "%s://%s:%d%s" % (scheme, host, self.port, path)

    @property
    def connections(self):
        with self.httpd.lock:
            return self.httpd.connections

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Lazy:
    def __init__(self, factory):
        self.factory, self.value = factory, None

    def get(self):
        if self.value is None:
            self.value = self.factory()
        return self.value


def make_certs():
    """A CA, a server certificate for 127.0.0.1 and localhost signed by it,
    and one for another name. Returns the paths."""
    d = mkdtemp("eider-fetch-tls-")
    p = {k: os.path.join(d, k) for k in ("ca.pem", "ca.key", "srv.pem", "srv.key",
                                         "wrong.pem", "wrong.key", "ext.cnf", "wext.cnf")}

    def run(*args):
        subprocess.run(["openssl"] + list(args), check=True, capture_output=True, timeout=60)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run("req", "-x509", *ec, "-keyout", p["ca.key"], "-out", p["ca.pem"], "-days", "2",
        "-subj", "/CN=eider fetch test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, san in (("srv", "DNS:localhost,IP:127.0.0.1"), ("wrong", "DNS:wrong.example")):
        ext = p["ext.cnf" if name == "srv" else "wext.cnf"]
        with open(ext, "w") as f:
            f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                    "extendedKeyUsage=serverAuth\n" % san)
        csr = os.path.join(d, name + ".csr")
        run("req", "-new", *ec, "-keyout", p[name + ".key"], "-out", csr, "-subj", "/CN=" + name)
        run("x509", "-req", "-in", csr, "-CA", p["ca.pem"], "-CAkey", p["ca.key"],
            "-CAcreateserial", "-out", p[name + ".pem"], "-days", "2", "-extfile", ext)
    for f in p.values():
        os.chmod(f, 0o644)
    return p


plain = Lazy(Server)
certs = Lazy(make_certs)
tls = Lazy(lambda: Server(tls=(certs.get()["srv.pem"], certs.get()["srv.key"])))
tls_wrong = Lazy(lambda: Server(tls=(certs.get()["wrong.pem"], certs.get()["wrong.key"])))

srv = Shared(lambda: Eider(MAIN, extra_conf="fetch_max_response_size %d;\nfetch_timeout 1s;"
                           % MAX_RESPONSE))
srv_ca = Shared(lambda: Eider(MAIN, extra_conf="fetch_ca_file %s;" % certs.get()["ca.pem"]))
upstream_eider = Shared(lambda: Eider(MAIN, extra_conf="keepalive_timeout 1s;"))


def teardown_module():
    for s in (srv, srv_ca, upstream_eider):
        s.close()
    for lz in (plain, tls, tls_wrong):
        if lz.value is not None:
            lz.value.close()


def run_fetch(spec, inst=None, timeout=20):
    r = (inst or srv).get().request("POST", "/do", body=json.dumps(spec),
                                    headers={"Content-Type": "application/json"},
                                    timeout=timeout)
    assert_status(r, 200, "POST /do %r" % spec)
    return r.json()


def fetched(url, inst=None, **spec):
    spec["url"] = url
    j = run_fetch(spec, inst)
    assert "error" not in j, "fetch(%s) failed: %r" % (url, j["error"])
    return j


def failed(url, inst=None, **spec):
    spec["url"] = url
    j = run_fetch(spec, inst)
    assert "error" in j, "fetch(%s) should have failed: %r" % (url, j)
    assert j["error"]["name"] == "TypeError" and j["error"]["isTypeError"], j
    return j["error"]["message"]


# ---------------------------------------------------------------- bodies

def test_content_length_body_and_response_fields():
    j = fetched(plain.get().url("/len?n=40"), get=["Content-Type", "x-test", "X-None"])
    assert j["status"] == 200 and j["statusText"] == "OK" and j["ok"] is True, j
    assert j["body"] == ("abcdefghijklmnopqrstuvwxyz" * 2)[:40], j
    assert j["url"] == plain.get().url("/len?n=40") and j["redirected"] is False, j
    assert j["get"] == {"Content-Type": "text/plain", "x-test": "One, Two", "X-None": None}, j
    assert j["has"] == {"Content-Type": True, "x-test": True, "X-None": False}, j
    assert j["headers"]["content-length"] == "40", j["headers"]
    assert j["bodyUsed"] is True, j


def test_chunked_body():
    j = fetched(plain.get().url("/chunked"))
    assert j["body"] == "hello chunks", j


def test_close_delimited_body():
    j = fetched(plain.get().url("/close"))
    assert j["status"] == 200 and j["body"] == "delimited by close", j


def test_empty_bodies_head_204_304():
    j = fetched(plain.get().url("/len?n=30"), init={"method": "HEAD"})
    assert j["status"] == 200 and j["body"] == "" and j["headers"]["content-length"] == "30", j
    for code in (204, 304):
        j = fetched(plain.get().url("/status/%d" % code))
        assert j["status"] == code and j["body"] == "", j
    # the connection is still in step afterwards
    assert fetched(plain.get().url("/len?n=3"))["body"] == "abc"


def test_status_text_and_not_ok():
    j = fetched(plain.get().url("/status/404"))
    assert j["status"] == 404 and j["ok"] is False and j["statusText"] == "Custom Reason", j
    assert j["body"] == "status body", j


def test_json_and_array_buffer():
    j = fetched(plain.get().url("/json"), read="json")
    assert j["body"] == {"a": [1, "two", None], "b": {"c": True}}, j
    j = fetched(plain.get().url("/bytes?hex=00ff10c3"), read="arrayBuffer")
    assert j["isArrayBuffer"] is True and j["byteLength"] == 4 and j["hex"] == "00ff10c3", j


def test_invalid_json_rejects():
    j = fetched(plain.get().url("/len?n=5"), read="json")
    assert j.get("readError", {}).get("name") == "SyntaxError", j


def test_text_utf8_and_replacement_character():
    j = fetched(plain.get().url("/bytes?hex=" + "h\u00e9llo \u2713".encode().hex()))
    assert j["body"] == "h\u00e9llo \u2713", j
    j = fetched(plain.get().url("/bytes?hex=6f6bff2121"))
    assert j["body"] == "ok\ufffd!!", j


def test_body_read_twice_rejects():
    j = fetched(plain.get().url("/len?n=5"), readTwice=True)
    assert j["body"] == "abcde" and j["second"].startswith("TypeError"), j


def test_response_too_large():
    msg = failed(plain.get().url("/len?n=%d" % (MAX_RESPONSE + 1)))
    assert "fetch failed: response too large" in msg, msg
    msg = failed(plain.get().url("/big?n=%d" % (MAX_RESPONSE * 3)))
    assert "fetch failed: response too large" in msg, msg
    j = fetched(plain.get().url("/len?n=%d" % MAX_RESPONSE), read="arrayBuffer")
    assert j["byteLength"] == MAX_RESPONSE, j


# --------------------------------------------------------------- requests

def echo(inst=None, **spec):
    j = fetched(plain.get().url("/echo"), inst, **spec)
    e = json.loads(j["body"])
    h = {}
    for k, v in e["headers"]:
        h[k.lower()] = h[k.lower()] + ", " + v if k.lower() in h else v
    e["headers"] = h
    return j, e


def test_default_request_headers():
    _, e = echo()
    h = e["headers"]
    assert e["method"] == "GET" and e["body"] == "", e
    assert h["host"] == "127.0.0.1:%d" % plain.get().port, h
    assert h["user-agent"] == "eider/" + version(), h
    assert h["connection"].lower() == "keep-alive", h
    assert "content-length" not in h, h


def test_method_headers_and_string_body():
    _, e = echo(init={"method": "post", "body": "h\u00e9llo",
                      "headers": {"X-One": "1", "User-Agent": "mine/2"}})
    h = e["headers"]
    assert e["method"] == "POST", e
    assert bytes.fromhex(e["body"]) == "h\u00e9llo".encode(), e
    assert h["content-length"] == str(len("h\u00e9llo".encode())), h
    assert h["content-type"] == "text/plain;charset=UTF-8", h
    assert h["x-one"] == "1" and h["user-agent"] == "mine/2", h


def test_header_pairs_and_binary_bodies():
    data = bytes(range(256))
    for kind in ("buffer", "uint8"):
        _, e = echo(init={"method": "PUT", "headers": [["X-Pair", "a"], ["x-pair", "b"],
                                                      ["Content-Type", "application/x-bin"]]},
                    bodyHex=data.hex(), bodyKind=kind)
        assert e["method"] == "PUT" and e["body"] == data.hex(), (kind, e)
        assert e["headers"]["x-pair"] == "a, b", e["headers"]
        assert e["headers"]["content-type"] == "application/x-bin", e["headers"]
        assert e["headers"]["content-length"] == "256", e["headers"]


def test_post_without_body_sends_zero_length():
    _, e = echo(init={"method": "POST"})
    assert e["method"] == "POST" and e["headers"].get("content-length") == "0", e


def test_api_checks_without_network():
    r = srv.get().get("/api")
    assert_status(r, 200)
    j = r.json()
    assert j["globals"] == ["function", "function", "function"], j
    assert j["get"] == "text/plain" and j["multi"] == "a, b" and j["missing"] is None, j
    assert j["has"] == [True, False] and j["setCookie"] == ["a=1", "b=2"], j
    assert j["forEach"] == ["content-type=text/plain", "set-cookie=a=1", "set-cookie=b=2",
                            "x-multi=a, b"], j
    assert j["afterSet"] == ["c", False] and j["fromPairs"] == "1, 2" and j["copy"] == "c", j
    for k in ("badName", "badValue", "noNew"):
        assert j[k].startswith("TypeError"), (k, j[k])
    assert j["response"] == [201, "Made", True, "1", "text/plain;charset=UTF-8", False], j
    assert j["notOk"] is False and j["badStatus"].startswith("RangeError"), j
    assert j["text"] == {"value": "h\u00e9llo"}, j
    assert j["textAgain"]["error"].startswith("TypeError"), j
    assert j["json"] == {"value": {"a": [1, 2]}}, j
    assert j["badJson"]["error"].startswith("SyntaxError"), j
    assert j["bytes"] == {"value": [True, "0102ff"]}, j
    assert j["clone"] == {"value": "twice+twice"}, j
    for k in ("getWithBody", "badRedirect", "badUrl", "badScheme", "badMethod", "badTimeout",
              "credentials"):
        assert j[k].get("error", "").startswith("TypeError"), (k, j[k])
    assert j["isPromise"] == {"value": True}, j


# --------------------------------------------------------------- redirects

def test_redirect_301_302_followed():
    for code in (301, 302):
        j = fetched(plain.get().url("/r%d" % code))
        assert j["status"] == 200 and j["body"] == "abcde", j
        assert j["redirected"] is True and j["url"] == plain.get().url("/len?n=5"), j


def test_redirect_relative_location():
    j = fetched(plain.get().url("/rel/a/b"))
    assert j["body"] == "relative ok" and j["url"] == plain.get().url("/rel/target?x=1"), j


def test_redirect_303_post_becomes_get():
    j, e = None, None
    j = fetched(plain.get().url("/see-other"), init={"method": "POST", "body": "payload"})
    e = json.loads(j["body"])
    hdrs = {k.lower() for k, _ in e["headers"]}
    assert e["method"] == "GET" and e["body"] == "", e
    assert "content-length" not in hdrs and "content-type" not in hdrs, e


def test_redirect_307_308_keep_method_and_body():
    for code in (307, 308):
        j = fetched(plain.get().url("/r%d" % code), init={"method": "POST", "body": "keep me"})
        e = json.loads(j["body"])
        assert e["method"] == "POST" and bytes.fromhex(e["body"]) == b"keep me", (code, e)


def test_redirect_limit():
    msg = failed(plain.get().url("/loop"))
    assert "fetch failed: too many redirects" in msg, msg
    j = fetched(plain.get().url("/chain?n=20"))
    assert j["body"] == "abcde" and j["redirected"] is True, j
    msg = failed(plain.get().url("/chain?n=21"))
    assert "too many redirects" in msg, msg


def test_redirect_modes_error_and_manual():
    msg = failed(plain.get().url("/r302"), init={"redirect": "error"})
    assert "redirect" in msg, msg
    j = fetched(plain.get().url("/r301"), init={"redirect": "manual"}, get=["location"])
    assert j["status"] == 301 and j["get"]["location"] == "/len?n=5", j
    assert j["redirected"] is False, j


# ------------------------------------------------------------------ errors

def refused_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_refused():
    msg = failed("http://127.0.0.1:%d/" % refused_port())
    assert "fetch failed: connection refused" in msg, msg


def test_timeout_option():
    j = run_fetch({"url": plain.get().url("/slow?ms=2000"), "init": {"timeout": 300}})
    assert "error" in j and "fetch failed: timed out after 300 ms" in j["error"]["message"], j
    assert j["ms"] < 1500, j


def test_configured_fetch_timeout():
    j = run_fetch({"url": plain.get().url("/slow?ms=3000")})
    assert "error" in j and "fetch failed: timed out after 1000 ms" in j["error"]["message"], j


def test_dns_failure():
    # The resolver answers NXDOMAIN, or (no network) gives up: either way the
    # message names the host (or, at worst, the timeout).
    j = run_fetch({"url": "http://no-such-host.invalid/", "init": {"timeout": 15000}}, timeout=30)
    msg = j["error"]["message"]
    assert ("fetch failed: DNS lookup failed for no-such-host.invalid" in msg
            or "timed out after 15000 ms" in msg), msg


def test_localhost_name():
    j = fetched(plain.get().url("/len?n=3", host="localhost"))
    assert j["body"] == "abc", j


def test_ipv6_literal():
    try:
        up = Server(host="::1")
    except OSError as e:
        print("    no IPv6 loopback (%s): skipped" % e)
        return
    try:
        j = fetched("http://[::1]:%d/echo" % up.port)
        e = json.loads(j["body"])
        host = [v for k, v in e["headers"] if k.lower() == "host"]
        assert host == ["[::1]:%d" % up.port], e
        assert j["url"] == "http://[::1]:%d/echo" % up.port, j
    finally:
        up.close()


def test_fetch_rejects_in_config_check():
    d = mkdtemp()
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nhandlers %s;\nerror_log stderr debug;\n"
                % (free_port(), fixture(os.path.join("fetch", "check"))))
    r = run_eider(["-t", "-c", conf], timeout=20)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "FETCH-CHECK resolved" not in out, out
    # If the check drains microtasks, the rejection says why.
    for line in re.findall(r"FETCH-CHECK .*", out):
        assert "TypeError" in line and "unavailable while checking" in line, out


# -------------------------------------------------------------- keep-alive

def test_keep_alive_reuses_connections():
    up = Server()
    try:
        for i in range(10):
            j = fetched(up.url("/len?n=%d" % (i + 1)))
            assert len(j["body"]) == i + 1, j
        assert up.connections <= 2, "10 sequential fetches used %d connections" % up.connections
    finally:
        up.close()


def test_connection_close_not_reused():
    up = Server()
    try:
        for _ in range(3):
            assert fetched(up.url("/connclose"))["body"] == "bye"
        assert up.connections == 3, up.connections
        for _ in range(3):
            assert fetched(up.url("/close"))["body"] == "delimited by close"
        assert up.connections == 6, up.connections
    finally:
        up.close()


def test_second_eider_upstream_and_stale_connection():
    up = upstream_eider.get()
    j = fetched("http://127.0.0.1:%d/echo?x=1" % up.port,
                init={"method": "PATCH", "body": "to eider", "headers": {"X-From": "fetch"}})
    e = json.loads(j["body"])
    assert e["method"] == "PATCH" and e["url"] == "/echo?x=1", e
    assert e["headers"]["x-from"] == "fetch" and bytes.fromhex(e["body"]) == b"to eider", e
    assert fetched("http://127.0.0.1:%d/sleep?ms=50" % up.port)["body"] == "slept 50"
    # The upstream closes the idle connection (keepalive_timeout 1s): the
    # next fetch must not fail on it.
    time.sleep(1.5)
    assert fetched("http://127.0.0.1:%d/sleep?ms=10" % up.port)["body"] == "slept 10"


def quote_url(url):
    return url.replace(":", "%3A").replace("/", "%2F").replace("?", "%3F").replace("=", "%3D")


def test_reload_with_fetch_in_flight():
    """An old worker that stops with a fetch still running frees it and
    exits cleanly; the new worker fetches."""
    up = Server()
    e = LifeEider(MAIN, extra_conf="worker_shutdown_timeout 2s;")
    e.start()
    try:
        old = e.worker_pids()
        r = e.get("/background?u=" + quote_url(up.url("/slow?ms=4000")))
        assert_status(r, 200)
        wait_until(lambda: any(p.startswith("/slow") for _, p in up.httpd.requests), 5,
                   msg="the fetch to reach the upstream")
        e.reload()
        e.wait_new_workers(old, 1)
        log = e.error_log()
        assert not re.search(r"worker %d (was killed|exited with)" % old[0], log), log[-3000:]
        assert "background fetch" not in log, log[-3000:]
        j = fetched(up.url("/len?n=4"), inst=Lazy(lambda: e))
        assert j["body"] == "abcd", j
    finally:
        e.cleanup()
        up.close()


def test_concurrent_fetches_do_not_block_the_worker():
    up = Server()
    n, results, lock = 200, [], threading.Lock()
    url = "/proxy?u=" + quote_url(up.url("/slow?ms=200"))
    inst = srv.get()

    def one():
        try:
            r = http_request(inst.port, "GET", url, timeout=30)
            out = (r.status, r.body)
        except Exception as e:   # recorded, then asserted on
            out = ("error", repr(e))
        with lock:
            results.append(out)

    try:
        threads = [threading.Thread(target=one) for _ in range(n)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        elapsed = time.time() - t0
        bad = [x for x in results if x != (200, b"slow")]
        assert len(results) == n and not bad, "%d/%d failed: %r" % (len(bad), n, bad[:5])
        # one after the other: 40 s (x slowdown(): a sanitizer build spends
        # longer on each request's own work)
        assert elapsed < 5.0 * slowdown(), "%d concurrent 200 ms fetches took %.2fs" % (n, elapsed)
        print("    %d concurrent fetches of a 200 ms upstream: %.2fs, %d upstream connections"
              % (n, elapsed, up.connections))
    finally:
        up.close()


# ------------------------------------------------------------------- HTTPS

def test_https_verified_with_ca_file():
    for host in ("127.0.0.1", "localhost"):
        j = fetched(tls.get().url("/len?n=7", host=host, scheme="https"), srv_ca)
        assert j["status"] == 200 and j["body"] == "abcdefg", (host, j)
    # keep-alive over TLS too
    before = tls.get().connections
    for _ in range(3):
        fetched(tls.get().url("/len?n=1", scheme="https"), srv_ca)
    assert tls.get().connections - before <= 1, (before, tls.get().connections)


def test_https_redirect_and_post():
    j = fetched(tls.get().url("/r307", scheme="https"), srv_ca,
                init={"method": "POST", "body": "secret"})
    e = json.loads(j["body"])
    assert e["method"] == "POST" and bytes.fromhex(e["body"]) == b"secret", e


def test_https_unknown_ca_fails():
    msg = failed(tls.get().url("/len?n=3", scheme="https"))
    assert "fetch failed: TLS certificate verification failed" in msg, msg


def test_https_host_name_mismatch_fails():
    for host in ("localhost", "127.0.0.1"):
        msg = failed(tls_wrong.get().url("/len?n=3", host=host, scheme="https"), srv_ca)
        assert "TLS certificate verification failed" in msg and "mismatch" in msg, (host, msg)


def test_https_to_plain_port_fails():
    msg = failed(plain.get().url("/len", scheme="https"), srv_ca)
    assert "fetch failed: TLS" in msg, msg
