"""The man pages agree with the binary (issue 13, defect 9), where a
machine can tell: every directive of the table in framework/directives.c
has an entry in eider.conf(5) and every entry is in the table; each
documented default is the table's and parses under eider -t; and no
CAVEATS section says a feature is missing that the binary has."""
import os
import re
import shutil

from eiderlib import srcdir, mkdtemp, run_eider, free_port

_tmps = []


def teardown_module():
    for t in _tmps:
        shutil.rmtree(t, ignore_errors=True)


def _page(name):
    with open(os.path.join(srcdir(), "man", name)) as f:
        return f.read()


def _section(src, name):
    """The mdoc source of section NAME (from .Sh NAME to the next .Sh)."""
    m = re.search(r"^\.Sh %s\n(.*?)(?=^\.Sh |\Z)" % re.escape(name), src, re.M | re.S)
    assert m, "no section %s" % name
    return m.group(1)


def _text(mdoc):
    """Rough plain text of mdoc source: macro names dropped, lines joined."""
    words = []
    for line in mdoc.splitlines():
        if line.startswith(".\\\""):
            continue
        for w in line.split():
            if line.startswith(".") and re.fullmatch(r"\.?[A-Z][a-z]{1,2}", w):
                continue          # a macro name: .It, Ic, Ql, Ns ...
            words.append(w)
    return " ".join(words).replace("\\&", "")


def _table():
    """{name: default text or None} from framework/directives.c's table."""
    with open(os.path.join(srcdir(), "framework", "directives.c")) as f:
        src = f.read()
    body = src[src.index("eider_directives[] = {"):]
    body = body[:body.index("\n};")]
    rows = {}
    # Rows are designated initializers: { .name = "x", ..., .def = "text" "more" },
    for m in re.finditer(r'\{ \.name = "([a-z_]+)",(.*?)\},\s*$', body, re.M | re.S):
        d = re.search(r'\.def = ((?:"(?:[^"\\]|\\.)*"\s*)+)', m.group(2))
        rows[m.group(1)] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', d.group(1))) if d else None
    assert len(rows) > 20, rows
    return rows


def _documented():
    """{name: documented default text or None} from eider.conf(5)'s
    DIRECTIVES: each entry is ".It Ic NAME ..." and ends with
    "Default:" and ".Ic NAME VALUE ;", or "Default: none"."""
    sect = _section(_page("eider.conf.5"), "DIRECTIVES")
    bodies = {}
    for e in re.split(r"^(?=\.It Ic [a-z_]+\b)", sect, flags=re.M):
        m = re.match(r"\.It Ic ([a-z_]+)\b", e)
        if m:     # a directive with two forms (listen) has two .It lines
            bodies[m.group(1)] = bodies.get(m.group(1), "") + e
    docs = {}
    for name, e in bodies.items():
        d = re.search(r"^Default:\n\.Ic %s (.*?) ;$" % name, e, re.M)
        if d:
            # \: is roff's optional line break (long values): it prints nothing
            docs[name] = " ".join(w for w in d.group(1).replace("\\:", "").split()
                                  if w not in ("Li", "Cm", "Pa", "Ar"))
        else:
            assert re.search(r"^Default: none\b", e, re.M), \
                "eider.conf(5): the entry of %s gives no Default: line" % name
            docs[name] = None
    assert len(docs) > 20, docs
    return docs


def test_every_directive_in_the_table_is_documented_and_back():
    table, docs = _table(), _documented()
    missing = sorted(set(table) - set(docs))
    extra = sorted(set(docs) - set(table))
    assert not missing, "directives without an entry in eider.conf(5) DIRECTIVES: %s" % missing
    assert not extra, "eider.conf(5) documents directives the binary does not have: %s" % extra


def test_documented_defaults_are_the_binarys():
    table, docs = _table(), _documented()
    wrong = ["%s: page %r, table %r" % (n, docs[n], table[n])
             for n in sorted(set(table) & set(docs)) if docs[n] != table[n]]
    assert not wrong, "eider.conf(5) defaults that differ from directives.c:\n" + "\n".join(wrong)


def test_every_documented_default_parses_under_t():
    d = mkdtemp("eider-docs-")
    _tmps.append(d)
    os.makedirs(os.path.join(d, "handlers"))
    with open(os.path.join(d, "handlers", "index.js"), "w") as f:
        f.write("module.exports = function (req, res) { res.end('ok'); };\n")
    conf = os.path.join(d, "eider.conf")
    failed = []
    for name, value in sorted(_documented().items()):
        if value is None:
            continue
        lines = ["handlers %s/handlers;" % d] if name != "handlers" else []
        if name != "listen":
            lines.append("listen 127.0.0.1:%d;" % free_port())
        lines.append("%s %s;" % (name, value))
        with open(conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        p = run_eider(["-t", "-c", conf], cwd=d)
        if p.returncode != 0:
            failed.append("%s %s;\n%s" % (name, value, p.stderr))
    assert not failed, "documented defaults that eider -t refuses:\n" + "\n".join(failed)


# What an example may fail on under -t on a machine that is not the one it
# was written for: a file, directory, user or group that is not here.
NOT_HERE = re.compile(r"No such file or directory|no (user|group) \"")


def _examples():
    """{name: [lines]} of the directive lines in eider.conf(5)'s literal blocks."""
    src = _page("eider.conf.5")
    names = set(_documented())
    found = {}
    for block in re.findall(r"^\.Bd -literal[^\n]*\n(.*?)^\.Ed", src, re.M | re.S):
        for line in block.splitlines():
            m = re.match(r"\s*([a-z_]+)\s[^#]*;\s*(#.*)?$", line)
            if m and m.group(1) in names:
                found.setdefault(m.group(1), []).append(line.split("#")[0].strip())
    return found


def test_every_documented_directive_has_an_example_that_parses():
    """Each directive's default or, without one, each example line in the
    page is accepted by eider -t (short of files that are not on this
    machine)."""
    d = mkdtemp("eider-docs-")
    _tmps.append(d)
    os.makedirs(os.path.join(d, "handlers"))
    conf = os.path.join(d, "eider.conf")
    docs, examples = _documented(), _examples()
    bare = sorted(n for n in docs if docs[n] is None and n not in examples)
    assert not bare, "eider.conf(5) shows neither a default nor an example of: %s" % bare
    failed = []
    for name in sorted(n for n in docs if docs[n] is None):
        for line in examples[name]:
            with open(conf, "w") as f:
                f.write("handlers %s/handlers;\nlisten 127.0.0.1:%d;\n%s\n" % (d, free_port(), line))
            p = run_eider(["-t", "-c", conf], cwd=d)
            if p.returncode != 0 and not NOT_HERE.search(p.stderr):
                failed.append("%s\n%s" % (line, p.stderr))
    assert not failed, "examples in eider.conf(5) that eider -t refuses:\n" + "\n".join(failed)


# A CAVEATS claim that a feature is missing, and the config line that
# shows the binary has it (or None when another test shows it).
FEATURE_CLAIMS = [
    (r"PROXY protocol", "listen 127.0.0.1:%(port)d proxy_protocol;"),
    (r"(limit|limited) on the JavaScript heap|JavaScript heap.{0,40}(no|without) limit",
     "js_memory_limit 64m;"),
    (r"ticket keys.{0,80}(each worker|per.worker|for itself|not shared)", None),
]


def test_caveats_do_not_deny_features_the_binary_has():
    d = mkdtemp("eider-docs-")
    _tmps.append(d)
    os.makedirs(os.path.join(d, "handlers"))
    wrong = []
    for page in ("eider.8", "eider.conf.5", "eider-handlers.7"):
        caveats = _text(_section(_page(page), "CAVEATS"))
        for claim, line in FEATURE_CLAIMS:
            m = re.search(claim, caveats, re.I)
            if not m:
                continue
            if line is None:
                wrong.append("%s CAVEATS: %r (test_tls shows tickets resume on every worker)"
                             % (page, m.group(0)))
                continue
            conf = os.path.join(d, "eider.conf")
            with open(conf, "w") as f:
                f.write("handlers %s/handlers;\n%s\n" % (d, line % {"port": free_port()}))
            if run_eider(["-t", "-c", conf], cwd=d).returncode == 0:
                wrong.append("%s CAVEATS: %r, but %r is accepted" % (page, m.group(0), line))
    assert not wrong, "\n".join(wrong)


def test_no_page_says_the_heap_has_no_limit():
    for page in ("eider.8", "eider.conf.5", "eider-handlers.7"):
        text = _text(_page(page))
        m = re.search(r"no limit on the JavaScript heap", text, re.I)
        assert not m, "%s: %r, but js_memory_limit exists" % (page, m.group(0))
