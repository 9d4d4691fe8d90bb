"""Regression tests for the evhttp fixes libevent made after 2.1.12-stable
(2020-07), which Debian 12's libevent predates (issue 5). The list, with
sources and what 2.1.12 itself does with each input, is in
tests/LIBEVENT-ADVISORIES.md.

eider's strict validator (framework/http_strict.c, in front of evhttp
through framework/gate.c) must refuse every input an upstream fix refuses,
whatever libevent build is installed: each case sends the raw bytes on a
fresh connection and expects eider's own JSON error and a close (or, for
the few fixes whose right answer is to accept and normalize, the handler's
view of the request), never a handler call for a refused request; then a
valid request on a fresh connection must still work. Cases test_strict.py
already covers are not repeated here: the bytes below are the upstream
proof-of-concept inputs or the variants test_strict.py does not send."""
import os
import socket

from eiderlib import (Eider, Shared, fixture, mkdtemp, write_tree, assert_status,
                      assert_eider_error, parse_responses, connection_closed_within)
from strictlib import CONF, WAIT, exchange, hits, hit_logged, rejected

srv = Shared(lambda: Eider(fixture("strict"), extra_conf=CONF))


def _rejected(name, payload, status):
    rejected(srv.get(), name, payload, status)


def teardown_module():
    srv.close()


# ---------------------------------------------------------------- helpers (the test_strict.py pattern)


def _accepted(name, payload, check):
    """Sends PAYLOAD (which asks for a close); expects exactly one handler
    call answering 200, whose JSON view of the request CHECK approves;
    then a valid request on a fresh connection."""
    e = srv.get()
    before = hits(e)
    closed, data = exchange(e.port, payload)
    rs = parse_responses(data)
    assert len(rs) == 1, "%s: expected one response, got %r" % (name, data[:500])
    assert_status(rs[0], 200, name)
    check(rs[0].json())
    assert closed, "%s: Connection: close not honoured" % name
    assert hits(e) == before + 1, "%s: expected exactly one handler call" % name


H = b"Host: x\r\n"
CLOSE = b"Connection: close\r\n"
TE = b"Transfer-Encoding: chunked\r\n"


def _get(name, fields=H, version=b"HTTP/1.1", target=None):
    t = target if target is not None else b"/echo?c=" + name.encode()
    return b"GET " + t + b" " + version + b"\r\n" + fields + b"\r\n"


def _post(name, fields, body=b""):
    return b"POST /echo?c=" + name.encode() + b" HTTP/1.1\r\n" + H + fields + b"\r\n" + body


def _smuggled(name):
    """A complete request that must never run, riding in a body."""
    return b"GET /echo?c=" + name.encode() + b"_smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


# ---------------------------------------------------------------- refused: one entry (or more) per upstream fix

# (name, raw request, expected status; None = only a close is expected)
REJECTED = [
    # GHSA-2gmv-p5m7-98p6 / CVE-2026-63379, "Discard HTTP trailers, to prevent
    # header smuggling attacks" (commit b847071, 2.1.13 / 2.2.2-alpha): the
    # trailer section is parsed like a header section. A trailer line that
    # is not a field (here a whole request line) or a field name followed
    # by whitespace cannot be read two ways by eider either.
    ("trailer_line_without_colon", _post("trailer_line_without_colon", TE,
                                         b"5\r\nhello\r\n0\r\n" + _smuggled("trailer_line_without_colon")), 400),
    ("trailer_space_before_colon", _post("trailer_space_before_colon", TE,
                                         b"5\r\nhello\r\n0\r\nHost : evil\r\n\r\n"), 400),

    # GHSA-q39v-w2g7-gr8j / CVE-2026-63382, "Restrict HTTP header parsing to
    # prevent request smuggling" (commits 10abb34, 5119ceb, 83ba673, ac38703;
    # issue #1860): evhttp_find_header() took only the first of two
    # Transfer-Encoding fields, a coding list was compared whole against
    # "chunked" (so Content-Length framed the body), and chunk lines were
    # read with EVBUFFER_EOL_CRLF (bare LF accepted).
    ("te_identity_then_chunked", _post("te_identity_then_chunked",
                                       b"Transfer-Encoding: identity\r\n" + TE,
                                       b"0\r\n\r\n" + _smuggled("te_identity_then_chunked")), 501),
    ("te_chunked_then_identity", _post("te_chunked_then_identity",
                                       TE + b"Transfer-Encoding: identity\r\n", b"0\r\n\r\n"), 400),
    ("te_list_after_content_length", _post("te_list_after_content_length",
                                           b"Content-Length: 5\r\nTransfer-Encoding: gzip, chunked\r\n",
                                           b"0\r\n\r\n" + _smuggled("te_list_after_content_length")), 400),
    ("last_chunk_bare_lf", _post("last_chunk_bare_lf", TE, b"5\r\nhello\r\n0\n\r\n"), 400),
    ("trailer_section_end_bare_lf", _post("trailer_section_end_bare_lf", TE, b"5\r\nhello\r\n0\r\n\n"), 400),
    ("chunk_ext_bare_lf", _post("chunk_ext_bare_lf", TE, b"5;a\nb\r\nhello\r\n0\r\n\r\n"), 400),

    # GHSA-jcwh-pvf2-73p2 / CVE-2026-63385, "Treat CRLF and %00 more strictly
    # in HTTP headers" (commits 758be0c, 9170dd3): evhttp_header_is_valid_value()
    # let a CR through when a space or tab followed it.
    ("cr_space_in_header_value", _get("cr_space_in_header_value", H + b"X-A: a\r b\r\n"), 400),
    # Same advisory, second half (still open upstream as issue #1904, "NUL
    # byte (%00) URI truncation"): evhttp_decode_uri() turns %00 into a NUL
    # that truncates the path ("/echo%00.jpg" reads as "/echo"). eider's
    # router refuses a segment that decodes to NUL, so no route matches: its
    # JSON 404, not the /echo handler.
    ("pct00_truncates_path", _get("pct00_truncates_path", H + CLOSE,
                                  target=b"/echo%00.jpg?c=pct00_truncates_path"), 404),

    # libevent PR #1541, "Fix integer overflow in HTTP version" (merged
    # 2024-01-18, master / 2.2): sscanf("HTTP/%d.%d") took any int, so 2.1.12
    # answers "HTTP/4294967295.255" as version -1.-1, and also takes signs,
    # a negative minor and leading zeros.
    ("version_int_overflow", _get("version_int_overflow", version=b"HTTP/4294967295.255"), 400),
    ("version_negative_minor", _get("version_negative_minor", version=b"HTTP/1.-1"), 400),
    ("version_signed", _get("version_signed", version=b"HTTP/+1.+1"), 400),
    ("version_leading_zero", _get("version_leading_zero", version=b"HTTP/01.1"), 400),

    # libevent PR #1542, "Handle 0x, +, -, and whitespace prefixes on HTTP
    # chunk sizes" (merged 2024-02, master / 2.2): 2.1.12 parses chunk sizes
    # with strtoll(,,16).
    ("chunk_size_plus", _post("chunk_size_plus", TE, b"+5\r\nhello\r\n0\r\n\r\n"), 400),
    ("chunk_size_leading_space", _post("chunk_size_leading_space", TE, b" 5\r\nhello\r\n0\r\n\r\n"), 400),
    ("chunk_size_leading_tab", _post("chunk_size_leading_tab", TE, b"\t5\r\nhello\r\n0\r\n\r\n"), 400),
    ("chunk_size_minus_zero", _post("chunk_size_minus_zero", TE, b"5\r\nhello\r\n-0\r\n\r\n"), 400),
    # libevent PR #1552, "Follow up for HTTP chunk size check" (merged
    # 2024-02-18): the upper-case "0X" prefix too.
    ("chunk_size_0X_prefix", _post("chunk_size_0X_prefix", TE, b"0X5\r\nhello\r\n0\r\n\r\n"), 400),

    # libevent issue #1686, "HTTP parser allows empty header names" (closed
    # 2024): "\r\n:\r\n", which some gateways have read as the end of the
    # header section.
    ("empty_name_empty_value", _get("empty_name_empty_value", H + b":\r\n"), 400),

    # libevent PR #1695, "Reject NUL in header lines and strip HTAB from
    # header values" (2024-07, closed): NUL in a field name.
    ("nul_in_header_name", _get("nul_in_header_name", H + b"X-\x00A: 1\r\n"), 400),
    # libevent issue #1810, "HTTP parser truncates headers at null bytes"
    # (open, 2025-09): its proof of concept, where 2.1.12 sees "User: admin".
    ("nul_truncates_header_value", _get("nul_truncates_header_value",
                                        H + b"User: admin\x00this-gets-ignored\r\n"), 400),

    # libevent PR #1577, "Implement size limits on HTTP header number"
    # (2024, closed, merge not confirmed): 2.1.12 bounds only the header bytes. eider counts
    # every byte of the head against client_max_header_size, so many empty
    # fields are refused like a few long ones.
    ("many_empty_header_fields", _get("many_empty_header_fields", H + b"A:\r\n" * 400), 431),
]


def _make_rejected(name, payload, status):
    def t():
        _rejected(name, payload, status)
    t.__name__ = "test_reject_" + name
    t.__qualname__ = t.__name__
    return t


for _name, _payload, _status in REJECTED:
    globals()["test_reject_" + _name] = _make_rejected(_name, _payload, _status)


# ---------------------------------------------------------------- accepted, normalized

def _no_trailer_fields(j):
    h = j["headers"]
    assert j["text"] == "hello", j
    assert h.get("host") == "x", "a trailer Host replaced the header: %r" % h
    for k in ("x-forwarded-for", "authorization"):
        assert k not in h, "the trailer field %s reached the handler as a header: %r" % (k, h)


def _leading_ws_trimmed(j):
    assert j["headers"].get("test") == "abc", j["headers"]


# (name, raw request asking for a close, check of the handler's JSON)
ACCEPTED = [
    # GHSA-2gmv-p5m7-98p6 / CVE-2026-63379 (commit b847071): 2.1.12 merged
    # trailer fields into the request headers, so a trailer could supply
    # X-Forwarded-For, Authorization or a second Host after a proxy had
    # checked the head. eider validates trailers and drops them.
    ("trailer_fields_not_headers", _post("trailer_fields_not_headers", TE + CLOSE,
                                         b"5\r\nhello\r\n0\r\nX-Forwarded-For: 203.0.113.7\r\n"
                                         b"Authorization: Basic YWRtaW46YWRtaW4=\r\nHost: evil\r\n\r\n"),
     _no_trailer_fields),
    # libevent issue #1696, "HTTP parser does not properly [strip] spaces and
    # tabs from the beginnings of header values" (open; PR #1695): 2.1.12
    # keeps "\t abc" for its proof of concept.
    ("leading_sp_htab_trimmed", _get("leading_sp_htab_trimmed", H + b"Test: \t abc \t \r\n" + CLOSE),
     _leading_ws_trimmed),
]


def _make_accepted(name, payload, check):
    def t():
        _accepted(name, payload, check)
    t.__name__ = "test_accept_" + name
    t.__qualname__ = t.__name__
    return t


for _name, _payload, _check in ACCEPTED:
    globals()["test_accept_" + _name] = _make_accepted(_name, _payload, _check)


# ---------------------------------------------------------------- evhttp_uri / Host parsing: no upstream fix

# Searched for (the brief's evhttp_uri_parse and IPv6 host items), no fix
# after 2.1.12 found; probing 2.1.12 showed inputs eider does not answer
# itself. Pending until http_strict.c checks the authority of an
# absolute-form target and the syntax of Host (RFC 9112 3.2, 3.2.2;
# RFC 9110 4.2.1, 7.2).
PROBED = [
    # 2.1.12 evhttp_uri_parse() refuses the port (parse_port() > 65535), and
    # evhttp answers its own HTML 400: eider's validator let it through.
    ("absolute_port_out_of_range", _get("absolute_port_out_of_range",
                                        target=b"http://x:99999/echo?c=absolute_port_out_of_range"), 400,
     "absolute-form port over 65535 gets evhttp's HTML 400, not eider's JSON error"),
    # Same, for an IP-literal without its closing bracket.
    ("absolute_ipv6_unterminated", _get("absolute_ipv6_unterminated",
                                        target=b"http://[::1/echo?c=absolute_ipv6_unterminated"), 400,
     "absolute-form '[::1' authority gets evhttp's HTML 400, not eider's JSON error"),
    # An http URI with an empty host: RFC 9110 4.2.1 says a recipient MUST
    # reject it; 2.1.12 and eider run the handler.
    ("absolute_empty_host", _get("absolute_empty_host",
                                 target=b"http:///echo?c=absolute_empty_host"), 400,
     "absolute-form 'http:///' (empty host) reaches the handler"),
    # Host values that are not uri-host [":" port]; 2.1.12's
    # evhttp_request_get_host() cuts them at the last ':' ("[:", ":").
    ("host_ipv6_unterminated", _get("host_ipv6_unterminated", b"Host: [::1\r\n"), 400,
     "Host '[::1' (unterminated IP-literal) reaches the handler"),
    ("host_ipv6_unbracketed", _get("host_ipv6_unbracketed", b"Host: ::1\r\n"), 400,
     "Host '::1' (IPv6 address without brackets) reaches the handler"),
]


def _make_probed(name, payload, status, why):
    # why: what eider did before http_strict.c checked authorities
    return _make_rejected(name, payload, status)


for _name, _payload, _status, _why in PROBED:
    globals()["test_reject_" + _name] = _make_probed(_name, _payload, _status, _why)


def test_cases_are_distinct():
    names = [c[0] for c in REJECTED + ACCEPTED + PROBED]
    assert len(names) == len(set(names)), "duplicate case names"


# ---------------------------------------------------------------- AF_UNIX peers

def test_unix_peer_with_long_address():
    # GHSA-cvq5-vrvr-j338 / CVE-2026-63388, heap out-of-bounds write in
    # bufferevent_socket_set_conn_address_() reachable via AF_UNIX accept
    # (commits 52057cb, ef38f92): evhttp copied the peer's sockaddr_un (up
    # to 110 bytes) into a 28-byte field, past an EVUTIL_ASSERT that
    # -DNDEBUG builds drop. A peer bound to a long path must be served like
    # any other, by the same worker, and a malformed request from it still
    # gets eider's error.
    d = mkdtemp("eider-adv-")
    path = os.path.join(d, "s.sock")
    peer = os.path.join(d, "p" * (107 - len(d) - 1))   # 107 bytes: sun_path's limit less the NUL
    assert len(peer) == 107
    with Eider(fixture("strict"), extra_conf=CONF + "listen unix:%s;\n" % path) as e:
        workers = sorted(e.wait_workers(1))

        def send(data):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                if os.path.exists(peer):
                    os.unlink(peer)
                s.bind(peer)
                s.settimeout(WAIT)
                s.connect(path)
                s.sendall(data)
                return connection_closed_within(s, WAIT)
            finally:
                s.close()

        closed, data = send(_get("unix_long_peer", H + CLOSE))
        rs = parse_responses(data)
        assert len(rs) == 1, "expected one response over the unix socket, got %r" % data[:300]
        assert_status(rs[0], 200)
        assert rs[0].json()["url"] == "/echo?c=unix_long_peer", rs[0][2]

        closed, data = send(_get("unix_long_peer_bad", H + b"X-A : 1\r\n"))
        rs = parse_responses(data)
        assert len(rs) == 1, "expected one 400 over the unix socket, got %r" % data[:300]
        assert_eider_error(rs[0], 400)
        assert closed, "connection left open after the 400"

        assert sorted(e.worker_pids()) == workers, "the worker died serving an AF_UNIX peer"
        assert_status(e.request("GET", "/echo?peek"), 200, "TCP request afterwards")
        assert not hit_logged(e, "unix_long_peer_bad")


# ---------------------------------------------------------------- %00 reaching a C string

def test_pct00_in_query_does_not_truncate_fs_path():
    # GHSA-jcwh-pvf2-73p2 / CVE-2026-63385, second half (issue #1904, open):
    # a %00 decoded into a NUL truncates the string once C code reads it,
    # so "a.txt%00.jpg" passes a ".jpg" check and opens "a.txt". eider
    # decodes the query itself into JS strings, which keep the NUL; the C
    # code behind require('fs') must refuse such a path (Node throws
    # ERR_INVALID_ARG_VALUE), not open the truncated one.
    root = mkdtemp("eider-adv-fs-")
    write_tree(root, {
        "data/a.txt": "not a picture\n",
        "handlers/img.js": (
            "var fs = require('fs');\n"
            "module.exports = function (req, res) {\n"
            "  var p = req.query.p;\n"
            "  if (!/\\.jpg$/.test(p)) { res.json({ ok: false, why: 'not .jpg' }); return; }\n"
            "  try { res.json({ ok: true, text: String(fs.readFileSync(p, 'utf8')) }); }\n"
            "  catch (e) { res.json({ ok: false, code: e.code }); }\n"
            "};\n"),
    })
    data = os.path.join(root, "data")
    with Eider(os.path.join(root, "handlers"), extra_conf="fs_root %s;\n" % data) as e:
        target = ("/img?p=%s/a.txt%%00.jpg" % data).encode()
        closed, out = exchange(e.port, _get("pct00_fs", H + CLOSE, target=target))
        rs = parse_responses(out)
        assert len(rs) == 1, "expected one response, got %r" % out[:300]
        assert_status(rs[0], 200)
        j = rs[0].json()
        assert j.get("ok") is False, "the NUL-truncated path was opened: %r" % j
