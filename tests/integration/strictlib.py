"""Helpers for the raw-socket tests of requests eider refuses itself
(test_strict.py, test_libevent_advisories.py), against the "strict"
fixture, whose echo handler counts its calls."""
import re
import socket

from eiderlib import assert_status, assert_eider_error, parse_responses, connection_closed_within

# Small limits, so that 413, 414 and 431 are in reach.
CONF = """client_max_body_size 1k;
client_max_header_size 1k;
"""

WAIT = 5.0   # seconds to wait for an answer and a close (a bound, not a measurement)


def exchange(port, data, wait=WAIT):
    """Sends DATA on a fresh connection; returns (closed, bytes received)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return connection_closed_within(s, wait)
    finally:
        s.close()


def hits(e):
    """The handler's call count, asked on a fresh connection (which also
    shows that the server still answers a valid request)."""
    r = e.request("GET", "/echo?peek")
    assert_status(r, 200, "valid request after the case")
    return int(r[2])


def hit_logged(e, name):
    """True if the handler logged a call for the case NAME."""
    return re.search(r"HANDLER-HIT /echo\?c=%s\s" % re.escape(name), e.error_log() + "\n") is not None


def rejected(e, name, payload, status):
    """Sends PAYLOAD to E; expects STATUS as an eider JSON error and a close
    (or, with status None, just a close without a success), and that
    nothing reached the handler."""
    before = hits(e)
    closed, data = exchange(e.port, payload)
    rs = parse_responses(data) if data.startswith(b"HTTP/") else []
    if status is None:
        assert not [r for r in rs if r[0] < 400], "%s: answered %r" % (name, data[:300])
    else:
        assert len(rs) == 1, "%s: expected one %d response, got %r" % (name, status, data[:300])
        assert_eider_error(rs[0], status)
    assert closed, "%s: connection left open after the %s" % (name, status or "error")
    after = hits(e)
    assert after == before, "%s: the handler ran (%d calls, was %d)" % (name, after, before)
    assert not hit_logged(e, name), "%s: the handler ran" % name
