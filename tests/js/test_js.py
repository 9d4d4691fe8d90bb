"""The prelude's checks (tests/js/prelude_test.js) run in eider's Duktape
build (prelude_harness) and under V8 (prelude_node.js, so the checks say
what V8 does), each check an item; fetch.js's checks under Node
(fetch_node.js); then the Promises/A+ suite against eider's Promise (the C
core and the prelude) in eider's Duktape."""
import json
import os
import shutil
import subprocess

import pytest

import convention

SRCDIR = os.environ.get("EIDER_SRCDIR", "")
BUILDDIR = os.environ.get("EIDER_BUILDDIR", "")
VALGRIND = os.environ.get("EIDER_VALGRIND") == "1"
HARNESS = os.path.join(BUILDDIR, "tests", "js", "prelude_harness")
# The prelude's parts in the order js_runtime.c runs them, then the checks.
FILES = [os.path.join(SRCDIR, "framework", "js", part) for part in
         ("prelude.js", "prelude_es.js", "prelude_web.js", "prelude_buffer.js")] \
    + [os.path.join(SRCDIR, "tests", "js", "prelude_test.js")]
NPM_TIMEOUT = 600


def _params(cmd, valgrind=False):
    if cmd is None:
        return [pytest.param(None, None, id="not-runnable")]
    return [pytest.param(cmd, name, id=name) for name in convention.run(cmd, valgrind=valgrind)]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("cmd,case", _params([HARNESS] + FILES if os.access(HARNESS, os.X_OK)
                                             else None, VALGRIND))
def test_prelude(cmd, case):
    assert cmd is not None, "%s is not built: run make check" % HARNESS
    convention.check(convention.run(cmd, valgrind=VALGRIND), case)


NODE = shutil.which("node")


@pytest.mark.skipif(VALGRIND, reason="valgrind runs the C tests only")
@pytest.mark.parametrize("cmd,case", _params(
    [NODE, os.path.join(SRCDIR, "tests", "js", "prelude_node.js")] + FILES if NODE and not VALGRIND
    else None))
def test_prelude_node(cmd, case):
    assert cmd is not None, "node is required to run the prelude checks under V8"
    convention.check(convention.run(cmd), case)


@pytest.mark.skipif(VALGRIND, reason="valgrind runs the C tests only")
@pytest.mark.parametrize("cmd,case", _params(
    [NODE, os.path.join(SRCDIR, "tests", "js", "fetch_node.js"),
     os.path.join(SRCDIR, "framework", "js", "fetch.js")] if NODE and not VALGRIND else None))
def test_fetch_node(cmd, case):
    """fetch's JavaScript half (framework/js/fetch.js) under Node with a fake C half."""
    assert cmd is not None, "node is required to run fetch.js's checks"
    convention.check(convention.run(cmd), case)


def _aplus_bundle(suite, out):
    """tests/js/aplus_runner.js followed by each .js file of the suite
    package SUITE (its lib/tests tree) as APLUS_FILES[path] = function (exports,
    require, module) {...}, written to OUT."""
    parts = [open(os.path.join(SRCDIR, "tests", "js", "aplus_runner.js"), encoding="utf-8").read()]
    for d, _, names in sorted(os.walk(os.path.join(suite, "lib", "tests"))):
        for name in sorted(names):
            if name.endswith(".js"):
                path = os.path.join(d, name)
                rel = os.path.relpath(path, suite).replace(os.sep, "/")
                with open(path, encoding="utf-8") as f:
                    parts.append("APLUS_FILES[%s] = function (exports, require, module) {\n%s\n};\n"
                                 % (json.dumps(rel), f.read()))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


@pytest.mark.skipif(VALGRIND, reason="valgrind runs the C tests only")
@pytest.mark.timeout(NPM_TIMEOUT + 300)
def test_promises_aplus():
    """The Promises/A+ suite (872 tests) against eider's Promise: the C core
    with the prelude on top, in eider's Duktape (prelude_harness), driven by
    tests/js/aplus_runner.js. npm fetches the suite once per build tree."""
    npm = shutil.which("npm")
    assert npm, "npm is required to fetch the Promises/A+ suite (apt-get install npm)"
    assert os.access(HARNESS, os.X_OK), "%s is not built: run make check" % HARNESS
    deps = os.path.join(BUILDDIR, "tests", "js-deps")
    suite = os.path.join(deps, "node_modules", "promises-aplus-tests")
    if not os.path.isdir(suite):
        os.makedirs(deps, exist_ok=True)
        pkg = os.path.join(SRCDIR, "tests", "js", "package.json")
        if os.path.isfile(pkg):
            shutil.copy(pkg, os.path.join(deps, "package.json"))
            os.chmod(os.path.join(deps, "package.json"), 0o644)
        r = subprocess.run([npm, "install", "--prefix", deps, "--no-audit", "--no-fund",
                            "promises-aplus-tests"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=NPM_TIMEOUT)
        assert r.returncode == 0, "npm install promises-aplus-tests failed:\n" + \
            r.stdout.decode("utf-8", "replace")[-3000:]
    bundle = os.path.join(deps, "aplus_bundle.js")
    _aplus_bundle(suite, bundle)
    r = subprocess.run([HARNESS] + FILES[:-1] + [bundle], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    out = r.stdout.decode("utf-8", "replace")
    fails = [ln for ln in out.splitlines() if not ln.startswith("ok ")]
    summary = convention.SUMMARY_RE.match(fails[-1] if fails else "")
    assert summary and r.returncode == 0, "Promises/A+: exit status %s\n%s" % (
        r.returncode, "\n".join(fails)[-4000:])
    assert int(summary.group(1)) == 872, "Promises/A+ ran %s tests, not 872" % summary.group(1)
