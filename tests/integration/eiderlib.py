"""Helpers for eider integration tests (stdlib only).

Environment:
  EIDER_BIN       path of the eider binary (default $EIDER_BUILDDIR/framework/eider)
  EIDER_SRCDIR    source tree (default: two levels above this file)
  EIDER_BUILDDIR  build tree (default: EIDER_SRCDIR)
"""
import atexit
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HANDLERS = os.path.join(HERE, "handlers")


def pending(why):
    """Marks a test written ahead of its feature (why: the issue that
    brings it). The runner reports its failure as skipped, not failed."""
    def mark(fn):
        fn.pending = why
        return fn
    return mark


def sanitized():
    """True when the binary is built with ASan/UBSan: several times slower,
    and its allocator keeps freed memory in quarantine (RSS means little)."""
    return os.environ.get("EIDER_SANITIZED") == "1"


def slowdown():
    """How many times longer a wait may take: 3 under ASan/UBSan, whose
    processes (and the JS engine in them) run several times slower, on a
    machine that runs the suite in parallel."""
    return 3.0 if sanitized() else 1.0


def skip_rss_check_if_sanitized():
    """Returns True (and says so) when an RSS measurement is meaningless."""
    if sanitized():
        print("    not checked: RSS is meaningless under AddressSanitizer (checked in the plain build)")
        return True
    return False


def ipv6_loopback_port():
    """A free port that can be bound on ::1, or None (and says so) when this
    machine has no IPv6 loopback."""
    port = free_port()
    try:
        s = socket.socket(socket.AF_INET6)
        s.bind(("::1", port))
        s.close()
    except OSError as ex:
        print("    no IPv6 loopback (%s): skipped" % ex)
        return None
    return port


def srcdir():
    return os.environ.get("EIDER_SRCDIR") or os.path.dirname(os.path.dirname(HERE))


def builddir():
    return os.environ.get("EIDER_BUILDDIR") or srcdir()


def eider_bin():
    return os.environ.get("EIDER_BIN") or os.path.join(builddir(), "framework", "eider")


def require_bin():
    b = eider_bin()
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        raise AssertionError("eider binary not found or not executable: %s "
                             "(build it first or set EIDER_BIN)" % b)
    return b


def fixture(name):
    """Absolute path of a handler fixture tree tests/integration/handlers/NAME."""
    p = os.path.join(HANDLERS, name)
    assert os.path.isdir(p), "missing fixture dir %s" % p
    return p


# ---------------------------------------------------------------- processes

_live = {}   # pid -> Popen of every process we started (process-group leaders)


def _register(p):
    _live[p.pid] = p
    return p


def _kill_group(p, grace=5.0):
    """SIGTERM the process group of p, wait, then SIGKILL it."""
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    # kill whatever is left in the group (workers) even if the leader exited
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        pass
    _live.pop(p.pid, None)


def kill_all():
    """Kill every process started through this module that is still alive."""
    for p in list(_live.values()):
        _kill_group(p, grace=2.0)


_tmpdirs = []


def mkdtemp(prefix="eider-test-"):
    """A temporary directory removed by cleanup_all() (after each module, at exit)."""
    d = tempfile.mkdtemp(prefix=prefix)
    # Workers drop to an unprivileged user (nobody, when the tests run as
    # root): like a real handlers tree, this one must be readable by it.
    os.chmod(d, 0o755)
    _tmpdirs.append(d)
    return d


def cleanup_all():
    """Kill leftover processes and remove temporary directories."""
    kill_all()
    while _tmpdirs:
        shutil.rmtree(_tmpdirs.pop(), ignore_errors=True)


atexit.register(cleanup_all)


def spawn(args, cwd=None, env=None, stdout=None, stderr=None, stdin=subprocess.DEVNULL):
    """Start a process in its own session/process group, tracked for cleanup."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.Popen(args, cwd=cwd, env=e, stdin=stdin, stdout=stdout,
                         stderr=stderr, start_new_session=True)
    return _register(p)


def run_eider(args, cwd=None, timeout=20, env=None):
    """Run eider to completion (for -t, -v, -h ...). Returns CompletedProcess
    with .stdout/.stderr as str. The process group is killed on timeout
    (times slowdown(): a bound, not a check)."""
    timeout *= slowdown()
    b = require_bin()
    p = spawn([b] + list(args), cwd=cwd, env=env,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(p, grace=1.0)
        out, err = p.communicate()
        raise AssertionError("eider %s did not exit within %ss\nstdout: %s\nstderr: %s"
                             % (" ".join(args), timeout, _d(out), _d(err)))
    finally:
        _live.pop(p.pid, None)
    return subprocess.CompletedProcess(p.args, p.returncode, _d(out), _d(err))


def _d(b):
    if b is None:
        return ""
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def pid_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = st.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def children_of(ppid):
    """Live (non-zombie) pids whose parent is ppid, from /proc/*/stat."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        rest = st.rsplit(")", 1)[1].split()
        state, parent = rest[0], int(rest[1])
        if parent == ppid and state not in ("Z", "X"):
            out.append(int(d))
    return sorted(out)


def wait_until(pred, timeout=5.0, interval=0.05, msg="condition"):
    """PRED()'s first true value, polled every INTERVAL; fails after
    TIMEOUT seconds (times slowdown(): a bound on a wait, not a check)."""
    timeout *= slowdown()
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, msg))
        time.sleep(interval)


def wait_listening(proc, port, name, diagnostics, timeout=10):
    """Waits until something accepts on 127.0.0.1:PORT, failing with
    DIAGNOSTICS() if PROC (a helper server NAME: nginx, haproxy...) exits
    first or nothing listens within TIMEOUT seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError("%s exited with status %s\n%s" % (name, proc.returncode, diagnostics()))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("%s did not listen on %d within %ds\n%s" % (name, port, timeout, diagnostics()))


# ---------------------------------------------------------------- network

_handed_out = []   # ports free_port returned lately: the kernel may offer one again


def free_port(host="127.0.0.1", family=socket.AF_INET):
    """A port nothing listens on, and not one this process was given
    lately (two listeners of one test asked for ports one after the other
    and got the same one: "this address is already listened on")."""
    for _ in range(100):
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.bind((host, 0))
            port = s.getsockname()[1]
        finally:
            s.close()
        if port not in _handed_out:
            break
    _handed_out.append(port)
    del _handed_out[:-256]
    return port


def port_is_free(port, host="127.0.0.1"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


class Response(tuple):
    """(status, headers, body) with extra attributes:
    .reason, .header_list (list of (name, value) as received), .version."""

    def __new__(cls, status, headers, body, reason="", header_list=(), version=11):
        t = tuple.__new__(cls, (status, headers, body))
        t.reason = reason
        t.header_list = list(header_list)
        t.version = version
        return t

    status = property(lambda s: s[0])
    headers = property(lambda s: s[1])
    body = property(lambda s: s[2])

    def json(self):
        try:
            return json.loads(self[2].decode("utf-8"))
        except Exception as e:
            raise AssertionError("response body is not JSON (%s): %r" % (e, self[2][:500]))

    def header_values(self, name):
        name = name.lower()
        return [v for k, v in self.header_list if k.lower() == name]

    def __repr__(self):
        return "<Response %s %r %r>" % (self[0], self[1], self[2][:200])


def _response_from(r, body):
    hl = r.getheaders()
    h = {}
    for k, v in hl:
        k = k.lower()
        h[k] = (h[k] + ", " + v) if k in h else v
    return Response(r.status, h, body, r.reason, hl, r.version)


def http_request(port, method, path, body=None, headers=None, timeout=10, host="127.0.0.1"):
    """One request on a fresh connection. headers: dict or list of (name, value)
    pairs (a list allows repeated headers). Returns Response."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        return request_on(conn, method, path, body, headers)
    finally:
        conn.close()


def request_on(conn, method, path, body=None, headers=None):
    """Send one request on an existing http.client connection (keep-alive)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    hl = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    names = {k.lower() for k, _ in hl}
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in hl:
        conn.putheader(k, v)
    if body is not None and "content-length" not in names and "transfer-encoding" not in names:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    r = conn.getresponse()
    data = r.read()
    return _response_from(r, data)


def raw(port, data, timeout=3.0, total=10.0, host="127.0.0.1", until_close=True,
        shutdown_write=False):
    """Send raw bytes, then read until the peer closes, or until no data arrived
    for `timeout` seconds, or `total` seconds elapsed. Returns the bytes read.
    A connection reset after some data is treated as a close."""
    s = socket.create_connection((host, port), timeout=timeout)
    buf = b""
    try:
        if data:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
        if shutdown_write:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        deadline = time.time() + total
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    return buf


def connection_closed_within(sock, seconds):
    """Read from sock until EOF/reset (-> (True, data)) or `seconds` pass (-> (False, data))."""
    deadline = time.time() + seconds
    data = b""
    while True:
        left = deadline - time.time()
        if left <= 0:
            return False, data
        sock.settimeout(left)
        try:
            c = sock.recv(65536)
        except socket.timeout:
            return False, data
        except ConnectionResetError:
            return True, data
        if not c:
            return True, data
        data += c


def parse_responses(data):
    """Split raw bytes holding zero or more HTTP/1.x responses.
    Returns list of Response; trailing incomplete data is ignored."""
    out = []
    while data:
        head_end = data.find(b"\r\n\r\n")
        if head_end < 0:
            break
        head = data[:head_end].decode("latin-1")
        rest = data[head_end + 4:]
        lines = head.split("\r\n")
        m = re.match(r"HTTP/1\.(\d) (\d{3}) ?(.*)", lines[0])
        if not m:
            raise AssertionError("not an HTTP response: %r" % data[:200])
        status = int(m.group(2))
        hl = []
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            hl.append((k.strip(), v.strip()))
        h = {}
        for k, v in hl:
            k = k.lower()
            h[k] = (h[k] + ", " + v) if k in h else v
        body = b""
        if "chunked" in h.get("transfer-encoding", "").lower():
            while True:
                le = rest.find(b"\r\n")
                if le < 0:
                    rest = b""
                    break
                size = int(rest[:le].split(b";")[0].strip() or b"0", 16)
                rest = rest[le + 2:]
                if size == 0:
                    # skip trailers
                    te = rest.find(b"\r\n")
                    while te > 0:
                        rest = rest[te + 2:]
                        te = rest.find(b"\r\n")
                    rest = rest[te + 2:] if te == 0 else b""
                    break
                body += rest[:size]
                rest = rest[size + 2:]
        elif "content-length" in h:
            n = int(h["content-length"])
            body, rest = rest[:n], rest[n:]
        elif status in (204, 304) or 100 <= status < 200:
            pass
        else:
            body, rest = rest, b""
        out.append(Response(status, h, body, m.group(3), hl, 10 + int(m.group(1))))
        data = rest
    return out


# ---------------------------------------------------------------- server

class Eider:
    """Run an eider instance from a generated config.

    with Eider(fixture("basic")) as e:
        st, hdrs, body = e.request("GET", "/")
    """

    def __init__(self, handlers_dir, extra_conf="", workers=1, error_log_level="debug",
                 access_log=True, listen=None, conf_text=None, ready_path="/",
                 start_timeout=None, cwd=None, args=()):
        self.handlers_dir = handlers_dir
        self.extra_conf = extra_conf
        self.workers = workers
        self.tmp = mkdtemp()
        self.port = free_port()
        self.listen = listen or "127.0.0.1:%d" % self.port
        self.conf_path = os.path.join(self.tmp, "eider.conf")
        self.error_log_path = os.path.join(self.tmp, "error.log")
        self.access_log_path = os.path.join(self.tmp, "access.log")
        self.stdout_path = os.path.join(self.tmp, "stdout.txt")
        self.stderr_path = os.path.join(self.tmp, "stderr.txt")
        self.error_log_level = error_log_level
        self.access_log_enabled = access_log
        self.conf_text = conf_text
        self.ready_path = ready_path
        # Generous: a loaded machine, or a sanitizer build lowering
        # TypeScript at start-up, takes many seconds to serve.
        self.start_timeout = start_timeout if start_timeout is not None else 20.0 * slowdown()
        self.cwd = cwd or self.tmp
        self.args = list(args)
        self.proc = None
        self._seen_workers = set()

    # -- config
    def config_text(self):
        if self.conf_text is not None:
            return self.conf_text
        lines = [
            "listen %s;" % self.listen,
            "workers %s;" % self.workers,
            "handlers %s;" % self.handlers_dir,
            "error_log %s %s;" % (self.error_log_path, self.error_log_level),
            "access_log %s;" % (self.access_log_path if self.access_log_enabled else "off"),
        ]
        if self.extra_conf:
            lines.append(self.extra_conf)
        if sanitized() and "js_time_limit" not in (self.extra_conf or ""):
            lines.append("js_time_limit 60s;")   # ASan makes JS several times slower
        return "\n".join(lines) + "\n"

    # -- lifecycle
    def start(self):
        # A second master on the same port fails to bind, while the first
        # one answers _wait_ready: `with Eider(...).start() as e` (which
        # starts twice) passed until a loaded machine let the second exit
        # first.
        assert self.proc is None, "eider on port %d is already started (with starts it)" % self.port
        b = require_bin()
        with open(self.conf_path, "w") as f:
            f.write(self.config_text())
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.proc = spawn([b, "-c", self.conf_path] + self.args, cwd=self.cwd,
                          stdout=self._out, stderr=self._err)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self):
        deadline = time.time() + self.start_timeout
        last = None
        while time.time() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                raise AssertionError(
                    "eider exited with status %s before serving\n%s" % (rc, self.diagnostics()))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    conn.request("GET", self.ready_path)
                    conn.getresponse().read()
                    return
                finally:
                    conn.close()
            except (OSError, http.client.HTTPException) as e:
                last = e
            time.sleep(0.05)
        raise AssertionError("eider did not answer on port %d within %.0fs (last error: %r)\n%s"
                             % (self.port, self.start_timeout, last, self.diagnostics()))

    def diagnostics(self, limit=3000):
        parts = []
        for name, p in (("stderr", self.stderr_path), ("stdout", self.stdout_path),
                        ("error log", self.error_log_path)):
            try:
                with open(p, "rb") as f:
                    t = f.read().decode("utf-8", "replace")
            except FileNotFoundError:
                t = "(missing)"
            if len(t) > limit:
                t = "...\n" + t[-limit:]
            parts.append("--- %s ---\n%s" % (name, t.rstrip()))
        return "\n".join(parts)

    def stop(self, timeout=10.0):
        """SIGTERM the master, wait, then SIGKILL whatever is left.
        Returns the master's exit status (None if it had to be killed)."""
        if self.proc is None:
            return None
        p = self.proc
        workers = set(self._seen_workers)
        if pid_alive(p.pid):
            workers.update(children_of(p.pid))
        rc = None
        if p.poll() is None:
            try:
                p.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                rc = p.wait(timeout)
            except subprocess.TimeoutExpired:
                rc = None
        else:
            rc = p.returncode
        _kill_group(p, grace=0.5)
        for w in workers:   # in case a worker left the process group
            try:
                if pid_alive(w):
                    os.kill(w, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for fh in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if fh:
                fh.close()
        self.proc = None
        return rc

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()
        return False

    # -- introspection
    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def worker_pids(self):
        w = children_of(self.pid) if self.pid else []
        self._seen_workers.update(w)
        return w

    def wait_workers(self, n, timeout=10.0):
        """N worker pids, each of which has logged that it started (so it
        accepts: a worker killed before that counts, for the master, as
        one that could not start, and a first start then stops)."""
        def started(w):
            log = self.error_log()
            return not log or all("] %d: worker started" % p in log for p in w)
        return wait_until(lambda: (lambda w: w if len(w) == n and started(w) else None)(self.worker_pids()),
                          timeout, msg="%d started worker processes of master %s (have %s)"
                          % (n, self.pid, self.worker_pids()))

    def _read(self, path):
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def error_log(self):
        return self._read(self.error_log_path)

    def access_log(self):
        return self._read(self.access_log_path)

    def output(self):
        """stdout + stderr of the master."""
        return self._read(self.stdout_path) + self._read(self.stderr_path)

    def wait_log(self, needle, which="error", timeout=5.0):
        """Wait until the error (or access) log contains needle (str or compiled regex)."""
        get = self.error_log if which == "error" else self.access_log

        def found():
            t = get()
            if hasattr(needle, "search"):
                return needle.search(t)
            return needle in t
        try:
            return wait_until(found, timeout, msg="%r in %s log" % (needle, which))
        except AssertionError:
            t = get()
            raise AssertionError("%r not found in %s log within %.0fs; log tail:\n%s"
                                 % (getattr(needle, "pattern", needle), which, timeout * slowdown(),
                                    t[-2000:]))

    # -- requests
    def request(self, method, path, body=None, headers=None, timeout=10):
        return http_request(self.port, method, path, body, headers, timeout)

    def get(self, path, headers=None, timeout=10):
        return self.request("GET", path, None, headers, timeout)

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def raw(self, data, **kw):
        return raw(self.port, data, **kw)


class Shared:
    """Lazily started eider instance shared by the tests of one module.

    srv = Shared(lambda: Eider(fixture("routing")))
    def teardown_module(): srv.close()
    ...srv.get().request(...)

    If starting fails, the failure is remembered and re-raised by every later
    get() so the remaining tests fail fast with the same message."""

    def __init__(self, factory):
        self.factory = factory
        self.inst = None
        self.error = None

    def get(self):
        if self.error is not None:
            raise AssertionError("shared eider instance failed to start earlier: %s"
                                 % (str(self.error).splitlines() or ["?"])[0])
        if self.inst is None:
            try:
                inst = self.factory()
                inst.start()
            except Exception as e:
                self.error = e
                raise
            self.inst = inst
        elif self.inst.proc is not None and self.inst.proc.poll() is not None:
            raise AssertionError("shared eider instance died (status %s)\n%s"
                                 % (self.inst.proc.returncode, self.inst.diagnostics()))
        return self.inst

    def close(self):
        if self.inst is not None:
            self.inst.cleanup()
            self.inst = None


# ---------------------------------------------------------------- asserts

def assert_status(resp, expected, what=""):
    st = resp[0]
    exp = expected if isinstance(expected, (tuple, list, set)) else (expected,)
    if st not in exp:
        raise AssertionError("%sexpected status %s, got %s; headers=%r body=%r"
                             % (what + ": " if what else "", "/".join(map(str, exp)), st,
                                resp[1], resp[2][:300]))


def assert_eider_error(resp, status):
    """eider-generated error: given status, JSON body with matching "status"."""
    assert_status(resp, status)
    ct = resp[1].get("content-type", "")
    assert ct.startswith("application/json"), \
        "error response Content-Type should be application/json, got %r (body %r)" % (ct, resp[2][:200])
    j = resp.json()
    assert j.get("status") == status, "JSON body status should be %d: %r" % (status, j)
    assert "error" in j, "JSON error body lacks 'error': %r" % j
    rid = resp[1].get("x-request-id")
    assert rid, "error response lacks X-Request-Id"
    if "requestId" in j:
        assert j["requestId"] == rid, "requestId %r != X-Request-Id %r" % (j["requestId"], rid)
    return j


def write_tree(root, files):
    """Write {relative_path: text} under root."""
    for rel, text in files.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    return root


def handlers_tree(files, prefix="eider-test-"):
    """A temporary directory holding FILES ({relative path: text}) and an
    eider.conf whose handlers root is its h/. Returns (conf path, root)."""
    d = mkdtemp(prefix)
    write_tree(d, files)
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("handlers %s;\n" % os.path.join(d, "h"))
    return conf, os.path.join(d, "h")


class json_upstream:
    """A local HTTP server answering every GET with the JSON BODY (bytes),
    keeping the connection open after the answer if KEEP_ALIVE:
    `with json_upstream(b'{}') as port: ...`."""

    def __init__(self, body, keep_alive=False):
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.server.server_address[1]

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def raw_early(port, head, body, wait=1.0, timeout=3.0, host="127.0.0.1"):
    """Send request head; if the server answers within `wait` seconds (e.g. an
    early 413 from Content-Length) read that; otherwise send body and read.
    Returns bytes read until close/timeout."""
    s = socket.create_connection((host, port), timeout=timeout)
    buf = b""
    try:
        s.sendall(head)
        s.settimeout(wait)
        try:
            buf = s.recv(65536)
        except socket.timeout:
            buf = None
        except ConnectionResetError:
            return b""
        if buf is None:
            buf = b""
            try:
                s.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif not buf:
            return b""
        s.settimeout(timeout)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                c = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not c:
                break
            buf += c
    finally:
        s.close()
    return buf


# ---------------------------------------------------------------- daemon life cycle (issue 3)
# Helpers for test_daemon.py, test_reload.py and test_signals.py.

def proc_status(pid):
    """/proc/PID/status as a dict of field -> text ({} if the process is gone)."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for ln in f:
                k, _, v = ln.partition(":")
                out[k.strip()] = v.strip()
    except (FileNotFoundError, ProcessLookupError):
        pass
    return out


def proc_ids(pid):
    """(uids, gids, groups) of pid: uids/gids are the 4 ints (real, effective,
    saved, fs) of the Uid/Gid lines; groups the supplementary group ids."""
    st = proc_status(pid)
    if not st:
        raise AssertionError("process %d is gone" % pid)
    uids = [int(x) for x in st["Uid"].split()]
    gids = [int(x) for x in st["Gid"].split()]
    groups = [int(x) for x in st.get("Groups", "").split()]
    return uids, gids, groups


def is_eider_process(pid):
    """True if pid is alive and runs the eider binary under test."""
    if not pid_alive(pid):
        return False
    try:
        exe = os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return False
    exe = exe[:-len(" (deleted)")] if exe.endswith(" (deleted)") else exe
    return os.path.realpath(exe) == os.path.realpath(eider_bin())


def descendants_of(pid):
    """Live descendants of pid (children, grandchildren, ...)."""
    out, todo = [], [pid]
    while todo:
        for c in children_of(todo.pop()):
            if c not in out:
                out.append(c)
                todo.append(c)
    return out


def kill_tree(pid, sig=signal.SIGKILL):
    """Send sig to an eider process and all its descendants (only if pid
    still runs the eider binary: a recycled pid is left alone)."""
    if not is_eider_process(pid):
        return
    for p in [pid] + descendants_of(pid):
        try:
            os.kill(p, sig)
        except (ProcessLookupError, PermissionError):
            pass


_daemons = set()   # master pids of detached (daemon on;) instances


def track_daemon(pid):
    """Remember a detached master so kill_daemons()/exit kills it."""
    _daemons.add(pid)
    return pid


def kill_daemons():
    """SIGKILL every tracked detached master and its workers."""
    while _daemons:
        pid = _daemons.pop()
        kill_tree(pid)
        try:
            wait_until(lambda: not pid_alive(pid), 5, msg="daemon %d to die" % pid)
        except AssertionError:
            pass


atexit.register(kill_daemons)


def read_pid_file(path):
    """Contents of a pid file as text, or None if it does not exist."""
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


def dead_pid():
    """A pid that just belonged to a process that has exited (for stale pid files)."""
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def listen_inodes(port):
    """Socket inodes of TCP sockets in LISTEN state on 127.0.0.1:port (or 0.0.0.0:port)."""
    want = {"0100007F:%04X" % port, "00000000:%04X" % port}
    out = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for ln in f:
            parts = ln.split()
            if parts[1] in want and parts[3] == "0A":
                out.add(int(parts[9]))
    return out


def socket_inodes_of(pid):
    """Inodes of the sockets pid has open."""
    out = set()
    d = "/proc/%d/fd" % pid
    try:
        names = os.listdir(d)
    except (FileNotFoundError, ProcessLookupError):
        return out
    for n in names:
        try:
            t = os.readlink(os.path.join(d, n))
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", t)
        if m:
            out.add(int(m.group(1)))
    return out


def connect_refused(port, host="127.0.0.1", timeout=2.0):
    """True if a TCP connect to host:port is refused."""
    try:
        s = socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    s.close()
    return False


class NotifySocket:
    """A systemd-style notification socket (AF_UNIX, SOCK_DGRAM) owned by the
    test. path: a filesystem path, or "@name" for an abstract socket. .env is
    what to put in eider's environment."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind("\0" + path[1:] if path.startswith("@") else path)
        self.env = {"NOTIFY_SOCKET": path}
        self.messages = []   # list of (time, text) received so far

    def _drain(self, timeout):
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        self.messages.append((time.time(), data.decode("utf-8", "replace")))
        return True

    def wait_for(self, key_value, timeout=10.0, start=0):
        """Wait for a datagram (at index >= start) holding the line key_value
        (e.g. "READY=1"). Returns (index, fields dict)."""
        deadline = time.time() + timeout
        i = start
        while True:
            while i < len(self.messages):
                fields = self.fields(i)
                k, _, v = key_value.partition("=")
                if fields.get(k) == v:
                    return i, fields
                i += 1
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("no %r notification within %.0fs; received: %r"
                                     % (key_value, timeout, [m for _, m in self.messages]))
            self._drain(left)

    def fields(self, i):
        out = {}
        for ln in self.messages[i][1].split("\n"):
            k, _, v = ln.partition("=")
            if k:
                out[k] = v
        return out

    def collect(self, seconds):
        """Receive whatever arrives within `seconds`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._drain(deadline - time.time())
        return [m for _, m in self.messages]

    def close(self):
        self.sock.close()
        if not self.path.startswith("@"):
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass


class LifeEider(Eider):
    """Eider with what the life-cycle tests need: an environment for the
    master (env=), config rewrites, signals, log line counts."""

    def __init__(self, handlers_dir, env=None, **kw):
        Eider.__init__(self, handlers_dir, **kw)
        self.env = dict(env or {})

    def start(self):
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            return Eider.start(self)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def write_config(self, text=None):
        """Rewrite the config file (from config_text() unless text is given)."""
        with open(self.conf_path, "w") as f:
            f.write(self.config_text() if text is None else text)

    def signal(self, sig):
        os.kill(self.pid, sig)

    def count_log(self, pattern):
        return len(re.findall(pattern, self.error_log(), re.M))

    def reload(self, timeout=15.0, expect="reloaded"):
        """SIGHUP the master and wait until it logs the outcome of this reload.
        expect: "reloaded" (success), "failed", or None (either). Returns the
        outcome; raises if it differs from expect."""
        ok0, bad0 = self.count_log(RELOADED_RE), self.count_log(RELOAD_FAILED_RE)
        self.signal(signal.SIGHUP)

        def done():
            ok, bad = self.count_log(RELOADED_RE), self.count_log(RELOAD_FAILED_RE)
            if ok > ok0:
                return "reloaded"
            if bad > bad0:
                return "failed"
            return None
        try:
            got = wait_until(done, timeout, interval=0.02, msg="the master to log the reload")
        except AssertionError:
            raise AssertionError("no 'reloaded' or 'reload failed' line within %.0fs of SIGHUP\n%s"
                                 % (timeout, self.diagnostics()))
        if expect and got != expect:
            raise AssertionError("reload outcome %r, expected %r; log tail:\n%s"
                                 % (got, expect, self.error_log()[-2000:]))
        return got

    def wait_new_workers(self, old, n, timeout=15.0):
        """Wait until exactly n workers run and none of them is in old."""
        old = set(old)

        def ok():
            w = self.worker_pids()
            return w if len(w) == n and not set(w) & old else None
        try:
            return wait_until(ok, timeout, msg="%d new workers" % n)
        except AssertionError:
            raise AssertionError("workers not replaced within %.0fs: old %s, now %s\n%s"
                                 % (timeout, sorted(old), self.worker_pids(),
                                    self.error_log()[-2000:]))


RELOADED_RE = r"^(?!.*reload failed).*\breloaded\b"
RELOAD_FAILED_RE = r"reload failed"


class LoadGen:
    """Steady load from threads: `keepalive` threads reuse one connection
    each, `fresh` threads open a new connection per request. check(resp)
    returns None if the response is acceptable, else a failure message.
    Counts responses per body; failures and connection errors are recorded
    with their time."""

    def __init__(self, port, path="/", keepalive=8, fresh=4, check=None, timeout=15.0,
                 pause=0.0):
        import threading
        self.port = port
        self.path = path
        self.check = check or (lambda r: None if r[0] == 200 else "status %s" % r[0])
        self.timeout = timeout
        self.pause = pause
        self.stop_ev = threading.Event()
        self.lock = threading.Lock()
        self.bodies = {}
        self.requests = 0
        self.failures = []        # (time, message): bad status/body
        self.errors = []          # (time, message): connection errors
        self.threads = [threading.Thread(target=self._run, args=(True,), daemon=True)
                        for _ in range(keepalive)]
        self.threads += [threading.Thread(target=self._run, args=(False,), daemon=True)
                         for _ in range(fresh)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def _record(self, r):
        msg = self.check(r)
        with self.lock:
            self.requests += 1
            b = r[2].decode("utf-8", "replace")
            self.bodies[b] = self.bodies.get(b, 0) + 1
            if msg:
                self.failures.append((time.time(), msg))

    def _run(self, keep):
        conn = None
        while not self.stop_ev.is_set():
            try:
                if keep:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                          timeout=self.timeout)
                    r = request_on(conn, "GET", self.path)
                    if r[1].get("connection", "").lower() == "close":
                        conn.close()
                        conn = None
                else:
                    r = http_request(self.port, "GET", self.path, timeout=self.timeout)
                self._record(r)
            except Exception as e:   # connection errors: count and carry on
                with self.lock:
                    self.errors.append((time.time(), "%s: %s" % (type(e).__name__, e)))
                if conn is not None:
                    conn.close()
                    conn = None
                time.sleep(0.01)
            if self.pause:
                time.sleep(self.pause)
        if conn is not None:
            conn.close()

    def stop(self, timeout=30.0):
        self.stop_ev.set()
        for t in self.threads:
            t.join(timeout)
        alive = [t for t in self.threads if t.is_alive()]
        assert not alive, "%d load threads still running %.0fs after stop" % (len(alive), timeout)
        return self

    def summary(self):
        with self.lock:
            return ("requests=%d failures=%d connection_errors=%d bodies=%s"
                    % (self.requests, len(self.failures), len(self.errors),
                       dict(sorted(self.bodies.items()))))
