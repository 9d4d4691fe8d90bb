"""Master / worker processes: worker count, replacement of a killed worker,
stop signals."""
import os
import signal
import time

from eiderlib import Eider, Shared, fixture, assert_status, pid_alive, wait_until

srv = Shared(lambda: Eider(fixture("workers"), workers=2))


def teardown_module():
    srv.close()


def _all_ok(e, n=20):
    for i in range(n):
        r = e.request("GET", "/", timeout=5)
        assert_status(r, 200, "request %d" % i)
        assert r[2] == b"worker ok"


def test_two_workers_are_children_of_master():
    e = srv.get()
    pids = e.wait_workers(2, timeout=10)
    assert e.pid not in pids
    for p in pids:
        with open("/proc/%d/stat" % p) as f:
            ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        assert ppid == e.pid, "worker %d has parent %d, not master %d" % (p, ppid, e.pid)
    _all_ok(e)


def test_killed_worker_is_replaced():
    e = srv.get()
    before = e.wait_workers(2, timeout=10)
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: not pid_alive(victim), 5, msg="killed worker %d to go away" % victim)

    def replaced():
        w = e.worker_pids()
        return w if len(w) == 2 and victim not in w else None
    after = wait_until(replaced, 10, msg="a new worker replacing %d (workers now %s)"
                       % (victim, e.worker_pids()))
    assert before[1] in after, "the surviving worker was restarted too: %s -> %s" % (before, after)
    assert pid_alive(e.pid), "master died"
    e.wait_workers(2)   # the replacement has started (not a fixed 0.3 s)
    _all_ok(e)


def test_repeated_worker_kills_still_replaced():
    e = srv.get()
    for round_ in range(2):
        cur = e.wait_workers(2, timeout=15)
        for v in cur:
            os.kill(v, signal.SIGKILL)
        wait_until(lambda: (lambda w: len(w) == 2 and not set(w) & set(cur))(e.worker_pids()),
                   15, msg="both workers replaced (round %d, now %s)" % (round_, e.worker_pids()))
    e.wait_workers(2, timeout=15)   # both replacements have started: no worker accepts before
    _all_ok(e)


def test_workers_auto_is_cpu_count():
    with Eider(fixture("workers"), workers="auto") as e:
        n = os.cpu_count()
        e.wait_workers(n, timeout=10)
        time.sleep(0.5)
        assert len(e.worker_pids()) == n, "workers auto: %s, cpus %d" % (e.worker_pids(), n)
        _all_ok(e, 5)


def _stop_with(sig):
    e = Eider(fixture("workers"), workers=2)
    try:
        e.start()
        workers = e.wait_workers(2, timeout=10)
        os.kill(e.pid, sig)
        try:
            rc = e.proc.wait(10)
        except Exception:
            raise AssertionError("master did not exit within 10s of %s" % sig.name)
        wait_until(lambda: not any(pid_alive(w) for w in workers), 5,
                   msg="workers %s to exit after %s" % (workers, sig.name))
        return rc, e
    finally:
        e.cleanup()


def test_sigterm_stops_master_and_workers():
    rc, e = _stop_with(signal.SIGTERM)
    assert rc == 0, "master exit status after SIGTERM: %s" % rc


def test_sigquit_stops_master_and_workers():
    rc, e = _stop_with(signal.SIGQUIT)
    assert rc == 0, "master exit status after SIGQUIT: %s" % rc


def test_sigint_stops_master_and_workers():
    _stop_with(signal.SIGINT)
