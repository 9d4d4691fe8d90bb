"""eider test [DIR]: *.test.js files with node:test's shape (test, describe/it,
hooks, async tests, assert), each in a fresh process, TAP version 13 output
numbered across files, a last line "N passed, N failed", exit status 1 on
any failure; the example handlers' own tests pass; test files and tests/
directories are never routed."""
import os
import re

from eiderlib import handlers_tree, mkdtemp, run_eider, srcdir, write_tree

def _tests(files):
    """A handlers root with FILES under it; returns (conf, root)."""
    return handlers_tree(files, "eider-test-")


def _results(out):
    """[(ok, number, name)] of the TAP result lines in OUT."""
    return [(m.group(1) is None, int(m.group(2)), m.group(3))
            for m in re.finditer(r"^(not )?ok (\d+) - (.*)$", out, re.M)]


def _run(files, args=(), timeout=60):
    conf, _ = _tests(files)
    return run_eider(["test", "-c", conf] + list(args), timeout=timeout)


def test_example_handlers_tests_pass():
    conf, _ = _tests({})
    with open(conf, "w") as f:
        f.write("handlers %s;\n" % os.path.join(srcdir(), "handlers"))
    p = run_eider(["test", "-c", conf], timeout=60)
    assert p.returncode == 0, "exit status %s\nstdout: %s\nstderr: %s" % (p.returncode, p.stdout, p.stderr)
    lines = p.stdout.splitlines()
    assert lines[0] == "TAP version 13", p.stdout
    results = _results(p.stdout)
    assert results and all(ok for ok, _, _ in results), p.stdout
    assert [n for _, n, _ in results] == list(range(1, len(results) + 1)), p.stdout
    assert lines[-2] == "1..%d" % len(results), p.stdout
    assert lines[-1] == "%d passed, 0 failed" % len(results), p.stdout


def test_failing_assert_is_not_ok_with_message_and_line_and_exit_1():
    p = _run({"h/tests/a.test.js":
              "const test = require('node:test');\n"
              "const assert = require('assert/strict');\n"
              "test('adds', () => { assert.equal(1 + 1, 2); });\n"
              "test('wrong sum', () => {\n"
              "  assert.equal(1 + 1, 3);\n"
              "});\n"})
    assert p.returncode == 1, "exit status %s\n%s%s" % (p.returncode, p.stdout, p.stderr)
    assert _results(p.stdout) == [(True, 1, "adds"), (False, 2, "wrong sum")], p.stdout
    yaml = p.stdout.split("not ok 2 - wrong sum\n", 1)[1]
    assert yaml.startswith("  ---\n"), p.stdout
    assert "message: |-\n    Expected values to be strictly equal" in yaml, p.stdout
    assert "a.test.js:5" in yaml.split("  ...")[0], "no file:line of the assert in: " + p.stdout
    assert p.stdout.splitlines()[-1] == "1 passed, 1 failed", p.stdout


def test_async_test_rejecting_fails():
    p = _run({"h/tests/a.test.js":
              "const { test } = require('node:test');\n"
              "test('waits then passes', async () => { await new Promise(r => setTimeout(r, 5)); });\n"
              "test('rejects', async () => {\n"
              "  await new Promise(r => setTimeout(r, 5));\n"
              "  throw new Error('went wrong later');\n"
              "});\n"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "waits then passes"), (False, 2, "rejects")], p.stdout
    assert "message: 'went wrong later'" in p.stdout, p.stdout


def test_hanging_test_times_out_and_the_next_runs():
    p = _run({"h/tests/a.test.js":
              "const test = require('node:test');\n"
              "test('never settles', { timeout: 300 }, () => new Promise(() => {}));\n"
              "test('keeps an interval', { timeout: 300 }, () => { setInterval(() => {}, 50);"
              " return new Promise(() => {}); });\n"
              "test('after them', () => {});\n"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert _results(p.stdout) == [(False, 1, "never settles"), (False, 2, "keeps an interval"),
                                  (True, 3, "after them")], p.stdout
    assert "timed out after 300 ms" in p.stdout, p.stdout


def test_default_timeout_is_5_seconds():
    p = _run({"h/tests/a.test.js":
              "require('node:test')('hangs', () => new Promise(() => {}));\n"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert "timed out after 5000 ms" in p.stdout, p.stdout


def test_hooks_run_in_order_and_describe_nests():
    p = _run({"h/tests/a.test.js":
              "const { describe, it, before, after, beforeEach, afterEach } = require('node:test');\n"
              "const assert = require('assert');\n"
              "const log = [];\n"
              "before(() => log.push('before'));\n"
              "beforeEach(() => log.push('beforeEach'));\n"
              "afterEach(() => log.push('afterEach'));\n"
              "after(() => { log.push('after'); console.log('# log ' + log.join(',')); });\n"
              "describe('outer', () => {\n"
              "  beforeEach(() => log.push('outer.beforeEach'));\n"
              "  afterEach(() => log.push('outer.afterEach'));\n"
              "  it('one', () => log.push('one'));\n"
              "  describe('inner', () => {\n"
              "    it('two', () => log.push('two'));\n"
              "  });\n"
              "});\n"})
    assert p.returncode == 0, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "outer > one"), (True, 2, "outer > inner > two")], p.stdout
    assert ("# log before,beforeEach,outer.beforeEach,one,outer.afterEach,afterEach,"
            "beforeEach,outer.beforeEach,two,outer.afterEach,afterEach,after") in p.stdout, p.stdout


def test_files_run_one_after_another_in_fresh_heaps():
    p = _run({"h/tests/a.test.js": "globalThis.leak = 1;\nrequire('node:test')('a', () => {});\n",
              "h/tests/sub/b.test.js": "const assert = require('assert');\n"
                                       "require('node:test')('b sees no leak', () => {"
                                       " assert.strictEqual(typeof globalThis.leak, 'undefined'); });\n",
              "h/tests/helper.js": "throw new Error('not a test file: never run');\n"})
    assert p.returncode == 0, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "a"), (True, 2, "b sees no leak")], p.stdout


def test_syntax_error_names_file_line_column():
    p = _run({"h/tests/ok.test.js": "require('node:test')('fine', () => {});\n",
              "h/tests/z.test.js": "const test = require('node:test');\n"
                                   "test('x', () => {\n  let = = 2;\n});\n"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert re.search(r"z\.test\.js:3:\d+", p.stderr), "no file:line:column in: " + p.stderr
    results = _results(p.stdout)
    assert results[0] == (True, 1, "fine"), p.stdout
    assert results[1][0] is False and results[1][2].endswith("z.test.js"), p.stdout
    assert p.stdout.splitlines()[-1] == "1 passed, 1 failed", p.stdout


def test_dir_argument_and_no_tests():
    conf, root = _tests({"h/index.js": "module.exports = (req, res) => res.end('hi');\n",
                         "elsewhere/x.test.js": "require('node:test')('x', () => {});\n"})
    p = run_eider(["test", "-c", conf])
    assert p.returncode == 1 and "no *.test.js files under" in p.stderr, p.stderr
    p = run_eider(["test", "-c", conf, os.path.join(os.path.dirname(root), "elsewhere")])
    assert p.returncode == 0, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "x")], p.stdout


def test_tests_dir_and_test_files_are_not_routed():
    conf, _ = _tests({"h/index.js": "module.exports = (req, res) => res.end('index');\n",
                      "h/tests/a.test.js": "module.exports = (req, res) => res.end('routed a test');\n",
                      "h/tests/helper.js": "module.exports = (req, res) => res.end('routed tests/');\n",
                      "h/api/user.test.js": "module.exports = (req, res) => res.end('routed a test');\n",
                      "h/api/user.test.ts": "module.exports = (req, res) => res.end('routed a test');\n"})
    for path in ("/tests/a.test", "/tests/helper", "/api/user.test"):
        p = run_eider(["call", "-c", conf, "GET", path])
        assert "routed" not in p.stdout, "%s: %s" % (path, p.stdout)
        assert p.stdout.startswith("HTTP/1.1 404"), "%s: %s" % (path, p.stdout)


def test_request_goes_through_the_handlers():
    p = _run({"h/echo.js":
              "module.exports = (req, res) => {\n"
              "  res.setHeader('X-Seen', req.headers['x-token'] || 'none');\n"
              "  res.json({ method: req.method, path: req.path, q: req.query.q, body: String(req.body) });\n"
              "};\n",
              "h/later.js":
              "module.exports = (req, res) => new Promise((r) => setTimeout(r, 20))"
              ".then(() => res.end('later ' + req.query.n));\n",
              "h/tests/req.test.js":
              "const test = require('node:test');\n"
              "const assert = require('assert/strict');\n"
              "const { request } = require('eider/test');\n"
              "test('echo', async () => {\n"
              "  const res = await request('post', '/echo?q=1', { headers: { 'X-Token': 't1' },"
              " body: 'hello' });\n"
              "  assert.equal(res.status, 200);\n"
              "  assert.equal(res.headers['x-seen'], 't1');\n"
              "  assert.deepEqual(res.json(), { method: 'POST', path: '/echo', q: '1', body: 'hello' });\n"
              "});\n"
              "test('answers after a timer, several at once', async () => {\n"
              "  const all = await Promise.all([1, 2, 3].map((n) => request('GET', '/later?n=' + n)));\n"
              "  assert.deepEqual(all.map((r) => r.body), ['later 1', 'later 2', 'later 3']);\n"
              "});\n"
              "test('404 for no handler', async () => {\n"
              "  assert.equal((await request('GET', '/nothing')).status, 404);\n"
              "});\n"})
    assert p.returncode == 0, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "echo"), (True, 2, "answers after a timer, several at once"),
                                  (True, 3, "404 for no handler")], p.stdout


def test_each_file_has_fresh_handlers():
    counter = ("let n = 0;\n"
               "module.exports = (req, res) => res.end(String(++n));\n")
    check = ("const assert = require('assert');\n"
             "require('node:test')('counts from 1', async () => {\n"
             "  const r = await require('eider/test').request('GET', '/count');\n"
             "  assert.strictEqual(r.body, '1');\n"
             "});\n")
    p = _run({"h/count.js": counter, "h/tests/a.test.js": check, "h/tests/b.test.js": check})
    assert p.returncode == 0, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "counts from 1"), (True, 2, "counts from 1")], p.stdout


def test_request_outside_eider_test_rejects():
    d = mkdtemp("eider-test-")
    write_tree(d, {"s.js": "require('eider/test').request('GET', '/').then(null,"
                           " (e) => console.log('rejected: ' + e.message));\n"})
    p = run_eider(["run", os.path.join(d, "s.js")])
    assert p.returncode == 0, p.stderr
    assert "rejected: request() answers in test files run by 'eider test'" in p.stdout, p.stdout


def test_callback_style_test_ends_at_done():
    """A test declaring (t, done) ends when done() is called, fails when
    done(err) is; a done never called times out."""
    p = _run({"h/tests/a.test.js":
              "const test = require('node:test');\n"
              "test('cb ok', (t, done) => { setTimeout(() => done(), 10); });\n"
              "test('cb err', (t, done) => { setTimeout(() => done(new Error('boom')), 10); });\n"
              "test('cb never', { timeout: 200 }, (t, done) => {});\n"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "cb ok"), (False, 2, "cb err"),
                                  (False, 3, "cb never")], p.stdout
    assert "message: 'boom'" in p.stdout, p.stdout
    assert "timed out after 200 ms" in p.stdout, p.stdout


def test_subtests_report_before_their_parent_which_fails_with_them():
    p = _run({"h/tests/a.test.js":
              "const test = require('node:test');\n"
              "const assert = require('assert');\n"
              "test('parent', async (t) => {\n"
              "  await t.test('one', () => { assert.ok(true); });\n"
              "  t.test('two', async () => {\n"
              "    await new Promise((r) => setTimeout(r, 20));\n"
              "    assert.equal(1, 2);\n"
              "  });\n"
              "});\n"
              "test('good parent', (t) => { t.test('three', () => {}); });\n"})
    assert p.returncode == 1, p.stdout + p.stderr
    assert _results(p.stdout) == [(True, 1, "parent > one"), (False, 2, "parent > two"),
                                  (False, 3, "parent"), (True, 4, "good parent > three"),
                                  (True, 5, "good parent")], p.stdout
    assert "message: '1 subtest failed'" in p.stdout, p.stdout
    # The async arrows were lowered: the failure's line is still the user's.
    assert re.search(r"at: 'at .*a\.test\.js:7:\d+\)'", p.stdout), p.stdout
    assert p.stdout.splitlines()[-1] == "3 passed, 2 failed", p.stdout


def test_skip_and_todo_from_inside_a_test():
    p = _run({"h/tests/a.test.js":
              "const test = require('node:test');\n"
              "test('later', (t) => { t.skip('not today'); });\n"
              "test('someday', (t) => { t.todo(); });\n"})
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok 1 - later # SKIP not today\n" in p.stdout, p.stdout
    assert "ok 2 - someday # TODO\n" in p.stdout, p.stdout
