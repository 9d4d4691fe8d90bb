"""Helpers for eider integration tests (stdlib only).

Environment:
  EIDER_BIN       path of the eider binary (default $EIDER_BUILDDIR/framework/eider)
  EIDER_SRCDIR    source tree (default: two levels above this file)
  EIDER_BUILDDIR  build tree (default: EIDER_SRCDIR)
"""
import atexit
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
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
    with .stdout/.stderr as str. The process group is killed on timeout."""
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
    deadline = time.time() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, msg))
        time.sleep(interval)


# ---------------------------------------------------------------- network

def free_port(host="127.0.0.1", family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.bind((host, 0))
        return s.getsockname()[1]
    finally:
        s.close()


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
                 start_timeout=10.0, cwd=None, args=()):
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
        self.start_timeout = start_timeout
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
        return "\n".join(lines) + "\n"

    # -- lifecycle
    def start(self):
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
        return wait_until(lambda: (lambda w: w if len(w) == n else None)(self.worker_pids()),
                          timeout, msg="%d worker processes of master %s (have %s)"
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
                                 % (getattr(needle, "pattern", needle), which, timeout, t[-2000:]))

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
