"""The Node compatibility suites (compat.py, README.md): every case of
tests/compat/cases and of tests/compat/npm/handlers is an item,
"compat/NAME" or "compat-npm/NAME". A suite's selected cases are served
together by one eider (and one Node) when the first of them runs; a case
listed in the suite's PENDING file is an xfail until it passes."""
import os

import pytest

import compat
import eiderlib

SUITES = {s.label: s for s in compat.suites()}
_served = {}


def _params():
    out = []
    for label, suite in SUITES.items():
        try:
            cases = compat.load_cases(suite.cases_dir)
        except ValueError as e:
            out.append(pytest.param(label, None, str(e), id=label + "/(cases)"))
            continue
        names = {c.name for c in cases}
        for c in cases:
            out.append(pytest.param(label, c.name, None, id="%s/%s" % (label, c.name)))
        for p in sorted(set(compat.load_pending(suite.pending_file)) - names):
            out.append(pytest.param(label, p, "%s names a case that does not exist"
                                    % suite.rel(suite.pending_file), id="%s/%s" % (label, p)))
    return out


def _serve(request, label):
    """The results of the suite LABEL for the cases this session runs."""
    if label in _served:
        return _served[label]
    suite = SUITES[label]
    wanted = {item.callspec.params["name"] for item in request.session.items
              if getattr(item, "callspec", None) and item.callspec.params.get("label") == label}
    cases = [c for c in compat.load_cases(suite.cases_dir) if c.name in wanted]
    if label == "compat-npm":
        modules, why = compat.prepare_npm(os.environ["EIDER_BUILDDIR"])
        if why:
            _served[label] = ("skip", "the npm part is not run: " + why)
            return _served[label]
        suite.modules_dir = modules
        suite.work_dir = os.path.dirname(os.path.dirname(modules))
    try:
        _served[label] = ("ran",) + compat.serve_suite(eiderlib, suite, cases)
    except AssertionError as e:
        _served[label] = ("error", str(e))
    return _served[label]


# A cold start lowers every modern file of the npm packages, several times
# slower under the sanitizers; that time falls on a suite's first case.
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("label,name,problem", _params())
def test_compat(request, label, name, problem):
    assert problem is None, problem
    served = _serve(request, label)
    if served[0] == "skip":
        pytest.skip(served[1])
    assert served[0] == "ran", served[1]
    results, node_log = served[1], served[2]
    case = next(c for c in compat.load_cases(SUITES[label].cases_dir) if c.name == name)
    verdict, msg, detail = compat.outcome(SUITES[label], case, results.get(name), node_log)
    if verdict == "pending":
        pytest.xfail(msg)
    assert verdict == "ok", msg + ("\n" + detail if detail else "")
