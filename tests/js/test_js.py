"""The prelude's checks (tests/js/prelude_test.js) run in eider's Duktape
build (prelude_harness) and under V8 (prelude_node.js, so the checks say
what V8 does), each check an item; fetch.js's checks under Node
(fetch_node.js); then the Promises/A+ suite in Node against the prelude's
Promise."""
import os
import re
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


@pytest.mark.skipif(VALGRIND, reason="valgrind runs the C tests only")
@pytest.mark.timeout(NPM_TIMEOUT + 300)
def test_promises_aplus():
    node, npm = shutil.which("node"), shutil.which("npm")
    assert node and npm, ("node and npm are required for the Promises/A+ suite "
                          "(apt-get install nodejs npm)")
    deps = os.path.join(BUILDDIR, "tests", "js-deps")
    modules = os.path.join(deps, "node_modules")
    if not os.path.isdir(os.path.join(modules, "promises-aplus-tests")):
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
    env = dict(os.environ)
    env["NODE_PATH"] = modules + (os.pathsep + env["NODE_PATH"] if env.get("NODE_PATH") else "")
    r = subprocess.run([node, os.path.join(SRCDIR, "tests", "js", "promises-aplus.js")], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    out = r.stdout.decode("utf-8", "replace")
    failing = re.findall(r"(\d+) (?:failing|failed)", out)
    assert r.returncode == 0, "Promises/A+: exit status %s%s\n%s" % (
        r.returncode, " (%s failing)" % failing[-1] if failing else "", out[-4000:])
