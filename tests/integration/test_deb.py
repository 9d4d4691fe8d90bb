"""The Debian package (make deb; conf/deb.am, conf/debian/): dpkg-buildpackage
builds eider_VERSION_ARCH.deb, lintian finds nothing but the tags the README's
"Debian package" section justifies, and the package is installed, checked
with eider -t, started the way eider.service starts it, asked requests (also
across a reload and a log rotation), stopped, and purged without a trace.

The install happens in a copy-on-write overlay of this machine's root, in a
mount and network namespace of its own (unshare), chrooted: dpkg, adduser and
the daemon see the real Debian system with its real libraries, but the
machine and the tests running beside this one never see /usr/sbin/eider,
/etc/eider, the eider user or the package's 127.0.0.1:8080. No systemd runs
here, so the test does what the unit says: the same ExecStart as root, the
directories of LogsDirectory=/RuntimeDirectory=/CacheDirectory=, a
NOTIFY_SOCKET for Type=notify, ExecReload, KillSignal.

Needs root (CI runs as root); `make deb` alone does not."""
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time

import pytest

from eiderlib import builddir, children_of, mkdtemp, proc_ids, spawn, srcdir, _kill_group

ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
       "LC_ALL": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
NOTIFY_DIR = "/run/deb-test-notify"   # in the overlay: no "eider" in it (see the purge check)
PKG_IN_ROOT = "/tmp/package-under-test.deb"

# Paths of the package that the machine may have already (the other tests,
# run as root, fill /var/cache/eider, the js_cache auto of root): hidden by
# a whiteout in the upper layer, so the overlay starts as a fresh machine
# and never sees the host's files change under it.
FRESH = ("/var/cache/eider", "/var/log/eider", "/run/eider", "/etc/eider", "/usr/share/eider")

# Mounts the overlay at $T/root (upper layer on a tmpfs that dies with the
# namespace), /dev and /proc into it, the notify socket's directory, brings
# up lo in the new network namespace, says ready, and holds the namespaces.
HOLDER = r"""
set -e
T=$1
mount -t tmpfs -o mode=0755 deb-test $T/rw
mkdir $T/rw/upper $T/rw/work
for p in %(fresh)s; do
    mkdir -p $T/rw/upper${p%%/*}
    mknod $T/rw/upper$p c 0 0
done
mount -t overlay overlay -o lowerdir=/,upperdir=$T/rw/upper,workdir=$T/rw/work $T/root
mount --rbind /dev $T/root/dev
mount -t proc proc $T/root/proc
mkdir -p $T/root%(notify)s
mount --bind $T/notify $T/root%(notify)s
ip link set lo up
touch $T/ready
exec sleep 3600
""" % {"notify": NOTIFY_DIR, "fresh": " ".join(FRESH)}


def run(argv, timeout, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout, **kw)
    p.output = p.stdout.decode("utf-8", "replace")
    return p


def readme_lintian_justified():
    """The lintian tags the README justifies: its lines "- lintian `TAG` ..."."""
    with open(os.path.join(srcdir(), "README.md")) as f:
        return set(re.findall(r"^- lintian `([a-z0-9.+-]+)`", f.read(), re.M))


def unit_settings(text):
    """[Service] and [Install] settings of a unit file: name -> last value."""
    out = {}
    for ln in text.splitlines():
        ln = ln.strip()
        if ln and not ln.startswith(("#", ";", "[")) and "=" in ln:
            k, v = ln.split("=", 1)
            out[k.strip()] = v.strip()
    return out


class Root:
    """The overlay root: run commands in it, read and write its files."""

    def __init__(self):
        self.t = mkdtemp("eider-deb-")
        for d in ("rw", "root", "notify"):
            os.mkdir(os.path.join(self.t, d))
        self.holder = spawn(["unshare", "--mount", "--net", "--propagation", "private",
                             "sh", "-c", HOLDER, "holder", self.t],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while not os.path.exists(os.path.join(self.t, "ready")):
            if self.holder.poll() is not None or time.time() > deadline:
                out = self.holder.stdout.read().decode("utf-8", "replace")
                raise AssertionError("could not make the overlay root: %s" % out)
            time.sleep(0.05)

    def enter(self, argv):
        """argv run chrooted in the overlay, in its namespaces."""
        return ["nsenter", "-t", str(self.holder.pid), "-m", "-n", "--",
                "chroot", os.path.join(self.t, "root")] + list(argv)

    def run(self, argv, timeout=120):
        return run(self.enter(argv), timeout, env=ENV)

    def path(self, p):
        """Where the host reaches the overlay's path p."""
        return "/proc/%d/root%s/root%s" % (self.holder.pid, self.t, p)

    def upper(self):
        """Where the host reaches the overlay's upper layer (what changed)."""
        return "/proc/%d/root%s/rw/upper" % (self.holder.pid, self.t)

    def read(self, p):
        with open(self.path(p)) as f:
            return f.read()

    def curl(self, path="/"):
        """A real client in the overlay's network namespace: (status, body)."""
        p = run(["nsenter", "-t", str(self.holder.pid), "-n", "--", "curl", "-sS",
                 "--max-time", "10", "-o", "-", "-w", "\n%{http_code}",
                 "http://127.0.0.1:8080" + path], 20)
        body, _, code = p.output.rpartition("\n")
        return (int(code) if p.returncode == 0 else None), body

    def close(self):
        _kill_group(self.holder, grace=0.5)


def passwd_entry(root, name, db="/etc/passwd"):
    for ln in root.read(db).splitlines():
        if ln.split(":", 1)[0] == name:
            return ln.split(":")
    return None


def leftovers(root):
    """Paths in the overlay's upper layer (files the install changed) that
    name eider, except dpkg's own records: what purge left behind."""
    top = root.upper()
    out = []
    for d, dirs, files in os.walk(top):
        rel = d[len(top):] or "/"
        if rel.startswith(("/var/lib/dpkg", "/var/log/apt", "/proc", "/dev")):
            dirs[:] = []
            continue
        for n in dirs + files:
            st = os.lstat(os.path.join(d, n))
            whiteout = (st.st_mode & 0o170000) == 0o020000 and st.st_rdev == 0
            if "eider" in n and not whiteout:
                out.append(os.path.join(rel, n))
    return out


def wait_for_line(root, path, needle, poke=None, timeout=30):
    """Wait until the overlay's file path holds needle (the access log is
    written in batches); poke, if given, runs before each look and must be
    true."""
    deadline = time.time() + timeout
    while True:
        if poke is not None:
            assert poke()
        try:
            if needle in root.read(path):
                return
        except FileNotFoundError:
            pass
        assert time.time() < deadline, "%r not in %s within %ds" % (needle, path, timeout)
        time.sleep(0.2)


class Notify:
    """A NOTIFY_SOCKET as systemd makes one for a Type=notify unit."""

    def __init__(self, host_dir):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(os.path.join(host_dir, "notify.sock"))
        os.chmod(os.path.join(host_dir, "notify.sock"), 0o777)
        self.seen = []

    def wait_for(self, state, timeout):
        """Wait until a message holds the line state (e.g. READY=1)."""
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("no %s on NOTIFY_SOCKET within %ds; got %r"
                                     % (state, timeout, self.seen))
            self.sock.settimeout(left)
            try:
                msg = self.sock.recv(4096).decode("utf-8", "replace")
            except socket.timeout:
                continue
            self.seen.append(msg)
            if state in msg.split("\n"):
                return msg


@pytest.mark.timeout(1200)
def test_make_deb_installs_serves_and_purges_cleanly():
    if os.geteuid() != 0:
        pytest.skip("installs the package (in an overlay of /, with unshare and chroot): "
                    "needs root, as CI has; make deb itself does not")
    for tool in ("dpkg-buildpackage", "lintian", "unshare", "nsenter", "curl", "logrotate"):
        assert shutil.which(tool), "%s not found: sh tests/install-deps.sh" % tool

    # -- make deb
    t0 = time.time()
    p = run(["make", "-s", "deb"], 1000, cwd=builddir())
    build_s = time.time() - t0
    assert p.returncode == 0, "make deb failed:\n%s" % p.output[-6000:]
    debs = [f for f in os.listdir(builddir()) if re.match(r"eider_[0-9][^_]*_[a-z0-9]+\.deb$", f)]
    assert len(debs) == 1, "make deb left %r in %s" % (debs, builddir())
    deb = os.path.join(builddir(), debs[0])
    print("    make deb: %.0f s, %s, %d kB" % (build_s, debs[0], os.path.getsize(deb) // 1024))

    contents = run(["dpkg-deb", "-c", deb], 60).output
    for want in ("./usr/sbin/eider", "./usr/share/eider/eider-compiler.dbc",
                 "./usr/share/eider/handlers/index.js", "./etc/eider/eider.conf",
                 "./lib/systemd/system/eider.service", "./etc/logrotate.d/eider",
                 "./usr/share/man/man8/eider.8.gz", "./usr/share/man/man5/eider.conf.5.gz",
                 "./usr/share/man/man7/eider-handlers.7.gz"):
        assert re.search(r" %s$" % re.escape(want), contents, re.M), "%s not in the package" % want
    conffiles = run(["dpkg-deb", "-I", deb, "conffiles"], 60).output.split()
    assert "/etc/eider/eider.conf" in conffiles and "/etc/logrotate.d/eider" in conffiles, conffiles

    # -- lintian: every tag it reports, errors to pedantic and info, is one
    # the README justifies
    lint = run(["lintian", "--display-info", "--pedantic", "--display-experimental", deb], 300)
    tags = set(re.findall(r"^[EWIPX]: eider[^:]*: (\S+)", lint.output, re.M))
    unjustified = tags - readme_lintian_justified()
    assert not unjustified, ("lintian tags not justified in README.md's \"Debian package\" "
                             "section (fix them, or add \"- lintian `TAG` ...\"): %s\n%s"
                             % (sorted(unjustified), lint.output))

    root = Root()
    daemon = None
    try:
        # -- install
        shutil.copy(deb, root.path(PKG_IN_ROOT))
        p = root.run(["dpkg", "-i", PKG_IN_ROOT])
        assert p.returncode == 0, "dpkg -i failed:\n%s" % p.output
        user = passwd_entry(root, "eider")
        assert user, "no eider user after install"
        assert int(user[2]) < 1000 and user[6] in ("/usr/sbin/nologin", "/bin/false"), user
        group = passwd_entry(root, "eider", "/etc/group")
        assert group and user[3] == group[2], (user, group)
        # Enabled as Debian enables daemons (started by systemd only where
        # it runs: without it the postinst starts nothing), nothing else.
        wants = "/etc/systemd/system/multi-user.target.wants"
        assert os.path.islink(root.path(wants + "/eider.service"))
        enabled = [os.path.join(d, n)[len(root.upper()):]
                   for d, _, fs in os.walk(root.upper() + "/etc/systemd") for n in fs]
        assert enabled == [wants + "/eider.service"], enabled
        assert root.curl()[0] is None, "something answers on 127.0.0.1:8080 before the start"

        # Installing again (an upgrade to the same version) keeps the user.
        p = root.run(["dpkg", "-i", PKG_IN_ROOT])
        assert p.returncode == 0, "dpkg -i over the installed package failed:\n%s" % p.output
        assert passwd_entry(root, "eider") == user

        p = root.run(["eider", "-t", "-c", "/etc/eider/eider.conf"])
        assert p.returncode == 0, "eider -t of the packaged config:\n%s" % p.output
        # The installed binary finds the installed lowering compiler.
        with open(root.path("/tmp/probe.ts"), "w") as f:
            f.write("const n: number = 6 * 7;\nconsole.log(`lowered ${n}`);\n")
        p = root.run(["eider", "run", "/tmp/probe.ts"])
        assert p.returncode == 0 and "lowered 42" in p.output, p.output
        os.unlink(root.path("/tmp/probe.ts"))

        # -- start as eider.service does
        unit = unit_settings(root.read("/lib/systemd/system/eider.service"))
        assert unit["Type"] == "notify" and "User" not in unit, unit
        for k in ("LogsDirectory", "RuntimeDirectory", "CacheDirectory"):
            base = {"LogsDirectory": "/var/log", "RuntimeDirectory": "/run",
                    "CacheDirectory": "/var/cache"}[k]
            os.makedirs(root.path(base + "/" + unit[k]), 0o755, exist_ok=True)
        notify = Notify(os.path.join(root.t, "notify"))
        env = dict(ENV, NOTIFY_SOCKET=NOTIFY_DIR + "/notify.sock")
        daemon = spawn(root.enter(shlex.split(unit["ExecStart"])), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ready = notify.wait_for("READY=1", 60)
        assert "MAINPID=%d" % daemon.pid in ready.split("\n"), ready

        status, body = root.curl("/")
        assert status == 200, (status, body, root.read("/var/log/eider/error.log"))
        assert '"eider":"installed"' in body.replace(" ", ""), body
        workers = children_of(daemon.pid)
        assert workers, "the master has no workers"
        for w in workers:
            uids = proc_ids(w)[0]
            assert uids == [int(user[2])] * 4, "worker %d runs as uid %r, not eider" % (w, uids)
        assert int(root.read("/run/eider/eider.pid")) == daemon.pid
        wait_for_line(root, "/var/log/eider/access.log", "GET / HTTP/1.1")

        # -- ExecReload: a new generation, and it still answers
        reload_argv = [a.replace("$MAINPID", str(daemon.pid)) for a in shlex.split(unit["ExecReload"])]
        assert root.run(reload_argv).returncode == 0
        notify.wait_for("RELOADING=1", 30)
        notify.wait_for("READY=1", 60)
        assert root.curl("/")[0] == 200

        # -- the logrotate file: the old log moves aside, the next request
        # goes to a new file the workers' user owns
        p = root.run(["logrotate", "-f", "/etc/logrotate.d/eider"])
        assert p.returncode == 0, "logrotate:\n%s" % p.output
        assert "GET / HTTP/1.1" in root.read("/var/log/eider/access.log.1")
        wait_for_line(root, "/var/log/eider/access.log", "GET /rotated",
                      poke=lambda: root.curl("/rotated")[0] == 404)
        assert os.stat(root.path("/var/log/eider/access.log")).st_uid == int(user[2])

        # -- stop with KillSignal=; systemd then removes RuntimeDirectory=
        # unless RuntimeDirectoryPreserve=yes
        assert unit["KillSignal"] == "SIGQUIT"
        daemon.send_signal(signal.SIGQUIT)
        daemon.wait(int(unit.get("TimeoutStopSec", "90")))
        out = daemon.stdout.read().decode("utf-8", "replace")
        assert daemon.returncode == 0, "exit status %d after SIGQUIT\n%s" % (daemon.returncode, out)
        if unit.get("RuntimeDirectoryPreserve", "no") not in ("yes", "true", "on", "1"):
            shutil.rmtree(root.path("/run/" + unit["RuntimeDirectory"]))

        # -- purge
        os.unlink(root.path(PKG_IN_ROOT))
        p = root.run(["dpkg", "--purge", "eider"])
        assert p.returncode == 0, "dpkg --purge failed:\n%s" % p.output
        assert passwd_entry(root, "eider") is None, "the eider user outlives the purge"
        assert passwd_entry(root, "eider", "/etc/group") is None, "the eider group outlives the purge"
        assert run(root.enter(["dpkg-query", "-W", "eider"]), 60, env=ENV).returncode != 0
        left = leftovers(root)
        assert not left, "purge left %s" % left
    finally:
        if daemon is not None:
            _kill_group(daemon, grace=1.0)
        root.close()
