#!/usr/bin/env python3
"""Redis INCR endpoint (issue 15): eider's require('redis') against Node 20
with node-redis v4 (npm "redis" 4.7.1) in a cluster, one worker per core
each, same redis-server, same run.

    tests/bench/redis.py [--duration 8] [--conns 64,512] [--rounds 2]

Starts its own redis-server (--save '', its own session, free port) and,
in turn, eider (framework/eider of the build tree, tests/bench/redis/handlers,
redis_url to that server, workers = cores) and `node node_incr.js` (npm ci
of tests/bench/redis/package-lock.json into BUILDDIR/tests/bench-redis-npm,
once per lock file). Each measured run is `wrk -tT -cN -dD --latency` on
GET /incr (eider also GET /incr-then: the same handler with .then()
instead of async/await) after a 2 s warm-up; CPU µs/req is utime+stime of the server's
whole process tree (from /proc) over the run divided by the requests wrk
completed, and the Redis column is redis-server's own CPU over the same run
divided by the same count (reported, never added to the server's). Rounds
alternate the order of the servers; the table gives the median per server
and connection count. Needs wrk, redis-server, node, npm. Prints the ratio
lines against the goal: eider CPU/req <= 0.7 x node-cluster, p99 <= node's.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILDDIR = os.environ.get("EIDER_BUILDDIR", os.getcwd() if os.path.exists("framework/eider") else SRCDIR)
EIDER = os.environ.get("EIDER", os.path.join(BUILDDIR, "framework", "eider"))
RUNNING = []


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(argv, cwd, env=None):
    p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=open(os.path.join(cwd, "out.log"), "ab"),
                         stderr=subprocess.STDOUT, start_new_session=True, env=dict(os.environ, **(env or {})))
    RUNNING.append(p)
    return p


def stop(p):
    try:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(5)
    if p in RUNNING:
        RUNNING.remove(p)


def ticks_of_tree(root):
    """utime+stime (+ reaped children's) of ROOT and its descendants."""
    stats = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    s = f.read()
            except OSError:
                continue
            rest = s[s.rindex(")") + 2:].split()
            stats[int(d)] = (int(rest[1]), sum(int(x) for x in rest[11:15]))
    total, todo, seen = 0, [root], set()
    while todo:
        p = todo.pop()
        if p in stats and p not in seen:
            seen.add(p)
            total += stats[p][1]
            todo.extend(c for c, (pp, _) in stats.items() if pp == p)
    return total


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def wait_200(port, proc, path, timeout=20):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit("server exited with %s" % proc.returncode)
        try:
            st, body = get(port, path)
            if st == 200:
                return json.loads(body)
        except (OSError, http.client.HTTPException, ValueError):
            pass
        time.sleep(0.02)
    raise SystemExit("no 200 on %s within %ds" % (path, timeout))


def redis_cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port)] + list(args), capture_output=True,
                          text=True, check=True).stdout.strip()


def npm_modules():
    """node_modules with redis 4.7.1, installed by npm ci from the lock file."""
    work = os.path.join(BUILDDIR, "tests", "bench-redis-npm")
    lock = os.path.join(HERE, "redis", "package-lock.json")
    stamp = os.path.join(work, "lock.json")
    if os.path.exists(stamp) and open(stamp).read() == open(lock).read():
        return os.path.join(work, "node_modules")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for f in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(HERE, "redis", f), work)
    log("npm ci (redis 4.7.1) into %s" % work)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=work, check=True,
                   stdout=subprocess.DEVNULL, timeout=300)
    shutil.copy(lock, stamp)
    return os.path.join(work, "node_modules")


def wrk(port, path, conns, duration, threads):
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % conns, "-d%ds" % duration, "--latency",
                          "http://127.0.0.1:%d%s" % (port, path)], capture_output=True, text=True).stdout
    n = int(re.search(r"(\d+) requests in", out).group(1))
    m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    p99 = float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    errs = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s*(\d+)", out))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errs += sum(int(x) for x in m.groups()) if m else 0
    return n, rps, p99, errs


def measure(name, proc, port, path, redis_proc, conns, args):
    hz = os.sysconf("SC_CLK_TCK")
    wrk(port, path, conns, 2, args.threads)                # warm-up
    s0, r0 = ticks_of_tree(proc.pid), ticks_of_tree(redis_proc.pid)
    n, rps, p99, errs = wrk(port, path, conns, args.duration, args.threads)
    s1, r1 = ticks_of_tree(proc.pid), ticks_of_tree(redis_proc.pid)
    row = {"server": name, "conns": conns, "requests": n, "rps": rps, "p99": p99, "errors": errs,
           "cpu": (s1 - s0) / hz * 1e6 / max(n, 1), "redis_cpu": (r1 - r0) / hz * 1e6 / max(n, 1)}
    log("  %s c=%d: %.0f req/s, %.1f µs/req, redis %.1f µs/req, p99 %.2f ms, %d errors"
        % (name, conns, rps, row["cpu"], row["redis_cpu"], p99, errs))
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--conns", default="64,512")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    conns = [int(c) for c in args.conns.split(",")]
    for tool in ("wrk", "redis-server", "redis-cli", "node", "npm"):
        if not shutil.which(tool):
            raise SystemExit("%s is needed" % tool)
    modules = npm_modules()
    tmp = tempfile.mkdtemp(prefix="eider-bench-redis-")
    nproc = os.cpu_count()
    rport = free_port()
    redis = start(["redis-server", "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", tmp], tmp)
    for _ in range(200):
        try:
            if redis_cli(rport, "PING") == "PONG":
                break
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.02)
    url = "redis://127.0.0.1:%d" % rport

    def run_eider():
        port = free_port()
        d = os.path.join(tmp, "eider")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "eider.conf"), "w") as f:
            f.write("listen 127.0.0.1:%d;\nworkers %d;\nhandlers %s;\naccess_log off;\n"
                    "error_log %s/error.log warn;\nredis_url %s;\n"
                    % (port, nproc, os.path.join(HERE, "redis", "handlers"), d, url))
        return start([EIDER, "-c", os.path.join(d, "eider.conf")], d), port

    def run_node():
        port = free_port()
        d = os.path.join(tmp, "node")
        os.makedirs(d, exist_ok=True)
        return start(["node", os.path.join(HERE, "redis", "node_incr.js"), str(port), url], d,
                     env={"NODE_PATH": modules}), port

    # eider twice: the handler as a node-redis user writes it (async/await,
    # which eider lowers) and the same with .then() (plain ES5).
    servers = [("eider", run_eider, "/incr"), ("eider .then", run_eider, "/incr-then"),
               ("node-cluster", run_node, "/incr")]
    rows = []
    try:
        for rnd in range(args.rounds):
            order = servers if rnd % 2 == 0 else servers[::-1]
            for name, starter, path in order:
                proc, port = starter()
                try:
                    before = int(redis_cli(rport, "GET", "bench:incr") or 0)
                    got = wait_200(port, proc, path)
                    if got.get("n", 0) <= before:
                        log("  %s: wrong answer %r" % (name, got))
                    for c in conns:
                        rows.append(measure(name, proc, port, path, redis, c, args))
                finally:
                    stop(proc)
    finally:
        for p in list(RUNNING):
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)

    def med(name, c, key):
        v = [r[key] for r in rows if r["server"] == name and r["conns"] == c]
        return statistics.median(v) if v else None

    print("Redis INCR (GET /incr; eider .then: GET /incr-then), wrk -t%d, %ds runs after 2s warm-up, %d round(s), %d workers each, "
          "median of the rounds; node %s, redis-server %s"
          % (args.threads, args.duration, args.rounds, nproc,
             subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
             subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2]))
    print()
    print("| server | conns | req/s | CPU µs/req | Redis CPU µs/req | p99 ms | errors |")
    print("|:---|---:|---:|---:|---:|---:|---:|")
    for name, _, _ in servers:
        for c in conns:
            print("| %s | %d | %.0f | %.1f | %.1f | %.2f | %d |"
                  % (name, c, med(name, c, "rps"), med(name, c, "cpu"), med(name, c, "redis_cpu"),
                     med(name, c, "p99"), sum(r["errors"] for r in rows
                                              if r["server"] == name and r["conns"] == c)))
    print()
    for name in ("eider", "eider .then"):
        for c in conns:
            cpu = med(name, c, "cpu") / med("node-cluster", c, "cpu")
            p99 = med(name, c, "p99") / med("node-cluster", c, "p99")
            print("- %s/node-cluster c=%d: CPU/req %.2f (goal <= 0.7: %s), p99 %.2f (goal <= 1: %s)"
                  % (name, c, cpu, "met" if cpu <= 0.7 else "not met", p99, "met" if p99 <= 1 else "not met"))


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        for p in list(RUNNING):
            stop(p)
