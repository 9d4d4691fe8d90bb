"""Issue 15, shared dictionary: `shared_dict NAME SIZE;` and
require('eider').shared.NAME. Counts are exact across workers and kept
across reloads; TTL; eviction with set(), a clear error with add() and
safeSet(); the rate-limit example in handlers/ answers 429 past its limit."""
import http.client
import json
import os
import threading
import time

from eiderlib import (Eider, LifeEider, mkdtemp, write_tree, run_eider, srcdir, wait_until)

# POST /op {"dict": NAME, "op": METHOD, "args": [...]} calls
# shared[NAME][METHOD](...args) in whichever worker takes it; "fill" stores
# n values of size bytes with set() in one request.
OP_JS = r"""
var shared = require('eider').shared;
module.exports = function (req, res) {
    var b = req.json(), d = shared[b.dict];
    if (!d) return res.json({ error: 'no dict ' + b.dict, names: Object.keys(shared) }, 404);
    try {
        var out;
        if (b.op === 'fill') {
            var v = new Array(b.size + 1).join('v'), ok = 0;
            for (var i = 0; i < b.n; i++) if (d.set(b.prefix + i, v)) ok++;
            out = ok;
        } else if (b.op === 'capacity') {
            out = d.capacity;
        } else {
            out = d[b.op].apply(null, b.args || []);
        }
        res.json({ pid: process.pid, defined: out !== undefined, result: out === undefined ? null : out });
    } catch (e) {
        res.json({ pid: process.pid, error: e.name + ': ' + e.message, code: e.code || null }, 500);
    }
};
"""


def _handlers():
    d = mkdtemp("eider-shdict-h-")
    write_tree(d, {"op.js": OP_JS})
    return d


def _op(conn_or_port, dict_name, op, *args, **extra):
    body = dict({"dict": dict_name, "op": op, "args": list(args)}, **extra)
    if isinstance(conn_or_port, int):
        conn = http.client.HTTPConnection("127.0.0.1", conn_or_port, timeout=30)
    else:
        conn = conn_or_port
    conn.request("POST", "/op", body=json.dumps(body), headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = json.loads(r.read())
    if isinstance(conn_or_port, int):
        conn.close()
    return r.status, data


def _ok(port, dict_name, op, *args, **extra):
    status, data = _op(port, dict_name, op, *args, **extra)
    assert status == 200, data
    return data["result"] if data["defined"] else None


def _connections_on_two_workers(port, tries=200):
    """Two keep-alive connections answered by different worker processes."""
    seen = {}
    for _ in range(tries):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, data = _op(c, "d", "has", "probe")
        assert status == 200, data
        if data["pid"] not in seen:
            seen[data["pid"]] = c
            if len(seen) == 2:
                return list(seen.values())
        else:
            c.close()
        time.sleep(0.01)
    raise AssertionError("every connection went to the same worker: %s" % list(seen))


def test_incr_is_exact_across_two_workers():
    with Eider(_handlers(), workers=2, extra_conf="shared_dict d 1m;", access_log=False,
               error_log_level="warn") as e:
        threads, pids, errors = 8, set(), []
        each = 150

        def hammer():
            try:
                for _ in range(each):
                    status, data = _op(e.port, "d", "incr", "hits", 1, 0)   # a new connection each time
                    if status != 200:
                        errors.append(data)
                    pids.add(data["pid"])
            except Exception as ex:   # noqa: BLE001 - reported below
                errors.append(repr(ex))

        ts = [threading.Thread(target=hammer) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        assert errors == []
        assert _ok(e.port, "d", "get", "hits") == threads * each
        # Both workers took part (else this would prove nothing).
        a, b = _connections_on_two_workers(e.port)
        assert _op(a, "d", "incr", "hits", 1)[1]["result"] == threads * each + 1
        assert _op(b, "d", "incr", "hits", 1)[1]["result"] == threads * each + 2


def test_set_in_one_worker_get_in_another():
    with Eider(_handlers(), workers=2, extra_conf="shared_dict d 1m;") as e:
        a, b = _connections_on_two_workers(e.port)
        assert _op(a, "d", "set", "s", "héllo")[1]["result"] is True
        assert _op(a, "d", "set", "n", 2.5)[1]["result"] is True
        assert _op(a, "d", "set", "t", False)[1]["result"] is True
        assert _op(b, "d", "get", "s")[1]["result"] == "héllo"
        assert _op(b, "d", "get", "n")[1]["result"] == 2.5
        assert _op(b, "d", "get", "t")[1]["result"] is False
        assert _op(b, "d", "get", "missing")[1]["defined"] is False
        assert _op(b, "d", "has", "s")[1]["result"] is True
        assert _op(a, "d", "add", "s", "other")[1]["result"] is False    # there already
        assert _op(a, "d", "replace", "nope", "x")[1]["result"] is False  # not there
        assert _op(a, "d", "replace", "s", "x")[1]["result"] is True
        assert _op(b, "d", "get", "s")[1]["result"] == "x"
        assert sorted(_op(b, "d", "keys")[1]["result"]) == ["n", "s", "t"]
        assert _op(b, "d", "size")[1]["result"] == 3
        assert _op(a, "d", "delete", "s")[1]["result"] is True
        assert _op(b, "d", "delete", "s")[1]["result"] is False
        assert _op(b, "d", "size")[1]["result"] == 2
        assert _op(b, "d", "capacity")[1]["result"] == 1024 * 1024
        free = _op(b, "d", "freeSpace")[1]["result"]
        assert 0 < free <= 1024 * 1024


def test_ttl_expires_entries():
    with Eider(_handlers(), workers=2, extra_conf="shared_dict d 1m;") as e:
        assert _ok(e.port, "d", "set", "short", "v", 300) is True
        assert _ok(e.port, "d", "set", "long", "v") is True
        left = _ok(e.port, "d", "ttl", "short")
        assert 0 < left <= 300
        assert _ok(e.port, "d", "ttl", "long") == -1
        # incr's ttlMs applies to the counter it creates, not to later ones.
        assert _ok(e.port, "d", "incr", "window", 1, 0, 300) == 1
        assert _ok(e.port, "d", "incr", "window", 1, 0, 100000) == 2
        wait_until(lambda: _ok(e.port, "d", "get", "short") is None, timeout=30, msg="short expires")
        # window was created after short, so it may outlive it by as long as
        # the requests between them took on a loaded machine.
        wait_until(lambda: _ok(e.port, "d", "get", "window") is None, timeout=30, msg="window expires")
        assert _ok(e.port, "d", "ttl", "short") is None
        assert _ok(e.port, "d", "get", "long") == "v"


def test_reload_keeps_contents_of_the_same_name_and_size():
    d = _handlers()
    e = LifeEider(d, workers=2, extra_conf="shared_dict d 1m;\nshared_dict other 256k;")
    e.start()
    try:
        for _ in range(5):
            _ok(e.port, "d", "incr", "c", 1, 0)
        _ok(e.port, "other", "set", "x", "kept?")
        before = set(e.worker_pids())
        # Same d; other resized (a new, empty zone); a new one appears.
        e.extra_conf = "shared_dict d 1m;\nshared_dict other 512k;\nshared_dict fresh 128k;"
        e.write_config()
        e.reload()
        wait_until(lambda: not (set(e.worker_pids()) & before), timeout=30, msg="old workers gone")
        assert _ok(e.port, "d", "get", "c") == 5
        assert _ok(e.port, "d", "incr", "c", 1) == 6
        assert _ok(e.port, "other", "get", "x") is None
        assert _ok(e.port, "other", "capacity") == 512 * 1024
        assert _ok(e.port, "fresh", "set", "y", 1) is True
        # And a plain reload again keeps everything.
        e.reload()
        assert _ok(e.port, "d", "get", "c") == 6
        assert _ok(e.port, "fresh", "get", "y") == 1
    finally:
        e.stop()


def test_full_dict_evicts_with_set_and_refuses_add_and_safe_set():
    with Eider(_handlers(), workers=2, extra_conf="shared_dict small 128k;") as e:
        # 400 values of 1000 bytes cannot all fit in 128 KiB: set() evicts.
        assert _ok(e.port, "small", "fill", n=400, size=1000, prefix="k") == 400
        size = _ok(e.port, "small", "size")
        assert 50 < size < 400
        assert _ok(e.port, "small", "get", "k0") is None          # the oldest went
        assert _ok(e.port, "small", "has", "k399") is True        # the newest stayed
        value = "w" * 1000
        status, data = _op(e.port, "small", "safeSet", "new", value)
        assert status == 500 and data["code"] == "ERR_SHDICT_FULL", data
        assert "safeSet() never evicts" in data["error"] and "shared_dict" in data["error"]
        status, data = _op(e.port, "small", "add", "new", value)
        assert status == 500 and data["code"] == "ERR_SHDICT_FULL", data
        assert "add() never evicts" in data["error"]
        assert _ok(e.port, "small", "size") == size                 # nothing evicted by either
        assert _ok(e.port, "small", "has", "k399") is True
        assert _ok(e.port, "small", "set", "new", value) is True    # set() makes room


def test_bad_keys_and_values_are_clear_errors():
    with Eider(_handlers(), workers=1, extra_conf="shared_dict d 1m;") as e:
        status, data = _op(e.port, "d", "set", "k" * 251, 1)
        assert status == 500 and data["code"] == "ERR_SHDICT_KEY"
        assert "keys are 1 to 250 bytes, got 251" in data["error"]
        status, data = _op(e.port, "d", "set", "", 1)
        assert data["code"] == "ERR_SHDICT_KEY"
        status, data = _op(e.port, "d", "set", "big", "x" * 16001)
        assert data["code"] == "ERR_SHDICT_VALUE" and "up to 16000 bytes" in data["error"]
        assert _ok(e.port, "d", "set", "max", "x" * 16000) is True
        assert len(_ok(e.port, "d", "get", "max")) == 16000
        status, data = _op(e.port, "d", "set", "obj", {"a": 1})
        assert data["code"] == "ERR_INVALID_ARG_TYPE" and "strings, numbers or booleans" in data["error"]
        _ok(e.port, "d", "set", "s", "text")
        status, data = _op(e.port, "d", "incr", "s", 1)
        assert data["code"] == "ERR_SHDICT_NOT_NUMBER" and data["error"].startswith("TypeError")
        assert _ok(e.port, "d", "incr", "absent", 1) is None       # no init: undefined
        status, data = _op(e.port, "d", "set", "t", 1, -5)
        assert data["code"] == "ERR_INVALID_ARG_VALUE"


def _check_conf(text):
    d = mkdtemp("eider-shdict-conf-")
    write_tree(d, {"h/index.js": "module.exports = function (q, s) { s.end('x'); };\n"})
    conf = os.path.join(d, "eider.conf")
    with open(conf, "w") as f:
        f.write("handlers h;\nlisten 127.0.0.1:1;\n" + text)
    return conf, run_eider(["-t", "-c", conf])


def test_config_errors_name_the_line_and_the_fix():
    conf, r = _check_conf("shared_dict 9lives 1m;\n")
    assert r.returncode == 1 and "%s:3:" % conf in r.stderr and "letters, digits and _" in r.stderr
    conf, r = _check_conf("shared_dict a 1m;\nshared_dict a 2m;\n")
    assert r.returncode == 1 and "%s:4:" % conf in r.stderr and "declared twice" in r.stderr
    conf, r = _check_conf("shared_dict a 4k;\n")
    assert r.returncode == 1 and "from 128k to 2g" in r.stderr
    conf, r = _check_conf("shared_dict a;\n")
    assert r.returncode == 1 and "%s:3:" % conf in r.stderr
    conf, r = _check_conf("shared_dict a 1m;\nshared_dict b 128k;\n")
    assert r.returncode == 0, r.stderr


def test_handlers_top_level_code_may_use_the_dict():
    d = mkdtemp("eider-shdict-top-")
    write_tree(d, {"index.js": "var c = require('eider').shared.c;\nc.incr('loads', 1, 0);\n"
                               "module.exports = function (req, res) { res.json(c.get('loads')); };\n"})
    with Eider(d, workers=2, extra_conf="shared_dict c 128k;") as e:
        # The master's check and each of the two workers loaded the module.
        assert e.get("/").json() >= 2


def test_rate_limit_example_answers_429_after_the_limit():
    with Eider(os.path.join(srcdir(), "handlers"), workers=2,
               extra_conf="env JWT_SECRET;\nshared_dict ratelimit 1m;") as e:
        for i in range(10):
            r = e.get("/ratelimit")   # a new connection each: both workers count
            assert r[0] == 200, r
            assert r.json()["count"] == i + 1
            assert r[1]["ratelimit-remaining"] == str(9 - i)
        r = e.get("/ratelimit")
        assert r[0] == 429, r
        assert 0 < int(r[1]["retry-after"]) <= 60
        assert r.json()["error"] == "too many requests"


def test_rate_limit_example_says_how_to_configure_it():
    with Eider(os.path.join(srcdir(), "handlers"), workers=1, extra_conf="env JWT_SECRET;") as e:
        r = e.get("/ratelimit")
        assert r[0] == 503
        assert "shared_dict ratelimit 1m;" in r.json()["error"]


def test_a_worker_killed_under_load_wedges_nothing():
    """Workers SIGKILLed while others increment (one may die holding the
    lock): the survivors and the replacements go on, and the counter holds
    every acknowledged increment, plus at most the ones cut off."""
    import signal
    with LifeEider(_handlers(), workers=2, extra_conf="shared_dict d 1m;", access_log=False,
                   error_log_level="warn") as e:
        acked, failed, stop = [0], [0], threading.Event()
        lock = threading.Lock()

        def hammer():
            while not stop.is_set():
                try:
                    status, _ = _op(e.port, "d", "incr", "n", 1, 0)
                    ok = status == 200
                except Exception:   # noqa: BLE001 - a connection cut by the kill
                    ok = False
                with lock:
                    if ok:
                        acked[0] += 1
                    else:
                        failed[0] += 1

        ts = [threading.Thread(target=hammer) for _ in range(6)]
        for t in ts:
            t.start()
        for _ in range(4):
            time.sleep(0.3)
            pids = e.worker_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
        time.sleep(0.5)
        stop.set()
        for t in ts:
            t.join(60)
        wait_until(lambda: len(e.worker_pids()) == 2, timeout=30, msg="workers replaced")
        total = _ok(e.port, "d", "get", "n")
        assert acked[0] > 0
        assert acked[0] <= total <= acked[0] + failed[0]
        assert _ok(e.port, "d", "incr", "n", 1) == total + 1


def test_a_stop_loses_the_contents():
    d = _handlers()
    with Eider(d, workers=1, extra_conf="shared_dict d 128k;") as e:
        _ok(e.port, "d", "set", "k", "v")
        assert _ok(e.port, "d", "get", "k") == "v"
    with Eider(d, workers=1, extra_conf="shared_dict d 128k;") as e:
        assert _ok(e.port, "d", "get", "k") is None
