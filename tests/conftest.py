"""pytest's configuration for all of eider's tests (tests/unit, tests/js,
tests/integration, tests/compat): where the build is, what a pending test
is, and that nothing a test module started outlives it.

make check runs: python3 -m pytest --builddir B [--sanitized] tests/...
(Makefile.am); a developer runs a subset the same way with -k, -x, --lf.
"""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "integration"))
sys.dont_write_bytecode = True


def pytest_addoption(parser):
    g = parser.getgroup("eider")
    g.addoption("--builddir", default=os.environ.get("EIDER_BUILDDIR", os.path.dirname(HERE)),
                help="the build tree (where framework/eider and the unit tests are)")
    g.addoption("--sanitized", action="store_true",
                help="the build uses ASan/UBSan (./configure --enable-sanitizers): "
                     "RSS checks are skipped, JS time limits raised")
    g.addoption("--valgrind", action="store_true",
                help="run the C unit tests and the prelude harness under valgrind memcheck")


def pytest_configure(config):
    builddir = os.path.abspath(config.getoption("builddir"))
    os.environ["EIDER_SRCDIR"] = os.path.dirname(HERE)
    os.environ["EIDER_BUILDDIR"] = builddir
    os.environ.setdefault("EIDER_BIN", os.path.join(builddir, "framework", "eider"))
    if config.getoption("sanitized"):
        os.environ["EIDER_SANITIZED"] = "1"
    if config.getoption("valgrind"):
        os.environ["EIDER_VALGRIND"] = "1"
    config.addinivalue_line("markers", "pending(why): written ahead of the feature "
                            "(eiderlib.pending); reported as xfail, not failed")


def pytest_collection_modifyitems(config, items):
    # eiderlib.pending marks a test written ahead of its feature: it is
    # reported (xfail, or xpass once it works: then remove the marker).
    for item in items:
        why = getattr(getattr(item, "function", None), "pending", None)
        if why:
            item.add_marker(pytest.mark.xfail(reason="pending: %s" % why, strict=False))


@pytest.fixture(autouse=True, scope="module")
def _nothing_survives_its_module():
    """Every eider, nginx or upstream a module started is stopped, and its
    temporary directories removed, when the module ends."""
    yield
    import eiderlib
    eiderlib.cleanup_all()


def pytest_sessionfinish(session, exitstatus):
    if "eiderlib" in sys.modules:
        sys.modules["eiderlib"].cleanup_all()
