"""Issue 3, daemon life cycle: `daemon on;`, `pid FILE;`, `eider -s
reload|stop|quit|reopen`, privilege drop of workers (`user`, `group`),
systemd readiness notification (NOTIFY_SOCKET), `error_log syslog`."""
import grp
import os
import pwd
import re
import signal
import socket
import subprocess
import time
import uuid

from eiderlib import (LifeEider, NotifySocket, fixture, mkdtemp, write_tree, assert_status,
                      http_request, pid_alive, wait_until, free_port, children_of, proc_ids,
                      is_eider_process, kill_tree, track_daemon, kill_daemons, read_pid_file,
                      dead_pid, connect_refused, run_eider, spawn, require_bin, _kill_group, _live)


def teardown_module():
    kill_daemons()


def _handlers(body="daemon ok"):
    """A handlers dir (mkdtemp makes it readable by the workers' user)."""
    d = mkdtemp("eider-daemon-h-")
    write_tree(d, {"index.js": "module.exports = function (req, res) { res.end(%r); };\n" % body})
    return d


def _conf(d, port, handlers, extra=""):
    return ("listen 127.0.0.1:%d;\nworkers 2;\nhandlers %s;\nerror_log %s/error.log debug;\n"
            "access_log %s/access.log;\n%s\n" % (port, handlers, d, d, extra))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def _log(d):
    try:
        with open(os.path.join(d, "error.log")) as f:
            return f.read()
    except FileNotFoundError:
        return "(no error.log)"


def _launch(conf, d, timeout=20):
    """Run `eider -c conf` (daemon on): it must return by itself. Returns
    (exit status, output, launcher pid)."""
    out_path = os.path.join(d, "launch.out")
    with open(out_path, "wb") as out:
        p = spawn([require_bin(), "-c", conf], stdout=out, stderr=subprocess.STDOUT)
    try:
        rc = p.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill_group(p, grace=1.0)
        raise AssertionError("`eider -c %s` with `daemon on;` did not return within %ds\n%s"
                             % (conf, timeout, _log(d)[-2000:]))
    _live.pop(p.pid, None)
    with open(out_path) as f:
        return rc, f.read(), p.pid


def _eider_procs_using(conf):
    """eider processes whose command line names conf."""
    out = []
    for x in os.listdir("/proc"):
        if not x.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % x, "rb") as f:
                cmd = f.read().split(b"\0")
        except OSError:
            continue
        if conf.encode() in cmd and is_eider_process(int(x)):
            out.append(int(x))
    return out


# ---------------------------------------------------------------- daemon on

def test_daemon_on_detaches_writes_pid_file_and_stops():
    d = mkdtemp("eider-daemon-")
    os.makedirs(os.path.join(d, "run"))
    pidf = os.path.join(d, "run", "eider.pid")
    port = free_port()
    conf = _write(os.path.join(d, "eider.conf"),
                  _conf(d, port, _handlers(), "daemon on;\npid %s;" % pidf))
    master = None
    try:
        t0 = time.time()
        rc, out, launcher = _launch(conf, d)
        dt = time.time() - t0
        txt = read_pid_file(pidf)
        if txt and txt.strip().isdigit():
            master = track_daemon(int(txt))
        assert rc == 0, "daemon launch exit status %s\n%s\n%s" % (rc, out, _log(d)[-2000:])
        # ready when the command returns
        r = http_request(port, "GET", "/", timeout=10)
        assert_status(r, 200, "first request after `eider -c` returned")
        assert r[2] == b"daemon ok"
        assert txt is not None, "no pid file %s after the launch returned" % pidf
        assert re.match(r"^\d+\n$", txt), "pid file content %r (want the pid and a newline)" % txt
        assert master != launcher, "the pid file names the launcher process"
        assert is_eider_process(master), "pid %d from the pid file is not a running eider" % master
        assert os.getsid(master) != launcher, "the daemon did not leave the launcher's session"
        assert os.listdir(os.path.join(d, "run")) == ["eider.pid"], \
            "leftovers beside the pid file: %s" % os.listdir(os.path.join(d, "run"))
        for fd in (0, 1, 2):
            target = os.readlink("/proc/%d/fd/%d" % (master, fd))
            assert "launch.out" not in target, \
                "the daemon keeps the launcher's stdout/stderr open (fd %d -> %s)" % (fd, target)
        workers = wait_until(lambda: (lambda w: w if len(w) == 2 else None)(children_of(master)),
                             10, msg="2 workers of the daemon")
        # stop it with -s stop
        p = run_eider(["-c", conf, "-s", "stop"], timeout=15)
        assert p.returncode == 0, "-s stop: status %s\n%s%s" % (p.returncode, p.stdout, p.stderr)
        wait_until(lambda: not pid_alive(master), 15, msg="daemon master %d to exit" % master)
        wait_until(lambda: not any(pid_alive(w) for w in workers), 5, msg="workers gone")
        wait_until(lambda: not os.path.exists(pidf), 5, msg="pid file removed at exit")
        assert connect_refused(port), "port still open after the daemon stopped"
        print("    daemon ready and launcher returned after %.2fs" % dt)
    finally:
        if master:
            kill_tree(master)
        for pid in _eider_procs_using(conf):
            kill_tree(pid)


def test_daemon_launch_fails_if_the_server_cannot_start():
    """`eider -c` with daemon on returns non-zero when the server cannot be
    ready (port taken; broken handler) and leaves nothing running."""
    d = mkdtemp("eider-daemon-")
    pidf = os.path.join(d, "eider.pid")
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        conf = _write(os.path.join(d, "taken.conf"),
                      _conf(d, taken.getsockname()[1], _handlers(), "daemon on;\npid %s;" % pidf))
        rc, out, _ = _launch(conf, d)
        left = _eider_procs_using(conf)
        assert rc != 0, "launch with the port taken exited 0\n%s\n%s" % (out, _log(d)[-1500:])
        assert not left, "eider processes left running: %s" % left
        assert not os.path.exists(pidf), "pid file left behind by a failed start"

        h = _handlers()
        _write(os.path.join(h, "index.js"), "module.exports = function (req, res) {\n  res.end('x' +);\n};\n")
        conf = _write(os.path.join(d, "broken.conf"),
                      _conf(d, free_port(), h, "daemon on;\npid %s;" % pidf))
        rc, out, _ = _launch(conf, d)
        left = _eider_procs_using(conf)
        assert rc != 0, "launch with a broken handler exited 0"
        assert not left, "eider processes left running: %s" % left
        assert "index.js:2" in out + _log(d), "the broken handler is not named:\n" + out
    finally:
        taken.close()
        for c in ("taken.conf", "broken.conf"):
            for pid in _eider_procs_using(os.path.join(d, c)):
                kill_tree(pid)


def test_daemon_launch_fails_if_workers_cannot_start():
    """Workers that cannot start (here: a handlers dir the workers' user,
    nobody, cannot read) must not leave `eider -c` waiting forever for
    readiness: it exits non-zero and names the problem."""
    if os.geteuid() != 0:
        print("    not root: not tested")
        return
    d = mkdtemp("eider-daemon-")
    h = _handlers()
    os.chmod(h, 0o700)   # root only
    pidf = os.path.join(d, "eider.pid")
    conf = _write(os.path.join(d, "eider.conf"), _conf(d, free_port(), h, "daemon on;\npid %s;" % pidf))
    try:
        rc, out, _ = _launch(conf, d, timeout=20)
        assert rc != 0, "launch exited 0 although no worker can start\n%s" % _log(d)[-1500:]
        assert "ermission denied" in out + _log(d), "the reason is not reported:\n" + out
        wait_until(lambda: not _eider_procs_using(conf), 10, msg="nothing left running")
        assert not os.path.exists(pidf), "pid file left behind"
    finally:
        for pid in _eider_procs_using(conf):
            kill_tree(pid)


# ---------------------------------------------------------------- pid file

def test_pid_file_in_foreground_written_and_removed():
    rund = mkdtemp("eider-run-")
    pidf = os.path.join(rund, "eider.pid")
    e = LifeEider(_handlers(), workers=1, extra_conf="pid %s;" % pidf)
    try:
        e.start()
        txt = read_pid_file(pidf)
        assert txt == "%d\n" % e.pid, "pid file %r, master pid %d" % (txt, e.pid)
        assert os.listdir(rund) == ["eider.pid"], os.listdir(rund)
        e.signal(signal.SIGTERM)
        assert e.proc.wait(15) == 0
        assert not os.path.exists(pidf), "pid file not removed at exit"
    finally:
        e.cleanup()


def test_stale_pid_file_is_replaced():
    rund = mkdtemp("eider-run-")
    pidf = os.path.join(rund, "eider.pid")
    stale = dead_pid()
    _write(pidf, "%d\n" % stale)
    e = LifeEider(_handlers(), workers=1, extra_conf="pid %s;" % pidf)
    try:
        e.start()
        assert read_pid_file(pidf) == "%d\n" % e.pid, \
            "stale pid file (pid %d) not replaced: %r" % (stale, read_pid_file(pidf))
    finally:
        e.cleanup()


def test_second_instance_with_the_same_pid_file_fails():
    rund = mkdtemp("eider-run-")
    pidf = os.path.join(rund, "eider.pid")
    a = LifeEider(_handlers("first"), workers=1, extra_conf="pid %s;" % pidf)
    try:
        a.start()
        d = mkdtemp("eider-second-")
        port2 = free_port()
        conf2 = _write(os.path.join(d, "eider.conf"),
                       _conf(d, port2, _handlers("second"), "pid %s;" % pidf))
        p = run_eider(["-c", conf2], timeout=15)
        out = p.stdout + p.stderr + _log(d)
        assert p.returncode == 1, "second instance exit status %s (want 1)\n%s" % (p.returncode, out)
        assert "already running" in out, "no 'already running' message:\n" + out
        assert read_pid_file(pidf) == "%d\n" % a.pid, "the second instance touched the pid file"
        assert connect_refused(port2), "the second instance serves anyway"
        assert a.get("/")[2] == b"first"
        for pid in _eider_procs_using(conf2):
            kill_tree(pid)
        # the same with daemon on: the launcher says so and exits 1
        port3 = free_port()
        conf3 = _write(os.path.join(d, "daemon.conf"),
                       _conf(d, port3, _handlers("third"), "pid %s;\ndaemon on;" % pidf))
        rc, out3, _ = _launch(conf3, d)
        for pid in _eider_procs_using(conf3):
            kill_tree(pid)
        assert rc == 1, "second instance (daemon on) exit status %s\n%s" % (rc, out3)
        assert "already running" in out3, "no 'already running' from the launcher:\n" + out3
        assert read_pid_file(pidf) == "%d\n" % a.pid, "the second daemon touched the pid file"
        assert connect_refused(port3)
    finally:
        a.cleanup()


# ---------------------------------------------------------------- eider -s

def test_signal_option_reload_reopen_quit():
    rund = mkdtemp("eider-run-")
    pidf = os.path.join(rund, "eider.pid")
    h = _handlers("v1")
    e = LifeEider(h, workers=2, extra_conf="pid %s;" % pidf)
    try:
        e.start()
        old = e.wait_workers(2)
        _write(os.path.join(h, "index.js"), "module.exports = function (req, res) { res.end('v2'); };\n")
        p = run_eider(["-c", e.conf_path, "-s", "reload"], timeout=15)
        assert p.returncode == 0, "-s reload: %s %s%s" % (p.returncode, p.stdout, p.stderr)
        e.wait_log(re.compile(r"^(?!.*reload failed).*\breloaded\b", re.M), timeout=15)
        wait_until(lambda: e.get("/")[2] == b"v2", 10, msg="v2 served after -s reload")
        e.wait_new_workers(old, 2)

        assert_status(e.get("/?m=before-reopen"), 200)
        e.wait_log("before-reopen", which="access")
        os.rename(e.access_log_path, e.access_log_path + ".1")
        p = run_eider(["-c", e.conf_path, "-s", "reopen"], timeout=15)
        assert p.returncode == 0, "-s reopen: %s %s%s" % (p.returncode, p.stdout, p.stderr)
        wait_until(lambda: os.path.exists(e.access_log_path), 5, msg="access log reopened")
        try:
            wait_until(lambda: e.get("/?m=after-reopen")[0] == 200 and "after-reopen" in e.access_log(),
                       10, interval=0.3, msg="new requests in the new access log")
        except AssertionError:
            with open(e.access_log_path + ".1") as f:
                rotated = f.read()
            raise AssertionError("after -s reopen, new requests are not in the new access log\n"
                                 "--- new access.log ---\n%s--- access.log.1 (tail) ---\n%s%s"
                                 % (e.access_log()[-1000:], rotated[-1000:], e.diagnostics()))

        p = run_eider(["-c", e.conf_path, "-s", "quit"], timeout=15)
        assert p.returncode == 0, "-s quit: %s %s%s" % (p.returncode, p.stdout, p.stderr)
        rc = e.proc.wait(15)
        assert rc == 0, "master exit status after -s quit: %s" % rc
        assert not os.path.exists(pidf), "pid file not removed"
    finally:
        e.cleanup()


def test_signal_option_stop_uses_term():
    rund = mkdtemp("eider-run-")
    pidf = os.path.join(rund, "eider.pid")
    e = LifeEider(_handlers(), workers=1, extra_conf="pid %s;" % pidf)
    try:
        e.start()
        p = run_eider(["-c", e.conf_path, "-s", "stop"], timeout=15)
        assert p.returncode == 0, "-s stop: %s %s%s" % (p.returncode, p.stdout, p.stderr)
        assert e.proc.wait(15) == 0
        assert not os.path.exists(pidf)
    finally:
        e.cleanup()


def test_signal_option_errors():
    d = mkdtemp("eider-s-")
    h = _handlers()
    # no pid directive
    conf = _write(os.path.join(d, "nopid.conf"), _conf(d, free_port(), h))
    p = run_eider(["-c", conf, "-s", "reload"], timeout=15)
    out = p.stdout + p.stderr
    assert p.returncode == 1, "-s reload without a pid directive: status %s\n%s" % (p.returncode, out)
    assert "pid" in out.lower(), "no message about the missing pid file:\n" + out
    # configured but missing
    pidf = os.path.join(d, "missing.pid")
    conf = _write(os.path.join(d, "missing.conf"), _conf(d, free_port(), h, "pid %s;" % pidf))
    p = run_eider(["-c", conf, "-s", "reload"], timeout=15)
    out = p.stdout + p.stderr
    assert p.returncode == 1, "-s reload, pid file missing: status %s\n%s" % (p.returncode, out)
    assert "pid" in out.lower(), "no message about the missing pid file:\n" + out
    # stale: the pid is no process
    stale = dead_pid()
    _write(pidf, "%d\n" % stale)
    for action in ("reload", "stop", "quit", "reopen"):
        p = run_eider(["-c", conf, "-s", action], timeout=15)
        out = p.stdout + p.stderr
        assert p.returncode == 1, "-s %s, stale pid file: status %s\n%s" % (action, p.returncode, out)
        assert out.strip(), "-s %s with a stale pid file said nothing" % action
    # unknown action
    p = run_eider(["-c", conf, "-s", "bogus"], timeout=15)
    assert p.returncode != 0, "-s bogus accepted"


# ---------------------------------------------------------------- user / group

def _worker_ids(e, n=2):
    ws = e.wait_workers(n)
    return ws, [proc_ids(w) for w in ws]


def _check_drop(e, uid, gid, what):
    # a worker starts as root (it reads the handlers first): give every
    # worker a moment to finish starting, then check
    def dropped():
        ws, ids = _worker_ids(e)
        return all(u == [uid] * 4 and g == [gid] * 4 for u, g, _ in ids)
    try:
        wait_until(dropped, 5, interval=0.05, msg="workers to run as %d:%d" % (uid, gid))
    except AssertionError:
        pass   # the asserts below say what is wrong
    ws, ids = _worker_ids(e)
    for w, (uids, gids, groups) in zip(ws, ids):
        assert uids == [uid] * 4, "%s: worker %d Uid %s, want %d" % (what, w, uids, uid)
        assert gids == [gid] * 4, "%s: worker %d Gid %s, want %d" % (what, w, gids, gid)
        if uid != 0:
            assert 0 not in groups, "%s: worker %d kept the root group: Groups %s" % (what, w, groups)
    muids, mgids, _ = proc_ids(e.pid)
    assert muids[0] == 0 and muids[1] == 0, "master Uid %s: the master must stay root" % muids
    for i in range(4):
        r = e.get("/")
        assert_status(r, 200, "%s: request %d" % (what, i))
        assert r[2] == b"daemon ok"
    return ws


def _need_root():
    if os.geteuid() != 0:
        print("    not root: privilege drop not tested")
        return False
    return True


def test_workers_run_as_nobody_by_default_under_root():
    if not _need_root():
        return
    e = LifeEider(_handlers(), workers=2)
    try:
        e.start()
        _check_drop(e, pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid, "default")
    finally:
        e.cleanup()


def test_user_directive():
    if not _need_root():
        return
    pw = pwd.getpwnam("daemon")
    e = LifeEider(_handlers(), workers=2, extra_conf="user daemon;")
    try:
        e.start()
        ws = _check_drop(e, pw.pw_uid, pw.pw_gid, "user daemon")
        # the drop survives a reload and a worker restart
        e.reload()
        ws2 = e.wait_new_workers(ws, 2)
        os.kill(ws2[0], signal.SIGKILL)
        e.wait_new_workers([ws2[0]], 2)
        _check_drop(e, pw.pw_uid, pw.pw_gid, "user daemon after reload and restart")
    finally:
        e.cleanup()


def test_user_and_group_directives():
    if not _need_root():
        return
    e = LifeEider(_handlers(), workers=2, extra_conf="user daemon;\ngroup nogroup;")
    try:
        e.start()
        _check_drop(e, pwd.getpwnam("daemon").pw_uid, grp.getgrnam("nogroup").gr_gid,
                    "user daemon; group nogroup")
    finally:
        e.cleanup()


def test_user_root_explicitly():
    if not _need_root():
        return
    e = LifeEider(_handlers(), workers=2, extra_conf="user root;")
    try:
        e.start()
        _check_drop(e, 0, 0, "user root")
    finally:
        e.cleanup()


def test_unknown_user_is_a_config_error():
    d = mkdtemp("eider-user-")
    conf = _write(os.path.join(d, "eider.conf"),
                  _conf(d, free_port(), _handlers(), "user no_such_user_zz;"))
    p = run_eider(["-t", "-c", conf], timeout=15)
    out = p.stdout + p.stderr
    assert p.returncode == 1, "unknown user accepted by -t (status %s):\n%s" % (p.returncode, out)
    assert re.search(r"eider\.conf:6\b", out) and "no_such_user_zz" in out, out


# ---------------------------------------------------------------- systemd notify

def test_notify_socket_ready_reloading_stopping():
    d = mkdtemp("eider-notify-")
    ns = NotifySocket(os.path.join(d, "notify.sock"))
    h = _handlers("v1")
    e = LifeEider(h, workers=2, env=ns.env)
    try:
        e.start()
        i, f = ns.wait_for("READY=1", 10)
        assert f.get("MAINPID") == str(e.pid), \
            "READY=1 datagram without MAINPID=%d: %r" % (e.pid, ns.messages[i][1])
        assert_status(e.get("/"), 200)
        _write(os.path.join(h, "index.js"), "module.exports = function (req, res) { res.end('v2'); };\n")
        e.reload()
        j, _ = ns.wait_for("RELOADING=1", 10, start=i + 1)
        k, _ = ns.wait_for("READY=1", 10, start=j + 1)
        wait_until(lambda: e.get("/")[2] == b"v2", 10, msg="v2 after the reload")
        e.signal(signal.SIGTERM)
        s, _ = ns.wait_for("STOPPING=1", 10, start=k + 1)
        assert e.proc.wait(15) == 0
        ns.collect(0.2)
        msgs = [m for _, m in ns.messages]
        print("    notifications: %r" % msgs)
        readies = [x for x in range(len(msgs)) if ns.fields(x).get("READY") == "1"]
        assert readies == [i, k], "READY=1 sent %d times (want: at start, after the reload): %r" % (
            len(readies), msgs)
    finally:
        e.cleanup()
        ns.close()


def test_notify_no_ready_while_workers_cannot_start():
    """READY=1 means workers accept: not sent while every worker fails to
    start (a handlers dir the workers' user cannot read)."""
    if os.geteuid() != 0:
        print("    not root: not tested")
        return
    d = mkdtemp("eider-notify-")
    ns = NotifySocket(os.path.join(d, "notify.sock"))
    h = _handlers()
    os.chmod(h, 0o700)
    e = LifeEider(h, workers=1, env=ns.env, start_timeout=3)
    try:
        try:
            e.start()
        except AssertionError:
            pass
        msgs = ns.collect(0.3)
        assert not any("READY=1" in m.split("\n") for m in msgs), \
            "READY=1 sent although no worker could start: %r\n%s" % (msgs, e.error_log()[-1000:])
    finally:
        e.cleanup()
        ns.close()


def test_notify_abstract_socket():
    ns = NotifySocket("@eider-test-%s" % uuid.uuid4().hex[:12])
    e = LifeEider(_handlers(), workers=1, env=ns.env)
    try:
        e.start()
        i, f = ns.wait_for("READY=1", 10)
        assert f.get("MAINPID") == str(e.pid), ns.messages
    finally:
        e.cleanup()
        ns.close()


def test_no_notify_socket_no_problem():
    """Without NOTIFY_SOCKET (and with a bad one) eider still starts."""
    e = LifeEider(_handlers(), workers=1, env={"NOTIFY_SOCKET": "/nonexistent/notify.sock"})
    try:
        e.start()
        assert_status(e.get("/"), 200)
    finally:
        e.cleanup()


# ---------------------------------------------------------------- syslog

def test_error_log_syslog_is_accepted():
    d = mkdtemp("eider-syslog-")
    h = _handlers()
    for arg in ("syslog", "syslog warn"):
        conf = _write(os.path.join(d, "eider.conf"),
                      "listen 127.0.0.1:%d;\nworkers 1;\nhandlers %s;\nerror_log %s;\n"
                      % (free_port(), h, arg))
        p = run_eider(["-t", "-c", conf], timeout=15)
        assert p.returncode == 0, "error_log %s rejected:\n%s%s" % (arg, p.stdout, p.stderr)
    port = free_port()
    e = LifeEider(h, conf_text="listen 127.0.0.1:%d;\nworkers 1;\nhandlers %s;\n"
                  "error_log syslog info;\naccess_log off;\n" % (port, h))
    e.port = port
    try:
        e.start()
        assert_status(e.get("/"), 200)
        e.signal(signal.SIGTERM)
        assert e.proc.wait(15) == 0
    finally:
        e.cleanup()
