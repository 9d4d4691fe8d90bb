#!/usr/bin/env python3
"""Watch mode latency (issue 18): seconds from writing a handler file to
the first new connection answered by the new code, over several rounds,
for plain JavaScript and for TypeScript (lowered at load).

    tests/bench/watch.py [--workers 2] [--rounds 20]

Starts framework/eider -w from the source tree on a free 127.0.0.1 port
with a handlers directory of its own in a temp dir. Python 3 stdlib only.
"""
import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, "..", ".."))
EIDER = os.path.join(os.environ.get("EIDER_BUILDDIR", SRCDIR), "framework", "eider")

HANDLERS = {
    "index.js": "module.exports = function (req, res) { res.end(%r); };\n",
    "typed.ts": "export function GET(req: any, res: any): void { const v: string = %r; res.end(v); }\n",
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read().decode()
    finally:
        c.close()


def write(root, name, value):
    with open(os.path.join(root, name), "w") as f:
        f.write(HANDLERS[name] % value)


def rounds(port, root, name, path, n):
    """Seconds from each write to the new answer (polled every 2 ms)."""
    took = []
    for i in range(n):
        want = "r%d" % i
        write(root, name, want)
        t0 = time.monotonic()
        while get(port, path) != (200, want):
            if time.monotonic() - t0 > 30:
                raise SystemExit("%s: no new answer within 30 s" % name)
            time.sleep(0.002)
        took.append(time.monotonic() - t0)
        time.sleep(0.2)   # let the old generation drain before the next round
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=20)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="eider-bench-watch-")
    os.chmod(tmp, 0o755)   # as root, workers run as nobody and read the handlers
    root = os.path.join(tmp, "handlers")
    os.mkdir(root)
    for name in HANDLERS:
        write(root, name, "start")
    port = free_port()
    conf = os.path.join(tmp, "eider.conf")
    with open(conf, "w") as f:
        f.write("listen 127.0.0.1:%d;\nworkers %d;\nhandlers %s;\naccess_log off;\n"
                "error_log %s/error.log notice;\njs_cache %s/cache;\n" % (port, a.workers, root, tmp, tmp))
    p = subprocess.Popen([EIDER, "-w", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(1200):   # lowering typed.ts the first time takes a while
            try:
                get(port, "/")
                break
            except OSError:
                if p.poll() is not None:
                    with open(os.path.join(tmp, "error.log")) as f:
                        raise SystemExit("eider exited:\n" + f.read()[-2000:] + p.stderr.read())
                time.sleep(0.05)
        print("workers %d, %d rounds each; seconds from write to new answer" % (a.workers, a.rounds))
        for name, path in (("index.js", "/"), ("typed.ts", "/typed")):
            t = rounds(port, root, name, path, a.rounds)
            print("  %-9s min %.3f  median %.3f  p90 %.3f  max %.3f"
                  % (name, min(t), statistics.median(t), sorted(t)[int(len(t) * 0.9) - 1], max(t)))
    finally:
        p.terminate()
        p.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
