"""The C unit tests (tests/unit/test_*.c, built by make check): every case
of every binary is an item, "unit/BINARY::CASE"; --valgrind runs them under
memcheck (make check-valgrind)."""
import glob
import os
import re

import pytest

import convention

BUILDDIR = os.environ.get("EIDER_BUILDDIR", "")
VALGRIND = os.environ.get("EIDER_VALGRIND") == "1"


def _binaries():
    d = os.path.join(BUILDDIR, "tests", "unit")
    return sorted(p for p in glob.glob(os.path.join(d, "test_*"))
                  if os.path.isfile(p) and os.access(p, os.X_OK)
                  and not re.search(r"\.(o|c|h|log|trs|py|sh)$", p))


def _cases():
    bins = _binaries()
    if not bins:
        return [pytest.param(None, None, id="not-built")]
    return [pytest.param(b, name, id="%s::%s" % (os.path.basename(b), name))
            for b in bins for name in convention.run([b], valgrind=VALGRIND)]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("binary,case", _cases())
def test_unit(binary, case):
    assert binary is not None, "no C unit test binaries in %s/tests/unit: run make check" % BUILDDIR
    convention.check(convention.run([binary], valgrind=VALGRIND), case)
