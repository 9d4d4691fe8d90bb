"""A real, throwaway PostgreSQL server for tests (Debian's postgresql).

    with Postgres() as pg:               # initdb + pg_ctl in a temp dir, free port
        pg.sql("CREATE TABLE t (id int)")
        url = pg.url()                   # postgresql://postgres@127.0.0.1:PORT/postgres
        pg.kill()                        # SIGKILL the postmaster and its backends
        pg.start()                       # back on the same port, same data

PostgreSQL refuses to run as root: as root the server runs as `nobody`
(runuser) in a directory that user owns; as anyone else, as that user.
Authentication is `trust` on 127.0.0.1 and a private socket directory, so
only this machine's clients reach it. The same pattern (own temp dir, free
port, unprivileged user, stop at exit) fits redis-server.
"""
import atexit
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile

from eiderlib import children_of, free_port, wait_until


def bindir():
    """Where initdb, pg_ctl and postgres are (Debian keeps them out of PATH)."""
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    raise AssertionError("PostgreSQL server binaries not found: apt-get install postgresql")


_running = []


def _stop_all():
    for pg in list(_running):
        pg.stop(mode="immediate")


atexit.register(_stop_all)


class Postgres:
    def __init__(self, port=None):
        self.bin = bindir()
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="eider-pg-")
        os.chmod(self.dir, 0o755)
        self.data = os.path.join(self.dir, "data")
        self.sockdir = os.path.join(self.dir, "sock")
        self.log = os.path.join(self.dir, "postgres.log")
        self.user = None
        if os.geteuid() == 0:
            self.user = "nobody"
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.makedirs(self.sockdir, exist_ok=True)
        if self.user:
            os.chown(self.sockdir, pw.pw_uid, pw.pw_gid)
        self._initdb()

    def _as_user(self, args):
        return (["runuser", "-u", self.user, "--"] + args) if self.user else args

    def _run(self, args, timeout=120):
        r = subprocess.run(self._as_user(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, cwd=self.dir)
        if r.returncode != 0:
            raise AssertionError("%s failed (%d):\n%s\n%s" % (args[0], r.returncode,
                                 r.stdout.decode(errors="replace"), self.log_text()))
        return r.stdout.decode(errors="replace")

    def _initdb(self):
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--no-sync", "--locale=C"])

    def start(self, timeout=60):
        opts = ("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=200" % (self.port, self.sockdir))
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-o", opts, "-l", self.log,
                   "-w", "-t", str(timeout), "start"], timeout=timeout + 10)
        if self not in _running:
            _running.append(self)
        return self

    def pid(self):
        """The postmaster's pid, or None when it is not running."""
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return None

    def kill(self):
        """SIGKILL the postmaster and every backend (a crash, not a shutdown)."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGSTOP)          # no new backend from here on
        pids = [pid] + children_of(pid)
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass

        def gone():
            return all(not os.path.exists("/proc/%d" % p) or _zombie(p) for p in pids)
        wait_until(gone, timeout=10, msg="PostgreSQL killed")
        # what a crashed postmaster leaves behind would stop the next start
        for stale in (os.path.join(self.data, "postmaster.pid"),
                      os.path.join(self.sockdir, ".s.PGSQL.%d" % self.port),
                      os.path.join(self.sockdir, ".s.PGSQL.%d.lock" % self.port)):
            try:
                os.unlink(stale)
            except OSError:
                pass

    def stop(self, mode="fast"):
        if self.pid() is not None:
            subprocess.run(self._as_user([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", mode,
                                          "-w", "stop"]), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        if self in _running:
            _running.remove(self)

    def close(self):
        self.stop(mode="immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def url(self, db="postgres", user="postgres"):
        return "postgresql://%s@127.0.0.1:%d/%s" % (user, self.port, db)

    def sql(self, text, db="postgres"):
        """Runs TEXT with psql (stops at the first error); returns its output
        (unaligned, tuples only)."""
        r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                            "-p", str(self.port), "-U", "postgres", "-d", db, "-c", text],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        if r.returncode != 0:
            raise AssertionError("psql failed: %s" % r.stderr.decode(errors="replace"))
        return r.stdout.decode()

    def log_text(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""


class SharedPostgres:
    """One PostgreSQL server for the tests of a module, started on first
    use: `srv = SharedPostgres()`, `srv.get()` in the tests, `srv.close()`
    in the module's teardown fixture."""

    def __init__(self):
        self.pg = None

    def get(self):
        if self.pg is None:
            self.pg = Postgres().start()
        return self.pg

    def close(self):
        if self.pg is not None:
            self.pg.close()
            self.pg = None


def _zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1].startswith("Z")
    except OSError:
        return True

