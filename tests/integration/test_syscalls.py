"""Syscalls per keep-alive request (issue 16): what strace counts in a
worker serving N requests on one kept-alive connection, and the read path
that gets it there (the gate reads a plain socket itself: gate_read.c)."""
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest

from eiderlib import Eider, fixture, parse_responses, sanitized

N = 300

needs_strace = pytest.mark.skipif(shutil.which("strace") is None,
                                  reason="strace not installed (tests/install-deps.sh)")


def _get(sock, path=b"/"):
    """One request on SOCK; its answer, read in full."""
    sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while not parse_responses(data):
        chunk = sock.recv(65536)
        assert chunk, "connection closed before an answer: %r" % data[:200]
        data += chunk
    return parse_responses(data)[0]


def _strace_counts(pid, work):
    """Runs WORK() with `strace -c -f -p PID` attached; {syscall: calls}."""
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".strace-%d.txt" % os.getpid())
    st = subprocess.Popen(["strace", "-c", "-f", "-o", out, "-p", str(pid)],
                          stderr=subprocess.PIPE)
    try:
        # strace says on stderr once it is attached.
        line = st.stderr.readline().decode()
        assert "attached" in line, "strace did not attach: %r" % line
        work()
    finally:
        st.send_signal(signal.SIGINT)
        st.wait(timeout=30)
    counts = {}
    with open(out) as f:
        for row in f:
            m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", row)
            if m and m.group(2) != "total":
                counts[m.group(2)] = int(m.group(1))
    os.unlink(out)
    return counts


@needs_strace
def test_keepalive_request_costs_a_read_and_a_write():
    with Eider(fixture("connections"), access_log=False, error_log_level="warn") as e:
        worker = e.wait_workers(1)[0]
        s = socket.create_connection(("127.0.0.1", e.port), timeout=10)
        for _ in range(5):   # past the connection's first-request setup
            assert _get(s).status == 200

        def work():
            for _ in range(N):
                assert _get(s).status == 200

        counts = _strace_counts(worker, work)
        s.close()
    per = {k: v / N for k, v in counts.items()}
    if sanitized():   # ASan's allocator maps memory as it goes: not the connection's
        per = {k: v for k, v in per.items() if k not in ("mmap", "munmap", "madvise", "brk")}
    # Before: readv, ioctl (FIONREAD), epoll_ctl and writev, each once per
    # request. nginx: recvfrom and writev.
    assert per.get("ioctl", 0) < 0.1, counts
    assert per.get("epoll_ctl", 0) < 0.1, counts
    assert sum(per.values()) < 3.2, counts


def test_pipelined_request_waits_for_a_slow_answer():
    """Bytes that come while evhttp is busy with a late answer are read
    once it has answered: the reader steps off the socket and back."""
    with Eider(fixture("connections")) as e:
        s = socket.create_connection(("127.0.0.1", e.port), timeout=30)
        s.sendall(b"GET /slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.1)   # the next request arrives while the first waits
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?ms=10 HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while len(parse_responses(data)) < 3:
            chunk = s.recv(65536)
            assert chunk, "closed after %d answers: %r" % (len(parse_responses(data)), data)
            data += chunk
        answers = parse_responses(data)
        assert [a.status for a in answers] == [200, 200, 200]
        assert answers[0].body == b"slow" and answers[2].body == b"slow"
        # and the connection still serves
        assert _get(s).status == 200
        s.close()


def test_client_closing_mid_wait_is_noticed():
    """A client that sends a request and closes while its handler waits:
    the worker goes on serving others (no stuck reader, no crash)."""
    with Eider(fixture("connections")) as e:
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", e.port), timeout=10)
            s.sendall(b"GET /slow?ms=50 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            s.close()
        st, _, body = e.get("/")
        assert st == 200
        time.sleep(0.3)
        assert e.get("/")[0] == 200
        assert "signal" not in e.error_log()
