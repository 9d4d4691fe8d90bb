"""A real HAProxy (Debian's haproxy) in the foreground on a free port of
127.0.0.1, in front of one or more upstream ports: the proxy tests put it
in front of a PROXY protocol listener, the scaling-out test in front of
two eider instances."""
import os
import subprocess

from eiderlib import free_port, mkdtemp, spawn, wait_listening, _kill_group

HAPROXY = "/usr/sbin/haproxy"


def haproxy_missing():
    """True (and says so) when Debian's haproxy is not installed."""
    if not os.path.exists(HAPROXY):
        print("    %s is missing (CI installs haproxy): haproxy test skipped" % HAPROXY)
        return True
    return False


class HAProxy:
    """haproxy -db on 127.0.0.1:port. UPSTREAMS is one port or a list of
    ports, each a `server` line with SERVER_OPTS (send-proxy, check ...);
    BACKEND_EXTRA goes into the backend before them (balance, retries)."""

    def __init__(self, upstreams, server_opts="", mode="tcp", backend_extra=""):
        if isinstance(upstreams, int):
            upstreams = [upstreams]
        self.tmp = mkdtemp(prefix="eider-haproxy-")
        self.port = free_port()
        self.cfg = os.path.join(self.tmp, "haproxy.cfg")
        self.out_path = os.path.join(self.tmp, "output.txt")
        servers = "".join("    server s%d 127.0.0.1:%d %s\n" % (i + 1, p, server_opts)
                          for i, p in enumerate(upstreams))
        self.text = ("global\n"
                     "    maxconn 100\n"
                     "defaults\n"
                     "    mode %s\n" % mode +
                     "    timeout connect 5s\n"
                     "    timeout client 30s\n"
                     "    timeout server 30s\n"
                     # A health check's timeout is otherwise its interval
                     # (`check inter 200ms`): a loaded machine or a sanitizer
                     # build misses that, and the server is marked DOWN.
                     "    timeout check 2s\n"
                     "frontend fe\n"
                     "    bind 127.0.0.1:%d\n" % self.port +
                     "    default_backend be\n"
                     "backend be\n" + backend_extra + servers)
        self.proc = None

    def start(self):
        with open(self.cfg, "w") as f:
            f.write(self.text)
        self._out = open(self.out_path, "wb")
        self.proc = spawn([HAPROXY, "-db", "-f", self.cfg], stdout=self._out,
                          stderr=subprocess.STDOUT)
        wait_listening(self.proc, self.port, "haproxy", self.diagnostics)
        return self

    def output(self):
        try:
            with open(self.out_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def diagnostics(self):
        return "--- haproxy.cfg ---\n%s--- haproxy output ---\n%s" % (self.text, self.output()[-2000:])

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

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
