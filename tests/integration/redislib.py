"""A real redis-server (Debian's) of a test's own on a free port of
127.0.0.1 in a temp dir, without persistence, and a tiny RESP client to
look at what handlers stored: test_redis.py and the scaling-out test."""
import os
import shutil
import socket
import subprocess

from eiderlib import free_port, mkdtemp, spawn, wait_until

REDIS_SERVER = shutil.which("redis-server")


class Redis:
    """A redis-server of our own on PORT, and a tiny RESP client to look at
    what handlers stored."""

    def __init__(self, port=None, password=None):
        self.port = port or free_port()
        self.dir = mkdtemp("eider-redis-")
        self.proc = None
        self.password = password

    def start(self):
        self.proc = spawn([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                           "--save", "", "--appendonly", "no", "--dir", self.dir,
                           "--logfile", os.path.join(self.dir, "redis.log")]
                          + (["--requirepass", self.password] if self.password else []),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self._ping(), timeout=10, msg="redis-server answering PING")
        return self

    def _ping(self):
        try:
            return self.cmd("PING") == "PONG"
        except OSError:
            return False

    def kill(self):
        self.proc.kill()
        self.proc.wait(5)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.kill()

    def cmd(self, *args, db=None):
        """Sends one command (on database DB); returns the reply (bytes for
        bulk strings)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            f = s.makefile("rb")
            if self.password:
                s.sendall(self._encode(("AUTH", self.password)))
                self._read(f)
            if db is not None:
                s.sendall(self._encode(("SELECT", db)))
                self._read(f)
            s.sendall(self._encode(args))
            return self._read(f)

    @staticmethod
    def _encode(args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        return out

    def _read(self, f):
        line = f.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise AssertionError("redis error: %s" % rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = f.read(n + 2)[:-2]
            return data
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read(f) for _ in range(n)]
        raise AssertionError("bad reply %r" % line)
