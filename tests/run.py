#!/usr/bin/env python3
"""eider test runner: C unit tests, JS tests, Python integration tests and
the Node compatibility suite (tests/compat).

usage: python3 tests/run.py --builddir B --srcdir S [-k SUBSTRING] [--valgrind]

Prints one line per test ("ok NAME (0.12s)" / "FAIL NAME: message" /
"skip NAME: why" for pending ones) and a final line "N passed, N failed";
exits 0 iff nothing failed.
"""
import argparse
import glob
import importlib
import inspect
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback

SUMMARY_RE = re.compile(r"^\s*(\d+) passed, (\d+) failed\s*$")
UNIT_TIMEOUT = 300
TEST_TIMEOUT = 90        # seconds per integration test
NPM_TIMEOUT = 600


class Totals:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def skip(self, name, why):
        self.skipped += 1
        print("skip %s: %s" % (name, why), flush=True)

    def ok(self, name, secs=None, extra=""):
        self.passed += 1
        t = " (%.2fs)" % secs if secs is not None else ""
        print("ok %s%s%s" % (name, t, extra), flush=True)

    def fail(self, name, msg, detail=""):
        self.failed += 1
        self.failures.append(name)
        print("FAIL %s: %s" % (name, msg), flush=True)
        if detail:
            print(indent(detail), flush=True)


def indent(text, prefix="    "):
    return "\n".join(prefix + ln for ln in text.rstrip().splitlines())


def tail(text, n=40):
    lines = text.rstrip().splitlines()
    if len(lines) > n:
        lines = ["... (%d lines omitted)" % (len(lines) - n)] + lines[-n:]
    return "\n".join(lines)


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_captured(cmd, timeout, env=None, cwd=None):
    """Run cmd in its own process group; returns (rc, output, timed_out)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=env, cwd=cwd,
                         start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_group(p)
        out, _ = p.communicate()
        timed_out = True
    finally:
        kill_group(p)   # leftovers forked by the test
    return p.returncode, out.decode("utf-8", "replace"), timed_out


def run_convention_binary(totals, label, cmd, valgrind=False, timeout=UNIT_TIMEOUT):
    """A binary printing 'ok NAME' / 'FAIL NAME: msg' lines and a final
    'N passed, N failed' line."""
    if valgrind:
        cmd = ["valgrind", "--leak-check=full", "--error-exitcode=99", "-q",
               "--child-silent-after-fork=yes"] + cmd
    t0 = time.time()
    rc, out, timed_out = run_captured(cmd, timeout)
    secs = time.time() - t0
    lines = out.rstrip().splitlines()
    summary = None
    for ln in reversed(lines):
        if ln.strip():
            summary = SUMMARY_RE.match(ln)
            break
    for ln in lines:
        s = ln.strip()
        if s.startswith("ok "):
            print("ok %s: %s" % (label, s[3:]), flush=True)
        elif s.startswith("FAIL "):
            print("FAIL %s: %s" % (label, s[5:]), flush=True)
            totals.failures.append("%s: %s" % (label, s[5:].split(":")[0]))
    if timed_out:
        totals.fail(label, "timed out after %ds" % timeout, tail(out))
        return
    if summary is None:
        totals.fail(label, "crashed or printed no summary line (exit status %s)" % rc, tail(out))
        return
    p, f = int(summary.group(1)), int(summary.group(2))
    totals.passed += p
    totals.failed += f
    print("  %s: %d passed, %d failed (%.2fs)" % (label, p, f, secs), flush=True)
    if valgrind and rc == 99:
        totals.fail(label, "valgrind reported errors", tail(out))
    elif rc != 0 and f == 0:
        totals.fail(label, "exit status %s although no test failed" % rc, tail(out))


# ------------------------------------------------------------------ unit

def run_unit(totals, args):
    d = os.path.join(args.builddir, "tests", "unit")
    bins = sorted(p for p in glob.glob(os.path.join(d, "test_*"))
                  if os.path.isfile(p) and os.access(p, os.X_OK)
                  and not re.search(r"\.(o|c|h|log|trs|py|sh)$", p))
    if not bins:
        print("# no C unit test binaries in %s" % d, flush=True)
    for b in bins:
        label = "unit/" + os.path.basename(b)
        if args.k and args.k not in label:
            continue
        run_convention_binary(totals, label, [b], valgrind=args.valgrind)


# ------------------------------------------------------------------ js

def run_js(totals, args):
    harness = os.path.join(args.builddir, "tests", "js", "prelude_harness")
    label = "js/prelude"
    # The prelude's parts in the order js_runtime.c runs them, then the checks.
    files = [os.path.join(args.srcdir, "framework", "js", part) for part in
             ("prelude.js", "prelude_es.js", "prelude_web.js", "prelude_buffer.js")] \
        + [os.path.join(args.srcdir, "tests", "js", "prelude_test.js")]
    if not args.k or args.k in label:
        if os.path.isfile(harness) and os.access(harness, os.X_OK):
            run_convention_binary(totals, label, [harness] + files, valgrind=args.valgrind)
        else:
            print("# %s not built, prelude tests not run" % harness, flush=True)
    # The same checks against V8's own library (tests/js/prelude_node.js).
    label = "js/prelude-node"
    if (not args.k or args.k in label) and not args.valgrind:
        node = shutil.which("node")
        if node:
            run_convention_binary(totals, label, [node, os.path.join(args.srcdir, "tests", "js",
                                                                     "prelude_node.js")] + files)
        else:
            totals.fail(label, "node is required to run the prelude checks under V8")
    # fetch's JavaScript half under Node, with a fake C half (tests/js/fetch_node.js).
    label = "js/fetch-node"
    if (not args.k or args.k in label) and not args.valgrind:
        node = shutil.which("node")
        if node:
            run_convention_binary(totals, label, [node, os.path.join(args.srcdir, "tests", "js", "fetch_node.js"),
                                                  os.path.join(args.srcdir, "framework", "js", "fetch.js")])
        else:
            totals.fail(label, "node is required to run fetch.js's checks")

    script = os.path.join(args.srcdir, "tests", "js", "promises-aplus.js")
    label = "js/promises-aplus"
    if args.k and args.k not in label:
        return
    if not os.path.isfile(script):
        print("# %s missing, Promises/A+ tests not run" % script, flush=True)
        return
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        totals.fail(label, "node and npm are required for the Promises/A+ suite "
                    "(apt-get install nodejs npm); missing: %s"
                    % ", ".join(n for n, p in (("node", node), ("npm", npm)) if not p))
        return
    deps = os.path.join(args.builddir, "tests", "js-deps")
    modules = os.path.join(deps, "node_modules")
    t0 = time.time()
    if not os.path.isdir(os.path.join(modules, "promises-aplus-tests")):
        os.makedirs(deps, exist_ok=True)
        pkg = os.path.join(args.srcdir, "tests", "js", "package.json")
        if os.path.isfile(pkg):
            shutil.copy(pkg, os.path.join(deps, "package.json"))
            os.chmod(os.path.join(deps, "package.json"), 0o644)
        rc, out, to = run_captured([npm, "install", "--prefix", deps, "--no-audit", "--no-fund",
                                    "promises-aplus-tests"], NPM_TIMEOUT)
        if rc != 0 or to:
            totals.fail(label, "npm install promises-aplus-tests failed (status %s%s)"
                        % (rc, ", timed out" if to else ""), tail(out))
            return
    env = dict(os.environ)
    env["NODE_PATH"] = modules + (os.pathsep + env["NODE_PATH"] if env.get("NODE_PATH") else "")
    rc, out, to = run_captured([node, script], UNIT_TIMEOUT, env=env)
    secs = time.time() - t0
    if to:
        totals.fail(label, "timed out", tail(out))
    elif rc == 0:
        m = re.findall(r"(\d+) (?:passing|passed)", out)
        totals.ok(label, secs, " [%s passing]" % m[-1] if m else "")
    else:
        m = re.findall(r"(\d+) (?:failing|failed)", out)
        totals.fail(label, "exit status %s%s" % (rc, " (%s failing)" % m[-1] if m else ""),
                    tail(out, 60))


# ------------------------------------------------------------------ integration

class TestTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise TestTimeout("test exceeded %ds" % TEST_TIMEOUT)


def short_tb(e, test_file_dirs):
    """Traceback limited to frames in the integration test directory."""
    tb = traceback.extract_tb(e.__traceback__)
    frames = [f for f in tb if any(f.filename.startswith(d) for d in test_file_dirs)]
    frames = frames[-4:] or tb[-3:]
    lines = ["%s:%d in %s: %s" % (os.path.basename(f.filename), f.lineno, f.name,
                                  (f.line or "").strip()) for f in frames]
    return "\n".join(lines)


def first_line(e):
    msg = str(e)
    lines = msg.splitlines()
    head = "%s: %s" % (type(e).__name__, lines[0] if lines else "")
    return head, "\n".join(lines[1:])


def run_integration(totals, args):
    idir = os.path.join(args.srcdir, "tests", "integration")
    files = sorted(glob.glob(os.path.join(idir, "test_*.py")))
    if not files:
        totals.fail("integration", "no test files in %s" % idir)
        return
    sys.path.insert(0, idir)
    sys.dont_write_bytecode = True
    import eiderlib   # noqa: E402  (after sys.path tweak)
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for f in files:
            modname = os.path.splitext(os.path.basename(f))[0]
            short = modname[5:] if modname.startswith("test_") else modname
            wanted_module = not args.k or args.k in modname
            try:
                mod = importlib.import_module(modname)
            except Exception as e:
                head, rest = first_line(e)
                totals.fail(modname + " (import)", head,
                            (rest + "\n" if rest else "") + traceback.format_exc(limit=-3))
                continue
            funcs = [(getattr(fn, "__code__").co_firstlineno, n, fn)
                     for n, fn in vars(mod).items()
                     if n.startswith("test_") and inspect.isfunction(fn)
                     and fn.__module__ == modname]
            funcs.sort()
            ran = False
            for _, name, fn in funcs:
                full = "%s.%s" % (short, name)
                if args.k and not (wanted_module or args.k in name or args.k in full):
                    continue
                ran = True
                t0 = time.time()
                signal.alarm(TEST_TIMEOUT)
                pending = getattr(fn, "pending", None)
                try:
                    fn()
                    signal.alarm(0)
                    totals.ok(full, time.time() - t0,
                              " (marked pending, but passes: remove the marker)" if pending else "")
                except BaseException as e:
                    signal.alarm(0)
                    if isinstance(e, KeyboardInterrupt):
                        eiderlib.kill_all()
                        raise
                    if pending:
                        # Written ahead of the feature: reported, not failed.
                        totals.skip(full, "pending %s (%s)" % (pending, first_line(e)[0][:120]))
                        continue
                    head, rest = first_line(e)
                    detail = ""
                    if rest:
                        detail += tail(rest, 40) + "\n"
                    detail += short_tb(e, [idir])
                    totals.fail(full, head + " (%.2fs)" % (time.time() - t0), detail)
            td = getattr(mod, "teardown_module", None)
            if ran and callable(td):
                try:
                    signal.alarm(TEST_TIMEOUT)
                    td()
                    signal.alarm(0)
                except Exception as e:
                    signal.alarm(0)
                    head, rest = first_line(e)
                    totals.fail(short + ".teardown_module", head, short_tb(e, [idir]))
            eiderlib.cleanup_all()   # nothing may survive its module
    finally:
        signal.signal(signal.SIGALRM, old)
        eiderlib.cleanup_all()


# ------------------------------------------------------------------ compat

def run_compat(totals, args):
    """tests/compat: handlers run under eider and under Node, compared."""
    d = os.path.join(args.srcdir, "tests", "compat")
    if not os.path.isfile(os.path.join(d, "compat.py")):
        print("# %s/compat.py missing, compat suite not run" % d, flush=True)
        return
    sys.path.insert(0, d)
    sys.dont_write_bytecode = True
    import compat   # noqa: E402
    compat.run(totals, srcdir=args.srcdir, builddir=args.builddir, k=args.k)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--builddir", default=os.path.dirname(here))
    ap.add_argument("--srcdir", default=os.path.dirname(here))
    ap.add_argument("-k", default=None, metavar="SUBSTRING",
                    help="only run tests whose name contains SUBSTRING")
    ap.add_argument("--valgrind", action="store_true",
                    help="run C unit tests (and the prelude harness) under valgrind")
    ap.add_argument("--sanitized", action="store_true",
                    help="the build uses ASan/UBSan (./configure --enable-sanitizers): "
                         "RSS checks are skipped, JS time limits raised")
    ap.add_argument("--no-unit", action="store_true", help="skip C unit tests")
    ap.add_argument("--no-js", action="store_true", help="skip JS tests")
    ap.add_argument("--no-integration", action="store_true", help="skip integration tests")
    ap.add_argument("--no-compat", action="store_true",
                    help="skip the Node compatibility suite (tests/compat)")
    args = ap.parse_args()
    args.builddir = os.path.abspath(args.builddir)
    args.srcdir = os.path.abspath(args.srcdir)
    os.environ["EIDER_SRCDIR"] = args.srcdir
    os.environ["EIDER_BUILDDIR"] = args.builddir
    os.environ.setdefault("EIDER_BIN", os.path.join(args.builddir, "framework", "eider"))
    if args.sanitized:
        os.environ["EIDER_SANITIZED"] = "1"

    totals = Totals()
    t0 = time.time()
    try:
        if not args.no_unit:
            run_unit(totals, args)
        if not args.no_js:
            run_js(totals, args)
        if not args.no_integration:
            run_integration(totals, args)
        if not args.no_compat:
            run_compat(totals, args)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        totals.failed += 1
    if totals.failures:
        shown = totals.failures[:60]
        more = len(totals.failures) - len(shown)
        print("# failed: " + ", ".join(shown) + (" ... and %d more" % more if more else ""),
              flush=True)
    print("# total time %.1fs" % (time.time() - t0), flush=True)
    if totals.skipped:
        # pending tests and compat cases; the last line keeps its form
        print("# %d skipped (pending)" % totals.skipped, flush=True)
    print("%d passed, %d failed" % (totals.passed, totals.failed), flush=True)
    sys.exit(0 if totals.failed == 0 else 1)


if __name__ == "__main__":
    main()
