#!/usr/bin/env python3
"""Shared dictionary benchmark (issue 15): incr per second through HTTP
against a plain per-worker JS object, the per-call cost inside JS, and
how full a zone gets with mixed value sizes (fragmentation).

    tests/bench/shdict.py [--workers 2] [--duration 5] [--connections 32]

Starts framework/eider from the source tree on a free 127.0.0.1 port with
the handlers in tests/bench/shdict/; needs wrk. Python 3 stdlib only.
"""
import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, "..", ".."))
EIDER = os.path.join(os.environ.get("EIDER_BUILDDIR", SRCDIR), "framework", "eider")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 200:
        raise SystemExit("GET %s: %d %s" % (path, r.status, body[:300]))
    return body


def start(workers):
    tmp = tempfile.mkdtemp(prefix="eider-bench-shdict-")
    port = free_port()
    conf = os.path.join(tmp, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nworkers %d;\nhandlers %s;\naccess_log off;\n"
                "error_log %s/error.log warn;\njs_time_limit 60s;\n"
                "shared_dict bench 16m;\nshared_dict frag 16m;\n"
                % (port, workers, os.path.join(HERE, "shdict"), tmp))
    p = subprocess.Popen([EIDER, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            get(port, "/local")
            return p, port
        except (OSError, SystemExit):
            time.sleep(0.05)
    p.kill()
    raise SystemExit("eider did not start (see %s)" % tmp)


def wrk(port, path, duration, connections):
    out = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % duration,
                          "http://127.0.0.1:%d%s" % (port, path)],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", out)
    return rps, total, errors.group(0) if errors else "0 errors"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--connections", type=int, default=32)
    a = ap.parse_args()
    p, port = start(a.workers)
    try:
        print("== through HTTP: %d workers, wrk -t2 -c%d -d%ds, 127.0.0.1"
              % (a.workers, a.connections, a.duration))
        for path, what in (("/local", "plain object in each worker"), ("/incr", "shared.bench.incr")):
            rps, total, errors = wrk(port, path, a.duration, a.connections)
            print("%-8s %-30s %10.0f req/s  %s" % (path, what, rps, errors))
        count = int(get(port, "/incr")) - 1
        print("shared counter after the /incr run: %d (wrk counted %d completed; "
              "requests in flight at its end also count)" % (count, total))

        print("\n== per call inside JS, one worker, 500000 calls (ns per call; the best of 7 rounds,")
        print("   each round measuring every kind in turn, so that a busy moment hits all alike)")
        kinds = ("loop only", "object.get", "object.incr", "shared.get", "shared.incr", "shared.set")
        best = {}
        for _ in range(7):
            for kind in kinds:
                ns = json.loads(get(port, "/percall?kind=%s&n=500000" % kind.replace(" ", "%20")))["nsPerCall"]
                best[kind] = min(best.get(kind, ns), ns)
        for kind in kinds:
            print("%-12s %8.0f" % (kind, best[kind]))

        print("\n== fragmentation: a 16 MiB zone filled with set() (evicting)")
        phases = (("uniform 10..4000 B", "min=10&max=4000&n=20000&prefix=a"),
                  ("then 10..100 B", "min=10&max=100&n=300000&prefix=b"),
                  ("then 1000..2000 B", "min=1000&max=2000&n=30000&prefix=c"))
        for name, q in phases:
            r = json.loads(get(port, "/frag?" + q))
            print("%-20s %7d entries, key+value bytes %5.1f%% of the capacity, free %7d B"
                  % (name, r["entries"], 100.0 * r["payload"] / r["capacity"], r["freeSpace"]))
    finally:
        p.terminate()
        p.wait(10)


if __name__ == "__main__":
    sys.exit(main())
