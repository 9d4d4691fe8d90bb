#!/usr/bin/env python3
"""The status endpoint's cost (issue 18): how long a scrape takes and how
big it is in each format, and what the metrics cost every request, as
req/s of `GET /hello` with wrk, against another eider binary (one built
without them) when given.

    tests/bench/status.py [--workers 2] [--scrapes 300] [--base OTHER/framework/eider]
                          [--seconds 5] [--runs 3]

Starts framework/eider from the source tree (and --base) on free
127.0.0.1 ports with tests/bench/handlers, access_log off. The req/s runs
alternate between the binaries, and the median of --runs is shown: on a
shared machine compare the ratio, not the numbers. A measurement, not a
test. Python 3 stdlib only; the req/s part needs wrk.
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, "..", ".."))
EIDER = os.path.join(os.environ.get("EIDER_BUILDDIR", SRCDIR), "framework", "eider")
FORMATS = [("json", "application/json"), ("prometheus", "text/plain"), ("html", "text/html")]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, workers, tmp):
    port = free_port()
    conf = os.path.join(tmp, "eider-%d.conf" % port)
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nworkers %d;\nhandlers %s;\naccess_log off;\n"
                "error_log %s warn;\nstatus_path /eider-status;\n"
                % (port, workers, os.path.join(HERE, "handlers"), os.path.join(tmp, "error.log")))
    p = subprocess.Popen([binary, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/hello")
            c.getresponse().read()
            c.close()
            return p, port
        except OSError:
            time.sleep(0.05)
    p.kill()
    raise SystemExit("%s did not answer on port %d" % (binary, port))


def scrapes(port, accept, n):
    """(bytes, [seconds per scrape]) over one keep-alive connection."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    took, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        c.request("GET", "/eider-status", headers={"Accept": accept})
        body = c.getresponse().read()
        took.append(time.perf_counter() - t0)
        size = len(body)
    c.close()
    return size, took


def wrk_rps(port, seconds):
    out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % seconds, "http://127.0.0.1:%d/hello" % port],
                         capture_output=True, text=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(m.group(1)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scrapes", type=int, default=300)
    ap.add_argument("--base", help="another eider binary to compare req/s with")
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="eider-bench-status-")
    procs = []
    try:
        p, port = start(EIDER, a.workers, tmp)
        procs.append(p)
        print("scrapes of /eider-status, %d workers, %d each, one keep-alive connection"
              % (a.workers, a.scrapes))
        print("| format | bytes | median ms | p99 ms |\n|:---|---:|---:|---:|")
        for name, accept in FORMATS:
            scrapes(port, accept, 50)   # warm up: the first requests of a worker are slower
            size, took = scrapes(port, accept, a.scrapes)
            took.sort()
            print("| %s | %d | %.3f | %.3f |" % (name, size, statistics.median(took) * 1000,
                                                 took[int(len(took) * 0.99) - 1] * 1000))
        if shutil.which("wrk") is None:
            print("(wrk not found: no req/s)")
            return
        rows = [("this tree", port)]
        if a.base:
            bp, bport = start(a.base, a.workers, tmp)
            procs.append(bp)
            rows.append(("--base", bport))
        rps = {name: [] for name, _ in rows}
        for _ in range(a.runs):
            for name, prt in rows:
                rps[name].append(wrk_rps(prt, a.seconds))
        print("\nGET /hello, wrk -t2 -c32 -d%ds, median of %d alternating runs" % (a.seconds, a.runs))
        print("| binary | req/s | runs |\n|:---|---:|:---|")
        for name, _ in rows:
            print("| %s | %.0f | %s |" % (name, statistics.median(rps[name]),
                                         " ".join("%.0f" % r for r in rps[name])))
        if a.base:
            print("\nratio this tree / base: %.3f" % (statistics.median(rps["this tree"])
                                                     / statistics.median(rps["--base"])))
    finally:
        for p in procs:
            p.terminate()
            p.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
