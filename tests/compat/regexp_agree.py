#!/usr/bin/env python3
"""Counts how many RegExp cases (tests/compat/cases/_lib/regexp_cases.js)
give the same result under eider (RegExp on PCRE2) as under Node, and
names every one that differs; the ones that differ on purpose are listed
in the file's KNOWN table. Exit status 1 if any other case differs.

    python3 tests/compat/regexp_agree.py [path/to/eider]
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "cases", "_lib", "regexp_cases.js")
DRIVER = ("var s = require(process.argv[2]);\n"
          "console.log(JSON.stringify({ results: s.run(), known: s.KNOWN }));\n")


def norm(v):
    """Duktape may hold a surrogate pair as two 3-byte sequences: compare
    code points."""
    if isinstance(v, str):
        return v.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=120)
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(cmd), p.stderr.decode("utf-8", "replace")))
    return norm(json.loads(p.stdout.decode("utf-8", "surrogatepass")))


def main():
    eider = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "framework", "eider")
    with tempfile.TemporaryDirectory() as d:
        driver = os.path.join(d, "driver.js")
        with open(driver, "w") as f:
            f.write(DRIVER)
        node = run(["node", driver, LIB])
        ours = run([eider, "run", driver, LIB])
    known = node["known"]
    by_id = {c["id"]: c["result"] for c in ours["results"]}
    agree, unexpected = 0, 0
    for c in node["results"]:
        got = by_id.get(c["id"], "(missing)")
        if got == c["result"]:
            agree += 1
            continue
        why = known.get(c["id"])
        if why is None:
            unexpected += 1
        print("%s %-5s %s\n    node:  %s\n    eider: %s%s" % (
            "known" if why else "DIFF", c["id"], c["what"], json.dumps(c["result"])[:300],
            json.dumps(got)[:300], "\n    why:   " + why if why else ""))
    print("%d of %d cases agree with Node (%d differ as documented, %d otherwise)"
          % (agree, len(node["results"]), len(node["results"]) - agree - unexpected, unexpected))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
