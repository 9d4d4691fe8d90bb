"""eider run FILE [ARGS...]: a script with the handlers' engine, built-in
modules and lowering; process.argv, process.exit(code), exit status 1 on an
uncaught error, and an exit once nothing is pending on the loop."""
import os

from eiderlib import json_upstream, mkdtemp, run_eider, write_tree

def _script(name, text):
    d = mkdtemp("eider-run-")
    write_tree(d, {name: text})
    return os.path.join(d, name)


def test_run_prints_argv_and_exits_with_its_code():
    f = _script("argv.js", "console.log(JSON.stringify(process.argv.slice(2)));\n"
                           "console.error('to stderr');\n"
                           "process.exit(3);\n"
                           "console.log('not reached');\n")
    p = run_eider(["run", f, "one", "two words", "-x"])
    assert p.returncode == 3, "exit status %s, stderr: %s" % (p.returncode, p.stderr)
    assert p.stdout == '["one","two words","-x"]\n', "stdout: %r" % p.stdout
    assert "to stderr" in p.stderr and "to stderr" not in p.stdout
    assert "not reached" not in p.stdout


def test_run_argv_names_the_script():
    f = _script("name.js", "console.log(process.argv[1]);\n")
    p = run_eider(["run", f])
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == os.path.realpath(f), p.stdout


def test_run_uncaught_error_exits_1_with_the_error():
    f = _script("boom.js", "function f() {\n  throw new Error('kaboom here');\n}\nf();\n")
    p = run_eider(["run", f])
    assert p.returncode == 1, "exit status %s" % p.returncode
    assert "kaboom here" in p.stderr, p.stderr
    assert "boom.js:2" in p.stderr, "no file:line in: " + p.stderr


def test_run_typescript_error_is_source_mapped():
    # The throw is on line 6 of the .ts file; lowering moves it.
    f = _script("boom.ts", "interface Point {\n  x: number;\n  y: number;\n}\n"
                           "const p: Point = { x: 1, y: 2 };\n"
                           "if (p.x === 1) { throw new Error(`typed ${p.y}`); }\n")
    p = run_eider(["run", f], timeout=120)
    assert p.returncode == 1, "exit status %s, stderr: %s" % (p.returncode, p.stderr)
    assert "typed 2" in p.stderr, p.stderr
    assert "boom.ts:6:" in p.stderr, "not mapped to boom.ts:6:COL in: " + p.stderr


def test_run_waits_for_a_pending_timer_then_exits():
    f = _script("timer.js", "setTimeout(function () { console.log('fired'); }, 200);\n"
                            "console.log('first');\n")
    p = run_eider(["run", f], timeout=30)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "first\nfired\n", "stdout: %r" % p.stdout


def test_run_uncaught_error_in_a_timer_exits_1():
    f = _script("late.js", "setTimeout(function () { throw new Error('late boom'); }, 10);\n"
                           "setTimeout(function () { console.log('after'); }, 2000);\n")
    p = run_eider(["run", f], timeout=30)
    assert p.returncode == 1, "exit status %s" % p.returncode
    assert "late boom" in p.stderr, p.stderr
    assert "after" not in p.stdout


def test_run_async_main_with_await():
    f = _script("main.mjs", "const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\n"
                            "async function main() {\n"
                            "  await sleep(50);\n"
                            "  const { createHash } = require('crypto');\n"
                            "  console.log('hash', createHash('sha256').update('x').digest('hex').slice(0, 8));\n"
                            "  await sleep(50);\n"
                            "  process.exitCode = 0;\n"
                            "  return 'done';\n"
                            "}\n"
                            "main().then((v) => console.log(v));\n")
    p = run_eider(["run", f], timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "hash 2d711642\ndone\n", "stdout: %r" % p.stdout


def test_run_rejected_async_main_exits_1():
    f = _script("reject.js", "async function main() { await null; throw new Error('async boom'); }\n"
                             "main();\n")
    p = run_eider(["run", f], timeout=120)
    assert p.returncode == 1, "exit status %s" % p.returncode
    assert "async boom" in p.stderr, p.stderr


def test_run_requires_a_sibling_module():
    d = mkdtemp("eider-run-")
    write_tree(d, {"lib/add.js": "module.exports = (a, b) => a + b;\n",
                   "job.js": "const add = require('./lib/add');\nconsole.log(add(2, 3));\n"})
    p = run_eider(["run", os.path.join(d, "job.js")])
    assert p.returncode == 0, p.stderr
    assert p.stdout == "5\n"


def test_run_without_a_file_is_a_usage_error():
    p = run_eider(["run"])
    assert p.returncode == 2
    assert "eider run" in p.stderr and "FILE" in p.stderr, p.stderr


def test_run_missing_file_says_which():
    p = run_eider(["run", "/nonexistent/job.js"])
    assert p.returncode == 1
    assert "/nonexistent/job.js" in p.stderr, p.stderr


def test_run_fetch_then_exits():
    """A fetch is pending work: the script waits for it, then exits although
    the server would keep the connection open (eider run pools none)."""
    with json_upstream(b'{"rows": 3}', keep_alive=True) as port:
        f = _script("fetch.js", "async function main() {\n"
                                "  const r = await fetch('http://127.0.0.1:' + process.argv[2] + '/');\n"
                                "  console.log(r.status, (await r.json()).rows);\n"
                                "}\n"
                                "main();\n")
        p = run_eider(["run", f, str(port)], timeout=30)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "200 3\n", "stdout: %r" % p.stdout


def test_run_unhandled_rejection_exits_1():
    f = _script("refused.js", "fetch('http://127.0.0.1:1/').then(() => console.log('no'));\n")
    p = run_eider(["run", f], timeout=30)
    assert p.returncode == 1, "exit status %s" % p.returncode
    assert "fetch failed" in p.stderr, p.stderr


def test_run_has_the_configs_shared_dictionaries():
    f = _script("shared.js", "const d = require('eider').shared.counts;\n"
                             "d.incr('a', 2, 0);\n"
                             "d.incr('a', 3);\n"
                             "console.log(d.get('a'), d.capacity > 0);\n")
    p = run_eider(["run", "-g", "shared_dict counts 1m;", f])
    assert p.returncode == 0, "exit status %s, stderr: %s" % (p.returncode, p.stderr)
    assert p.stdout == "5 true\n", "stdout: %r" % p.stdout
