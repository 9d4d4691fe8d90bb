"""Test binaries of the "convention": a program that prints "ok NAME" or
"FAIL NAME: why" (then indented detail lines) for each of its cases and a
last line "N passed, N failed" (tests/unit/unit.h, tests/js/prelude_harness.c,
tests/js/prelude_node.js). Each is run once, at collection, and every case
becomes a pytest item, plus one item for the run as a whole (it crashed,
printed no summary, or valgrind found errors)."""
import os
import re
import signal
import subprocess

SUMMARY_RE = re.compile(r"^\s*(\d+) passed, (\d+) failed\s*$")
RUN = "(the whole run)"
_runs = {}


def _valgrind(cmd):
    return ["valgrind", "--leak-check=full", "--error-exitcode=99", "-q",
            "--child-silent-after-fork=yes"] + cmd


def run(cmd, valgrind=False, timeout=300):
    """Runs CMD (memoized) and returns {case: (passed, detail)} in order,
    with RUN's entry last."""
    key = (tuple(cmd), valgrind)
    if key in _runs:
        return _runs[key]
    full = _valgrind(cmd) if valgrind else cmd
    p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        why = None
    except subprocess.TimeoutExpired:
        why = "timed out after %ds" % timeout
        out = b""
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)   # leftovers it forked
        except (ProcessLookupError, PermissionError):
            pass
        if p.poll() is None:
            p.wait()
    text = out.decode("utf-8", "replace")
    cases, current = {}, None

    def unique(name):
        n = 1
        while (name if n == 1 else "%s (%d)" % (name, n)) in cases:
            n += 1
        return name if n == 1 else "%s (%d)" % (name, n)

    for ln in text.splitlines():
        s = ln.strip()
        if ln.startswith("ok "):
            current = None
            cases[unique(s[3:])] = (True, "")
        elif ln.startswith("FAIL "):
            name, _, msg = s[5:].partition(": ")
            current = unique(name)
            cases[current] = (False, msg)
        elif current and ln.startswith((" ", "\t")):
            ok, detail = cases[current]
            cases[current] = (ok, detail + "\n" + ln)
        else:
            current = None
    last = [ln for ln in text.splitlines() if ln.strip()][-1:] or [""]
    summary = SUMMARY_RE.match(last[0])
    tail = "\n".join(text.rstrip().splitlines()[-40:])
    if why is None and summary is None:
        why = "crashed or printed no summary line (exit status %s)" % p.returncode
    elif why is None and valgrind and p.returncode == 99:
        why = "valgrind reported errors"
    elif why is None and p.returncode != 0 and int(summary.group(2)) == 0:
        why = "exit status %s although no case failed" % p.returncode
    cases[RUN] = (why is None, "" if why is None else why + "\n" + tail)
    _runs[key] = cases
    return cases


def check(cases, name):
    """The assertion of one item."""
    ok, detail = cases[name]
    assert ok, detail or "failed"
