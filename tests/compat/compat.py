#!/usr/bin/env python3
"""The Node compatibility suite (issue 12): each case file in
tests/compat/cases (and each handler of tests/compat/npm/handlers, with
the pinned npm packages installed) runs under eider and under Node's
http.createServer (node_server.js) with the same requests; status, the
headers that matter and the body must be equal. See tests/compat/README.md.

tests/compat/test_compat.py runs the cases under pytest
(python3 -m pytest tests/compat -k NAME); what Node answers a case:

    python3 tests/compat/compat.py [-k NAME]
"""
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
PENDING_FILE = os.path.join(HERE, "PENDING")

# Headers that legitimately differ between the two servers, or that only
# say how the body was framed (the bodies themselves are compared).
IGNORED_HEADERS = {"date", "connection", "keep-alive", "x-request-id",
                   "transfer-encoding", "content-length"}
REQUEST_TIMEOUT = 10


class Case:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.requests = []         # dicts: method, path, headers (list), body (bytes|None)
        self.expect_status = None  # compare eider with this instead of with Node
        self.expect_json = None    # and, if given, these members of its JSON body


def parse_case(path):
    """Reads the // @request, // @header, // @expect-status and
    // @expect-json lines of a case file."""
    name = os.path.splitext(os.path.basename(path))[0]
    case = Case(name, path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for ln in text.splitlines():
        m = re.match(r"\s*//\s*@([\w-]+)\s*(.*?)\s*$", ln)
        if not m:
            continue
        key, rest = m.group(1), m.group(2)
        if key == "request":
            parts = rest.split(None, 2)
            if len(parts) < 2 or not parts[1].startswith("/"):
                raise ValueError("%s: bad @request line: %r" % (path, ln))
            body = None
            if len(parts) == 3:
                body = parts[2]
                if body.startswith('"'):
                    body = json.loads(body)     # a JSON string: escapes allowed
                body = body.encode("utf-8")
            case.requests.append({"method": parts[0], "path": parts[1], "headers": [],
                                  "body": body})
        elif key == "header":
            if not case.requests:
                raise ValueError("%s: @header before any @request" % path)
            k, _, v = rest.partition(":")
            case.requests[-1]["headers"].append((k.strip(), v.strip()))
        elif key == "expect-status":
            case.expect_status = int(rest)
        elif key == "expect-json":
            case.expect_json = json.loads(rest)
        else:
            raise ValueError("%s: unknown directive @%s" % (path, key))
    if not case.requests:
        case.requests.append({"method": "GET", "path": "/" + name, "headers": [], "body": None})
    return case


def load_cases(cases_dir=CASES):
    out = []
    for fn in sorted(os.listdir(cases_dir)):
        p = os.path.join(cases_dir, fn)
        if fn.startswith(("_", ".")) or not os.path.isfile(p):
            continue
        if fn.endswith((".js", ".ts")):
            out.append(parse_case(p))
    return out


def load_pending(path=PENDING_FILE):
    """NAME -> reason, from a PENDING file ("NAME  reason" lines)."""
    out = {}
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.strip()
            if not ln or ln.startswith("#"):
                continue
            name, _, why = ln.partition(" ")
            out[name] = why.strip() or "(no reason given)"
    return out


def mattering_headers(resp):
    return sorted((k.lower(), v) for k, v in resp.header_list
                  if k.lower() not in IGNORED_HEADERS)


def show(resp):
    if isinstance(resp, Exception):
        return "%s: %s" % (type(resp).__name__, resp)
    body = resp.body
    try:
        b = body.decode("utf-8")
    except UnicodeDecodeError:
        b = repr(body)
    if len(b) > 600:
        b = b[:600] + "..."
    return "%s %s\n%s" % (resp.status, mattering_headers(resp), b)


def ask(lib, port, rq):
    """One request on a fresh connection. The Host header is the case's or
    a fixed one (both servers must see the same, whatever their port)."""
    hl = list(rq["headers"])
    if not any(k.lower() == "host" for k, _ in hl):
        hl.insert(0, ("Host", "compat.test"))
    body = rq["body"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.putrequest(rq["method"], rq["path"], skip_host=True, skip_accept_encoding=True)
        for k, v in hl:
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return lib._response_from(r, r.read())
    except Exception as e:     # a hang or a reset is an outcome to report
        return e
    finally:
        conn.close()


def node_problem(case, resp):
    """Why Node's answer shows the case itself is wrong, or None."""
    if isinstance(resp, Exception):
        return "no answer from Node (%s: %s)" % (type(resp).__name__, resp)
    if case.expect_status is None and resp.status >= 500:
        return "Node answered %d" % resp.status
    return None


def logged_error(resp, errlog):
    """The error eider logged for the request that resp answers."""
    rid = resp.headers.get("x-request-id") if not isinstance(resp, Exception) else None
    if not rid or errlog is None:
        return ""
    time.sleep(0.05)    # the log line may be written just after the answer
    for ln in errlog().splitlines():
        if rid in ln:
            m = re.search(r"((?:\w*Error|Exception)\b.*)$", ln)
            return " [%s]" % (m.group(1) if m else ln.strip())[:200]
    return ""


def judge(case, lib, eider_port, node_port, errlog=None):
    """Returns (verdict, message, detail); verdict is "ok", "differs" (eider
    is not like Node, or not as stated) or "bad-case" (Node fails it)."""
    for i, rq in enumerate(case.requests):
        what = "%s %s" % (rq["method"], rq["path"])
        if len(case.requests) > 1:
            what = "request %d (%s)" % (i + 1, what)
        n = ask(lib, node_port, rq)
        e = ask(lib, eider_port, rq)
        if case.expect_status is not None:
            if isinstance(e, Exception) or e.status != case.expect_status:
                return ("differs", "%s: eider answered %s, expected status %d%s"
                        % (what, e if isinstance(e, Exception) else e.status, case.expect_status,
                           logged_error(e, errlog)),
                        "eider: " + show(e))
            if case.expect_json is not None:
                try:
                    j = json.loads(e.body.decode("utf-8"))
                except ValueError:
                    j = None
                want = case.expect_json
                if not isinstance(j, dict) or any(j.get(k) != v for k, v in want.items()):
                    return ("differs", "%s: eider's JSON body lacks %s" % (what, json.dumps(want)),
                            "eider: " + show(e))
            continue
        why = node_problem(case, n)
        if why:
            return "bad-case", "%s: %s" % (what, why), "node: " + show(n)
        if isinstance(e, Exception):
            return "differs", "%s: no answer from eider (%s)" % (what, e), "node: " + show(n)
        diffs = []
        if e.status != n.status:
            diffs.append("status %d, Node %d%s" % (e.status, n.status,
                                                    logged_error(e, errlog) if e.status >= 500 else ""))
        if mattering_headers(e) != mattering_headers(n):
            diffs.append("headers differ")
        if e.body != n.body:
            diffs.append("body differs")
        if diffs:
            return ("differs", "%s: %s" % (what, ", ".join(diffs)),
                    "eider: %s\nnode:  %s" % (show(e), show(n)))
    return "ok", "", ""


class Suite:
    """A directory of cases, its PENDING file, and where it runs."""

    def __init__(self, label, cases_dir, pending_file, modules_dir=None, work_dir=None,
                 extra_conf=""):
        self.label = label              # "compat" or "compat-npm"
        self.cases_dir = cases_dir
        self.pending_file = pending_file
        self.modules_dir = modules_dir  # node_modules to put in every handlers root
        self.work_dir = work_dir        # where to make roots (same file system: hard links)
        self.extra_conf = extra_conf

    def rel(self, path):
        return os.path.relpath(path, os.path.dirname(os.path.dirname(HERE)))

    def tree(self, lib, cases):
        """A handlers root holding these cases, every _name helper of the
        cases directory and, for npm, the installed node_modules (hard links)."""
        if self.work_dir:
            root = tempfile.mkdtemp(prefix="root-", dir=self.work_dir)
            lib._tmpdirs.append(root)
        else:
            root = lib.mkdtemp("eider-compat-")
        os.chmod(root, 0o755)
        for fn in os.listdir(self.cases_dir):
            src = os.path.join(self.cases_dir, fn)
            if fn.startswith("_"):
                if os.path.isdir(src):
                    shutil.copytree(src, os.path.join(root, fn))
                else:
                    shutil.copy(src, root)
        for c in cases:
            shutil.copy(c.path, root)
        for dp, dns, fns in os.walk(root):
            os.chmod(dp, 0o755)
            for f in fns:
                os.chmod(os.path.join(dp, f), 0o644)
        if self.modules_dir:
            def link(src, dst):
                try:
                    os.link(src, dst)
                except OSError:
                    shutil.copy2(src, dst)
            shutil.copytree(self.modules_dir, os.path.join(root, "node_modules"),
                            copy_function=link, symlinks=True)
        return root


class NodeServer:
    def __init__(self, lib, node, serve_dir=CASES):
        self.lib = lib
        self.port = None
        self.log = os.path.join(lib.mkdtemp("eider-compat-node-"), "node.log")
        self.out = open(self.log, "wb")
        self.proc = lib.spawn([node, os.path.join(HERE, "node_server.js"), serve_dir, "0"],
                              stdout=subprocess.PIPE, stderr=self.out)
        got = []

        def read():
            ln = self.proc.stdout.readline().decode("utf-8", "replace")
            got.append(ln)
        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(15)
        m = re.match(r"listening (\d+)", got[0] if got else "")
        if not m:
            self.stop()
            raise AssertionError("node_server.js did not start: %r\n%s"
                                 % (got, self.stderr()))
        self.port = int(m.group(1))

    def stderr(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""

    def stop(self):
        self.lib._kill_group(self.proc, grace=2.0)
        self.out.close()


def start_reason(err):
    """One line from a failed start: what eider printed, else its error log."""
    text = re.sub(r"/\S*/(?:eider-compat-|root-)\w+", "<root>", str(err))
    for pat in (r"^eider: (.*)$", r"\[(?:emerg|alert|crit|error)\] \d+: (.*)$"):
        m = re.search(pat, text, re.M)
        if m:
            return m.group(1).strip()[:240]
    return text.splitlines()[0][:240] if text else repr(err)


def run_group(lib, suite, cases, node_port, results):
    """Serves the cases from one eider; if it does not start, each case
    gets its own (so that one file that stops eider fails only itself)."""
    inst = lib.Eider(suite.tree(lib, cases), workers=1, ready_path="/_ready_probe",
                     extra_conf=suite.extra_conf,
                     # a cold start lowers every modern file of a package,
                     # several times slower under the sanitizers
                     start_timeout=300.0 if lib.sanitized() else 60.0)
    try:
        inst.start()
    except AssertionError as err:
        inst.cleanup()
        if len(cases) > 1:
            for c in cases:
                run_group(lib, suite, [c], node_port, results)
        else:
            results[cases[0].name] = ("differs", "eider did not start: " + start_reason(err),
                                      str(err)[-2000:])
        return
    try:
        for c in cases:
            results[c.name] = judge(c, lib, inst.port, node_port, inst.error_log)
            if inst.proc.poll() is not None:
                for d in cases:
                    results.setdefault(d.name, ("differs", "eider exited while serving the group",
                                                inst.diagnostics()))
                break
    finally:
        inst.cleanup()


def lib_import():
    sys.path.insert(0, os.path.join(HERE, "..", "integration"))
    import eiderlib
    return eiderlib


def serve_suite(lib, suite, cases):
    """Runs CASES of SUITE under eider and under Node. Returns
    ({case name: (verdict, message, detail)}, Node's stderr); raises
    AssertionError if Node's server does not start."""
    node = shutil.which("node")
    assert node, "node is required for the compat suite (apt-get install nodejs)"
    pending = load_pending(suite.pending_file)
    serve = suite.tree(lib, cases) if suite.modules_dir else suite.cases_dir
    ns = NodeServer(lib, node, serve)
    results = {}
    try:
        ready = [c for c in cases if c.name not in pending]
        if ready:
            run_group(lib, suite, ready, ns.port, results)
        # Each pending case alone: it may stop eider at start today.
        for c in cases:
            if c.name in pending:
                run_group(lib, suite, [c], ns.port, results)
    finally:
        node_log = ns.stderr()
        ns.stop()
        lib.cleanup_all()
    return results, node_log


def outcome(suite, case, result, node_log):
    """What one case's result means: ("ok" | "fail" | "pending", message,
    detail)."""
    pending = load_pending(suite.pending_file)
    pending_rel = suite.rel(suite.pending_file)
    verdict, msg, detail = result or ("differs", "not run", "")
    if verdict == "bad-case":
        return "fail", "the case fails under Node: " + msg, \
            detail + ("\nnode_server.js stderr:\n" + node_log[-1500:] if node_log else "")
    if case.name in pending:
        if verdict == "ok":
            return "fail", "now passes: remove it from " + pending_rel, ""
        return "pending", "pending (%s); eider: %s" % (pending[case.name], msg[:200]), detail
    if verdict == "ok":
        return "ok", "", ""
    return "fail", msg, detail


NPM_DIR = os.path.join(HERE, "npm")
NPM_TIMEOUT = 600


def prepare_npm(builddir):
    """Installs tests/compat/npm's packages with npm ci into
    BUILDDIR/tests/compat-npm (again only when the lock file changed).
    Returns (node_modules path, None) or (None, why it cannot)."""
    npm = shutil.which("npm")
    if not npm:
        return None, "npm is not installed"
    work = os.path.join(builddir, "tests", "compat-npm")
    inst = os.path.join(work, "install")
    os.makedirs(inst, exist_ok=True)
    for d in (os.path.join(builddir, "tests"), work, inst):
        os.chmod(d, 0o755)    # workers (nobody) walk to the roots made here
    with open(os.path.join(NPM_DIR, "package-lock.json"), "rb") as f:
        lock = f.read()
    stamp = os.path.join(inst, "installed.stamp")
    modules = os.path.join(inst, "node_modules")
    try:
        with open(stamp, "rb") as f:
            if f.read() == lock and os.path.isdir(modules):
                return modules, None
    except OSError:
        pass
    for fn in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(NPM_DIR, fn), os.path.join(inst, fn))
        os.chmod(os.path.join(inst, fn), 0o644)
    cmd = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--fetch-retries=1",
           "--fetch-timeout=30000", "--loglevel=error"]
    try:
        p = subprocess.run(cmd, cwd=inst, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=NPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "npm ci timed out after %ds (is the registry reachable?)" % NPM_TIMEOUT
    if p.returncode != 0:
        out = p.stdout.decode("utf-8", "replace").strip().splitlines()
        errs = [re.sub(r"^npm (?:error|ERR!) ", "", ln) for ln in out
                if re.match(r"npm (?:error|ERR!) ", ln) and "complete log" not in ln]
        why = next((ln for ln in errs if ln.startswith(("FetchError", "request to", "network"))),
                   " ".join(errs[:2]) or (out[-1] if out else ""))
        return None, "npm ci failed (status %d): %s" % (p.returncode, why.strip()[:200])
    for dp, dns, fns in os.walk(modules):
        os.chmod(dp, 0o755)
    with open(stamp, "wb") as f:
        f.write(lock)
    return modules, None


def suites(builddir=None):
    """The two suites, the npm one without its packages (prepare_npm)."""
    return [Suite("compat", CASES, PENDING_FILE),
            Suite("compat-npm", os.path.join(NPM_DIR, "handlers"), os.path.join(NPM_DIR, "PENDING"),
                  extra_conf="js_time_limit 30s;")]


def lib_indent(text, prefix="    "):
    return "\n".join(prefix + ln for ln in text.rstrip().splitlines())


def show_node(k, builddir):
    """Prints what Node answers each case: to check a new case's output."""
    lib = lib_import()
    suites = [Suite("compat", CASES, PENDING_FILE)]
    if not k or "npm" in k or [c for c in load_cases(os.path.join(NPM_DIR, "handlers"))
                               if k in "compat-npm/" + c.name]:
        modules, why = prepare_npm(builddir)
        if why:
            print("# npm part: " + why)
        else:
            suites.append(Suite("compat-npm", os.path.join(NPM_DIR, "handlers"),
                                os.path.join(NPM_DIR, "PENDING"), modules,
                                os.path.dirname(os.path.dirname(modules))))
    for suite in suites:
        cases = [c for c in load_cases(suite.cases_dir) if not k or k in suite.label + "/" + c.name]
        if not cases:
            continue
        serve = suite.tree(lib, cases) if suite.modules_dir else suite.cases_dir
        ns = NodeServer(lib, shutil.which("node") or "node", serve)
        try:
            for c in cases:
                for rq in c.requests:
                    print("== %s/%s: %s %s" % (suite.label, c.name, rq["method"], rq["path"]))
                    print(show(ask(lib, ns.port, rq)))
        finally:
            ns.stop()
            lib.cleanup_all()
        err = ns.stderr()
        if err:
            print("== node_server.js stderr:\n" + err)


def main():
    import argparse
    ap = argparse.ArgumentParser(description="Prints what Node answers each case's requests "
                                 "(to write a new case); the suite itself runs under pytest")
    ap.add_argument("--builddir", default=os.path.dirname(os.path.dirname(HERE)))
    ap.add_argument("-k", default=None, metavar="SUBSTRING")
    args = ap.parse_args()
    show_node(args.k, os.path.abspath(args.builddir))


if __name__ == "__main__":
    main()
