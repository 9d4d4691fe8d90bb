"""RegExp on PCRE2 (issue 17): what Duktape's own engine refused (named
groups, lookbehind, the s, y and u flags, \\p{...}) works in a handler,
literals of a plain ES5 file run on PCRE2 too, a catastrophic pattern is
stopped at js_time_limit with a 503 while the worker serves on, and a
pattern PCRE2 cannot run fails `eider -t` naming its file:line."""
import os
import subprocess

from eiderlib import Eider, Shared, mkdtemp, write_tree, eider_bin, assert_status, assert_eider_error

HANDLERS = {
    # Modern literals: this file is lowered, each literal becomes a RegExp
    # on PCRE2.
    "modern.js": r"""
module.exports = function (req, res) {
  const date = /(?<y>\d{4})-(?<m>\d\d)-(?<d>\d\d)/u.exec('due 2024-05-17');
  const sticky = /a/y;
  sticky.lastIndex = 1;
  const out = {
    groups: date.groups,
    index: date.index,
    swapped: '2024-05-17'.replace(/(?<y>\d+)-(?<m>\d+)-(?<d>\d+)/, '$<d>.$<m>.$<y>'),
    lookbehind: 'cost $42, tax $7'.match(/(?<=\$)\d+/g),
    negLookbehind: /(?<!\$)\b\d+/.exec('$42 17')[0],
    dotAll: [/a.b/s.test('a\nb'), /a.b/.test('a\nb')],
    sticky: [sticky.test('ba'), sticky.lastIndex, sticky.test('ba'), sticky.lastIndex],
    unicode: [/^.$/u.test('\u{1F600}'), /^.$/.test('\u{1F600}'), '\u{1F600}x'.match(/./gu).length],
    letters: 'héllo wörld 123 Ωμέγα'.match(/\p{L}+/gu),
    upper: 'aÄbCdÉ'.replace(/\p{Lu}/gu, '_'),
    flags: [/x/dgimsuy.flags, new RegExp('x', 'ys').flags],
    kinds: [/x/u instanceof RegExp, typeof /x/u, Object.prototype.toString.call(/x/u)],
  };
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
""",
    # Plain ES5: Duktape compiles these literals itself, and they run on
    # PCRE2 (a PCRE2 match array has a groups member; Duktape's has none).
    "es5.js": r"""
module.exports = function (req, res) {
  var m = /(\w+)@(\w+)\.com/.exec('mail bob@example.com now');
  var bad;
  try { new RegExp('(?<=a+)b'); } catch (e) { bad = e.name + ': ' + e.message; }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({
    match: [m[0], m[1], m[2], m.index], hasGroups: 'groups' in m,
    email: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test('Foo.Bar@Example.COM'),
    split: 'a, b,c'.split(/\s*,\s*/), replaced: 'banana'.replace(/a/g, 'o'),
    dynamic: new RegExp('(?<word>\\w+)$').exec('last word').groups.word,
    syntaxError: bad
  }));
};
""",
    "catastrophic.js": ("module.exports = function (req, res) {\n"
                        "  res.end(String(/^(?<x>a+)+$/u.test(new Array(40).join('a') + '!')));\n};\n"),
    # Ever new patterns: the per-heap tables start over past 1000 and
    # what is still held keeps working. 1200, not more: a sanitizer build
    # on a loaded machine takes ~0.1 ms a pattern, well inside the limit.
    "dynamic.js": ("var held = new RegExp('^held(\\\\d+)$');\n"
                   "module.exports = function (req, res) {\n"
                   "  var n = 0;\n"
                   "  for (var i = 0; i < 1200; i++) if (new RegExp('^x' + i + '$').test('x' + i)) n++;\n"
                   "  res.end(n + ' ' + held.exec('held42')[1]);\n};\n"),
    "ok.js": "module.exports = function (req, res) { res.end('ok ' + process.pid); };\n",
}


def _make():
    d = mkdtemp("eider-regexp-")
    write_tree(d, HANDLERS)
    return Eider(d, extra_conf="js_time_limit 2s;")


srv = Shared(_make)


def teardown_module():
    srv.close()


def test_modern_regexp_features_in_a_handler():
    r = srv.get().get("/modern")
    assert_status(r, 200)
    j = r.json()
    assert j["groups"] == {"y": "2024", "m": "05", "d": "17"}
    assert j["index"] == 4
    assert j["swapped"] == "17.05.2024"
    assert j["lookbehind"] == ["42", "7"]
    assert j["negLookbehind"] == "17"
    assert j["dotAll"] == [True, False]
    assert j["sticky"] == [True, 2, False, 0]
    assert j["unicode"] == [True, False, 2]
    assert j["letters"] == ["héllo", "wörld", "Ωμέγα"]
    assert j["upper"] == "a_b_d_"
    assert j["flags"] == ["dgimsuy", "sy"]
    assert j["kinds"] == [True, "object", "[object RegExp]"]


def test_es5_literals_and_new_regexp_run_on_pcre2():
    r = srv.get().get("/es5")
    assert_status(r, 200)
    j = r.json()
    assert j["match"] == ["bob@example.com", "bob", "example", 5]
    assert j["hasGroups"] is True
    assert j["email"] is True
    assert j["split"] == ["a", "b", "c"]
    assert j["replaced"] == "bonono"
    assert j["dynamic"] == "word"
    assert j["syntaxError"].startswith("SyntaxError: Invalid regular expression: /(?<=a+)b/:"), j


def test_many_distinct_patterns_keep_working():
    for _ in range(2):
        r = srv.get().get("/dynamic")
        assert_status(r, 200)
        assert r[2] == b"1200 42"


def test_catastrophic_pattern_is_stopped_with_503_and_worker_serves():
    before = srv.get().get("/ok")
    assert_status(before, 200)
    # Generous bound: an answer at all, a 503 rather than the watchdog's kill.
    r = srv.get().request("GET", "/catastrophic", timeout=30)
    assert_eider_error(r, 503)
    after = srv.get().get("/ok")
    assert_status(after, 200)
    assert after[2] == before[2], "the worker was replaced"


def test_unsupported_pattern_fails_the_check_with_file_and_line():
    d = mkdtemp("eider-regexp-t-")
    write_tree(d, {"handlers/bad.js": ("// a handler\n"
                                       "module.exports = function (q, s) {\n"
                                       "  s.end(String(/(?<=a+)b/.test('ab')));\n};\n"),
                   "eider.conf": "handlers handlers;\n"})
    p = subprocess.run([eider_bin(), "-t", "-c", os.path.join(d, "eider.conf")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1, p.stderr
    assert "bad.js:3:16" in p.stderr and "SyntaxError" in p.stderr, p.stderr
    assert "lookbehind" in p.stderr, p.stderr
