"""The man pages are well-formed (mandoc -T lint), render (man -l), and
document every option the binary has (directives: test_docs.py)."""
import os
import re
import shutil
import subprocess

from eiderlib import srcdir, eider_bin

PAGES = ["eider.8", "eider.conf.5", "eider-handlers.7"]


def _page(name):
    return os.path.join(srcdir(), "man", name)


def test_mandoc_lint_is_clean():
    mandoc = shutil.which("mandoc")
    assert mandoc, "mandoc is not installed (Debian package mandoc; tests/install-deps.sh)"
    p = subprocess.run([mandoc, "-T", "lint", "-W", "warning"] + [_page(n) for n in PAGES],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and not p.stdout.strip(), p.stdout + p.stderr


def test_pages_render_with_man():
    for n in PAGES:
        p = subprocess.run(["man", "-l", "-P", "cat", _page(n)], capture_output=True, text=True,
                           timeout=60, env=dict(os.environ, MANWIDTH="100"))
        assert p.returncode == 0 and len(p.stdout) > 2000, (n, p.stderr[:500])


def test_every_option_is_documented():
    usage = subprocess.run([eider_bin(), "-h"], capture_output=True, text=True, timeout=10).stdout
    opts = sorted(set(re.findall(r"^\s+-([a-z])\b", usage, re.M)))
    assert opts, usage
    page = open(_page("eider.8")).read()
    missing = [o for o in opts if not re.search(r"\.It Fl %s\b" % o, page)]
    assert not missing, "options without an entry in eider(8): %s" % missing
