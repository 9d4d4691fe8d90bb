"""Issue 13, defects 6-8: what the config parser and eider -t refuse, and
that every such error names FILE:LINE. Control bytes (a NUL silently
truncated a word), empty paths and unopenable files that passed -t and then
failed the start, and errors that named no line (a missing handlers
directory, ssl without a certificate, an empty file)."""
import os
import re
import shutil

from eiderlib import mkdtemp, fixture, run_eider, free_port

_tmps = []


def teardown_module():
    for t in _tmps:
        shutil.rmtree(t, ignore_errors=True)


def _conf(data):
    """Writes DATA (bytes or str) as eider.conf in a fresh directory; returns its path."""
    d = mkdtemp("eider-conf-")
    _tmps.append(d)
    p = os.path.join(d, "eider.conf")
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def _head():
    """Two good lines: the errors below are on line 3."""
    return "listen 127.0.0.1:%d;\nhandlers %s;\n" % (free_port(), fixture("workers"))


def _t(conf):
    return run_eider(["-t", "-c", conf])


def _assert_refused(p, conf, line, *words):
    """eider -t (or a start) failed naming CONF:LINE and each of WORDS."""
    assert p.returncode == 1, "exit status %s (want 1):\n%s" % (p.returncode, p.stderr)
    where = "eider: %s:%d: " % (conf, line)
    assert where in p.stderr, "the error does not start with %r:\n%s" % (where, p.stderr)
    for w in words:
        assert w in p.stderr, "the error does not mention %r:\n%s" % (w, p.stderr)


# ---------------------------------------------------------------- defect 6

def test_nul_in_a_directive_name_is_refused_with_file_line():
    conf = _conf(_head() + "keepalive_timeout\0junk 5s;\n")
    _assert_refused(_t(conf), conf, 3, "0x00", "NUL")


def test_nul_in_a_path_is_refused_and_nothing_is_logged_to_the_truncated_path():
    d = mkdtemp("eider-nul-")
    _tmps.append(d)
    log = os.path.join(d, "x.log")
    conf = _conf(_head() + "error_log %s\0/../evil;\n" % log)
    _assert_refused(_t(conf), conf, 3, "NUL")
    p = run_eider(["-c", conf])      # a start refuses it the same way
    _assert_refused(p, conf, 3, "NUL")
    assert not os.path.exists(log), "the truncated path %s was opened" % log


def test_nul_inside_quotes_is_refused():
    conf = _conf(_head() + "error_log '/tmp/x.log\0/../evil';\n")
    _assert_refused(_t(conf), conf, 3, "NUL", "inside a quoted string")


def test_control_bytes_outside_quotes_are_refused():
    for b in (b"\x01", b"\x1b", b"\x7f", b"\x0b", b"\x0c"):
        conf = _conf(_head().encode() + b"workers 1" + b + b";\n")
        _assert_refused(_t(conf), conf, 3, "control byte 0x%02x" % b[0])


def test_tabs_crlf_and_control_bytes_in_comments_still_parse():
    conf = _conf(_head() + "\tworkers\t1;\r\n# a comment may hold \x01 anything\naccess_log off;\r\n")
    p = _t(conf)
    assert p.returncode == 0, p.stderr


# ---------------------------------------------------------------- defect 7

def test_empty_paths_fail_the_test_not_the_start():
    for directive in ("pid", "access_log", "error_log", "handlers", "ssl_certificate", "fetch_ca_file",
                      "js_cache", "fs_root"):
        conf = _conf(_head().replace("handlers ", "# handlers ", 1) + "%s '';\n" % directive)
        _assert_refused(_t(conf), conf, 3, '"%s"' % directive, "empty string")


def test_unopenable_log_and_pid_paths_fail_the_test_as_the_start_does():
    d = mkdtemp("eider-paths-")
    _tmps.append(d)
    missing = os.path.join(d, "no-such-dir")
    cases = [
        ("error_log %s/e.log;" % missing, "error_log"),
        ("access_log %s/a.log;" % missing, "access_log"),
        ("pid %s/eider.pid;" % missing, "pid"),
        ("pid %s;" % d, "is a directory"),
    ]
    for line, word in cases:
        conf = _conf(_head() + line + "\n")
        _assert_refused(_t(conf), conf, 3, word)
        start = run_eider(["-c", conf])
        assert start.returncode == 1, "the start did not fail either:\n%s" % start.stderr
    conf = _conf(_head() + "listen 127.0.0.1:%d access_log=%s/l.log;\n" % (free_port(), missing))
    _assert_refused(_t(conf), conf, 3, "access_log=", "no-such-dir")


def test_log_files_that_can_be_opened_pass():
    d = mkdtemp("eider-paths-")
    _tmps.append(d)
    conf = _conf(_head() + "error_log %s/e.log;\naccess_log %s/a.log;\npid %s/eider.pid;\n" % (d, d, d))
    p = _t(conf)
    assert p.returncode == 0, p.stderr
    assert not os.path.exists(os.path.join(d, "eider.pid")), "-t wrote the pid file"


# ---------------------------------------------------------------- defect 8

def test_missing_handlers_directory_names_file_line():
    conf = _conf("listen 127.0.0.1:%d;\n\nhandlers does-not-exist;\n" % free_port())
    _assert_refused(_t(conf), conf, 3, "handlers", "does-not-exist", "No such file or directory")


def test_default_handlers_directory_missing_names_the_file():
    conf = _conf("listen 127.0.0.1:%d;\n" % free_port())
    p = _t(conf)     # run_eider's cwd has no ./handlers next to the config
    assert p.returncode == 1, p.stderr
    assert re.search(r"eider: %s: no \"handlers\" directive, so its default applies: handlers \S+: "
                     % re.escape(conf), p.stderr), p.stderr


def test_ssl_listen_without_certificate_names_the_listen():
    port = free_port()
    conf = _conf(_head() + "listen 127.0.0.1:%d ssl;\n" % port)
    _assert_refused(_t(conf), conf, 3, "listen 127.0.0.1:%d ssl" % port, "ssl_certificate")


def test_unreadable_certificate_names_its_directive_line():
    conf = _conf(_head() + "listen 127.0.0.1:%d ssl;\nssl_certificate_key /nonexistent/key.pem;\n"
                 "ssl_certificate /nonexistent/cert.pem;\n" % free_port())
    _assert_refused(_t(conf), conf, 5, "ssl_certificate /nonexistent/cert.pem")


def test_empty_config_file_is_refused_naming_the_file():
    for text in ("", "\n\n", "# only a comment\n   \n"):
        conf = _conf(text)
        _assert_refused(_t(conf), conf, 1, "no directives")


def test_an_empty_file_with_g_directives_is_a_config():
    conf = _conf("")
    os.makedirs(os.path.join(os.path.dirname(conf), "handlers"))
    p = run_eider(["-t", "-c", conf, "-g", "listen 127.0.0.1:%d;" % free_port()])
    assert p.returncode == 0, p.stderr


def test_an_included_empty_file_is_fine():
    conf = _conf(_head() + "include conf.d/*.conf;\n")
    os.makedirs(os.path.join(os.path.dirname(conf), "conf.d"))
    open(os.path.join(os.path.dirname(conf), "conf.d", "empty.conf"), "w").close()
    p = _t(conf)
    assert p.returncode == 0, p.stderr
