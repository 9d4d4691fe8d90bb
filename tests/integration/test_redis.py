"""Issue 15, Redis: require('redis') with node-redis v4's shape, against a
real redis-server each test module starts on a free port in a temp dir
(`--save ''`, no persistence). Handlers written as for node-redis answer
from it; counts are exact across workers; multi/exec, pub/sub on a
duplicate()d client, binary-safe values; Redis killed mid-command or
stopped: the request gets a clear 503, the worker survives, the client
reconnects when Redis is back; redis_url and redis_timeout in eider.conf;
`eider run` stays alive while a client is open and exits after quit()."""
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from eiderlib import (Eider, assert_status, mkdtemp, run_eider, spawn, srcdir,
                      wait_until, write_tree, handlers_tree, require_bin)
from redislib import REDIS_SERVER, Redis

pytestmark = pytest.mark.skipif(REDIS_SERVER is None,
                                reason="redis-server not installed (apt-get install redis-server)")


@pytest.fixture(scope="module")
def redis():
    r = Redis().start()
    yield r
    r.stop()


# One handler per shape of the API, as a node-redis user writes them.
CRUD_JS = r"""
const { createClient } = require('redis');
const client = createClient();          // redis_url from eider.conf
client.on('error', () => {});
const ready = client.connect();

module.exports = async (req, res) => {
    await ready;
    const out = {};
    out.set = await client.set('k', 'héllo', { EX: 100 });
    out.setNX = await client.set('k', 'other', { NX: true });
    out.get = await client.get('k');
    out.missing = await client.get('no-such-key');
    out.ttl = await client.ttl('k');
    out.incr = await client.incr('n');
    out.incrBy = await client.incrBy('n', 41);
    out.expire = await client.expire('n', 50);
    out.exists = await client.exists(['k', 'n', 'nope']);
    out.mGet = await client.mGet(['k', 'nope']);
    out.hSet = await client.hSet('h', { a: '1', b: 'two' });
    out.hGet = await client.hGet('h', 'b');
    out.hGetAll = await client.hGetAll('h');
    out.lPush = await client.lPush('l', ['x', 'y']);
    out.rPop = await client.rPop('l');
    out.sAdd = await client.sAdd('s', ['p', 'q', 'p']);
    out.sMembers = (await client.sMembers('s')).sort();
    out.zAdd = await client.zAdd('z', [{ score: 2, value: 'b' }, { score: 1, value: 'a' }]);
    out.zRange = await client.zRange('z', 0, -1);
    out.zRangeWithScores = await client.zRangeWithScores('z', 0, -1);
    out.del = await client.del(['l', 's']);
    out.sendCommand = await client.sendCommand(['ECHO', 'raw']);
    out.multi = await client.multi().set('m', '5').incrBy('m', 2).get('m').hGet('m', 'x').exec();
    out.multi[3] = out.multi[3] instanceof Error ? 'Error: ' + out.multi[3].message : out.multi[3];
    try {
        await client.hGet('k', 'x');
        out.wrongType = 'no error';
    } catch (e) {
        out.wrongType = e instanceof Error ? e.message : String(e);
    }
    // Commands of one tick: every Promise settles, each with its own reply.
    out.tick = await Promise.all([1, 2, 3, 4, 5].map((i) => client.incrBy('tick', i)));
    res.json(out);
};
"""

COUNT_JS = r"""
const { createClient } = require('redis');
const client = createClient();
client.on('error', () => {});
client.connect().catch(() => {});
module.exports = async (req, res) => {
    res.json({ n: await client.incr('counter'), pid: process.pid });
};
"""

# GET /bin: sets a value of every byte 0..255 from a Buffer and reads it
# back; POST /bin stores the raw body under the key named in ?key=.
BIN_JS = r"""
const { createClient } = require('redis');
const client = createClient();
client.on('error', () => {});
client.connect().catch(() => {});
module.exports = async (req, res) => {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    await client.set('bin', all);
    const back = await client.strLen('bin');
    res.json({ stored: back, text: await client.get('utf8') });
};
"""

# GET /sub: what the dedicated subscriber of this worker has received;
# messages come from PUBLISH (redis-cli or the test's client).
SUB_JS = r"""
const { createClient } = require('redis');
const client = createClient();
client.on('error', () => {});
const sub = client.duplicate();
sub.on('error', () => {});
const got = [];
let subscribed = false;
sub.connect().then(() => sub.subscribe('news', (message, channel) => got.push([channel, message])))
    .then(() => { subscribed = true; }, () => {});
client.connect().catch(() => {});
module.exports = async (req, res) => {
    if (req.query.publish) await client.publish('news', req.query.publish);
    let other = null;
    if (req.query.other) other = await sub.get('x').then(() => 'sent', (e) => e.message);
    res.json({ subscribed, got, other, pid: process.pid });
};
"""

# GET /block: waits on a list no one pushes to (BLPOP with no timeout):
# the command Redis is "in" when the test kills it.
BLOCK_JS = r"""
const { createClient } = require('redis');
const client = createClient();
client.on('error', () => {});
client.connect().catch(() => {});
module.exports = async (req, res) => {
    const r = await client.sendCommand(['BLPOP', 'never-' + Math.random(), '0']);
    res.json({ r, pid: process.pid });
};
"""

PID_JS = "module.exports = (req, res) => res.json({ pid: process.pid });\n"


def _eider(redis, files, workers=1, extra=""):
    h = mkdtemp("eider-redis-h-")
    write_tree(h, files)
    conf = "redis_url redis://127.0.0.1:%d;\n%s" % (redis.port, extra)
    return Eider(h, workers=workers, extra_conf=conf, ready_path="/pid")


def test_node_redis_handler_answers_from_a_real_redis(redis):
    with _eider(redis, {"crud.js": CRUD_JS, "pid.js": PID_JS}) as e:
        r = e.request("GET", "/crud")
        assert_status(r, 200)
        j = r.json()
    assert j["set"] == "OK" and j["setNX"] is None, j
    assert j["get"] == "héllo" and j["missing"] is None, j
    assert 90 <= j["ttl"] <= 100, j
    assert j["incr"] == 1 and j["incrBy"] == 42 and j["expire"] is True, j
    assert j["exists"] == 2 and j["mGet"] == ["héllo", None], j
    assert j["hSet"] == 2 and j["hGet"] == "two" and j["hGetAll"] == {"a": "1", "b": "two"}, j
    assert j["lPush"] == 2 and j["rPop"] == "x", j
    assert j["sAdd"] == 2 and j["sMembers"] == ["p", "q"], j
    assert j["zAdd"] == 2 and j["zRange"] == ["a", "b"], j
    assert j["zRangeWithScores"] == [{"value": "a", "score": 1}, {"value": "b", "score": 2}], j
    assert j["del"] == 2 and j["sendCommand"] == "raw", j
    assert j["multi"][:3] == ["OK", 7, "7"] and j["multi"][3].startswith("Error: WRONGTYPE"), j
    assert j["wrongType"].startswith("WRONGTYPE"), j
    assert j["tick"] == [1, 3, 6, 10, 15], j
    # What the handler stored is in Redis, as Redis sees it.
    assert redis.cmd("GET", "k") == "héllo".encode()
    assert redis.cmd("HGETALL", "h") == [b"a", b"1", b"b", b"two"]
    assert 0 < redis.cmd("TTL", "n") <= 50


def _connections_on_both_workers(port, per_worker=4, tries=300):
    """Keep-alive connections, PER_WORKER answered by each of two workers
    (one listening socket: which worker takes a connection is the kernel's)."""
    import http.client
    by_pid = {}
    for _ in range(tries):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", "/pid")
        pid = json.loads(c.getresponse().read())["pid"]
        if len(by_pid.get(pid, [])) < per_worker:
            by_pid.setdefault(pid, []).append(c)
        else:
            c.close()
        if len(by_pid) == 2 and all(len(v) == per_worker for v in by_pid.values()):
            return [c for v in by_pid.values() for c in v]
        time.sleep(0.005)
    raise AssertionError("could not reach two workers: %s" % {k: len(v) for k, v in by_pid.items()})


def test_counter_is_exact_across_workers(redis):
    redis.cmd("DEL", "counter")
    per = 25
    pids = set()
    errors = []

    def hammer(c):
        for _ in range(per):
            c.request("GET", "/count")
            resp = c.getresponse()
            body = resp.read()
            if resp.status != 200:
                errors.append((resp.status, body))
            else:
                pids.add(json.loads(body)["pid"])
        c.close()

    with _eider(redis, {"count.js": COUNT_JS, "pid.js": PID_JS}, workers=2) as e:
        conns = _connections_on_both_workers(e.port)
        threads = [threading.Thread(target=hammer, args=(c,)) for c in conns]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    assert len(pids) == 2, pids
    assert int(redis.cmd("GET", "counter")) == len(conns) * per


def test_values_are_binary_safe(redis):
    redis.cmd("SET", "utf8", "ça ✓ 😀".encode())
    with _eider(redis, {"bin.js": BIN_JS, "pid.js": PID_JS}) as e:
        j = e.request("GET", "/bin").json()
    assert j == {"stored": 256, "text": "ça ✓ 😀"}, j
    assert redis.cmd("GET", "bin") == bytes(range(256))


def test_pubsub_on_a_duplicate_client(redis):
    with _eider(redis, {"sub.js": SUB_JS, "pid.js": PID_JS}) as e:
        wait_until(lambda: e.request("GET", "/sub").json()["subscribed"], timeout=10,
                   msg="the subscriber subscribed")
        assert redis.cmd("PUBLISH", "news", "from outside") == 1
        assert redis.cmd("PUBLISH", "other", "not for us") == 0
        e.request("GET", "/sub?publish=from%20a%20handler")
        wait_until(lambda: len(e.request("GET", "/sub").json()["got"]) == 2, timeout=10,
                   msg="two messages received")
        assert e.request("GET", "/sub").json()["got"] == [["news", "from outside"],
                                                          ["news", "from a handler"]]
        # A subscribed client refuses other commands, as node-redis does.
        assert e.request("GET", "/sub?other=1").json()["other"] == "Cannot send commands in PubSub mode"


def test_password_and_database_from_redis_url():
    redis = Redis(password="s3cret:/@").start()
    try:
        files = {"count.js": COUNT_JS, "pid.js": PID_JS}
        h = mkdtemp("eider-redis-h-")
        write_tree(h, files)
        url = "redis://:%s@127.0.0.1:%d/3" % ("s3cret%3A%2F%40", redis.port)
        with Eider(h, extra_conf="redis_url %s;" % url, ready_path="/pid") as e:
            assert e.request("GET", "/count").json()["n"] == 1
        assert redis.cmd("GET", "counter", db=3) == b"1"
        assert redis.cmd("EXISTS", "counter") == 0
        # A wrong password: a clear 503, and the error log says why.
        bad = "redis://:wrong@127.0.0.1:%d" % redis.port
        with Eider(h, extra_conf="redis_url %s;" % bad, ready_path="/pid") as e:
            r = e.request("GET", "/count")
            assert_status(r, 503)
            e.wait_log("WRONGPASS")
    finally:
        redis.stop()


def test_redis_killed_mid_command_answers_503_and_reconnects():
    redis = Redis().start()
    try:
        files = {"block.js": BLOCK_JS, "count.js": COUNT_JS, "sub.js": SUB_JS, "pid.js": PID_JS}
        with _eider(redis, files, extra="redis_timeout off;") as e:
            assert_status(e.request("GET", "/count"), 200)
            wait_until(lambda: e.request("GET", "/sub").json()["subscribed"], timeout=10,
                       msg="the subscriber subscribed")
            worker = e.request("GET", "/pid").json()["pid"]
            out = {}

            def blocked():
                out["r"] = e.request("GET", "/block", timeout=30)

            t = threading.Thread(target=blocked)
            t.start()
            # The BLPOP is waiting in Redis (a blocked client) when it dies.
            wait_until(lambda: b"blocked_clients:1" in redis.cmd("INFO", "clients"), timeout=10,
                       msg="the BLPOP blocked in Redis")
            redis.kill()
            t.join(30)
            r = out["r"]
            assert_status(r, 503)
            assert r.json()["status"] == 503, r
            # Redis is down: a clear 503 at once, from the same worker.
            r = e.request("GET", "/count")
            assert_status(r, 503)
            assert e.request("GET", "/pid").json()["pid"] == worker, "the worker did not survive"
            log = open(e.error_log_path).read()
            assert "Redis 127.0.0.1:%d" % redis.port in log, log[-2000:]
            # Back on the same port: the client reconnects by itself.
            redis.start()
            wait_until(lambda: e.request("GET", "/count")[0] == 200, timeout=15,
                       msg="the client reconnected")
            assert e.request("GET", "/count").json()["pid"] == worker
            # The subscriber subscribed again.
            wait_until(lambda: redis.cmd("PUBLISH", "news", "after") == 1, timeout=10,
                       msg="the subscriber resubscribed")
            wait_until(lambda: ["news", "after"] in e.request("GET", "/sub").json()["got"],
                       timeout=10, msg="a message after the restart")
    finally:
        redis.stop()


def test_a_stuck_redis_times_out_with_503_and_recovers():
    redis = Redis().start()
    try:
        with _eider(redis, {"count.js": COUNT_JS, "pid.js": PID_JS}, extra="redis_timeout 1s;") as e:
            assert_status(e.request("GET", "/count"), 200)
            os.kill(redis.proc.pid, signal.SIGSTOP)
            try:
                t0 = time.time()
                r = e.request("GET", "/count", timeout=30)
                assert_status(r, 503)
                assert time.time() - t0 < 25, "answered only after %.1fs" % (time.time() - t0)
                log = open(e.error_log_path).read()
                assert "no reply within 1000 ms" in log, log[-2000:]
            finally:
                os.kill(redis.proc.pid, signal.SIGCONT)
            wait_until(lambda: e.request("GET", "/count")[0] == 200, timeout=15,
                       msg="the client reconnected after SIGCONT")
    finally:
        redis.stop()


def test_redis_down_at_start_then_up():
    """A worker started while Redis is down answers 503 and connects once
    Redis comes up (connect() failed, the client kept retrying)."""
    redis = Redis()
    with _eider(redis, {"count.js": COUNT_JS, "pid.js": PID_JS}) as e:
        r = e.request("GET", "/count")
        assert_status(r, 503)
        redis.start()
        try:
            wait_until(lambda: e.request("GET", "/count")[0] == 200, timeout=15,
                       msg="the client connected once Redis was up")
        finally:
            redis.stop()


def test_hits_example_with_and_without_redis(redis):
    redis.cmd("DEL", "eider:hits")
    handlers = os.path.join(srcdir(), "handlers")
    with Eider(handlers, extra_conf="redis_url redis://127.0.0.1:%d;" % redis.port) as e:
        assert e.request("GET", "/hits").json() == {"hits": 1}
        assert e.request("GET", "/hits").json() == {"hits": 2}
    assert redis.cmd("GET", "eider:hits") == b"2"
    with Eider(handlers) as e:
        r = e.request("GET", "/hits")
        assert_status(r, 503)
        assert "redis_url redis://127.0.0.1:6379;" in r.json()["error"], r


RUN_JS = r"""
const { createClient } = require('redis');
const client = createClient({ url: process.argv[2] });
client.connect().then(async () => {
    await client.set('from-run', process.argv[3]);
    console.log('set', await client.get('from-run'));
    if (process.argv[3] === 'quit') console.log('quit', await client.quit());
});
"""


def test_eider_run_stays_alive_while_open_and_exits_after_quit(redis):
    d = mkdtemp("eider-redis-run-")
    write_tree(d, {"s.js": RUN_JS})
    url = "redis://127.0.0.1:%d" % redis.port
    r = run_eider(["run", os.path.join(d, "s.js"), url, "quit"], cwd=d, timeout=20)
    assert r.returncode == 0 and r.stdout == "set quit\nquit OK\n", (r.stdout, r.stderr)
    # Without quit() the open client keeps the script running, as in Node.
    p = spawn([require_bin(), "run", os.path.join(d, "s.js"), url, "stay"], cwd=d,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: redis.cmd("GET", "from-run") == b"stay", timeout=10, msg="the script set")
        time.sleep(1)
        assert p.poll() is None, "eider run exited with a client still open"
    finally:
        p.kill()
        p.wait(5)


def test_config_redis_url_errors_name_the_line():
    conf, _ = handlers_tree({"h/index.js": PID_JS})
    for url, want in (("rediss://127.0.0.1:6379", "TLS to Redis"),
                      ("http://127.0.0.1:6379", "expected a URL like redis://")):
        with open(conf, "a") as f:
            f.write("redis_url %s;\n" % url)
        r = run_eider(["-t", "-c", conf])
        assert r.returncode != 0, r
        assert "%s:2" % conf in r.stderr and want in r.stderr, r.stderr
        with open(conf) as f:
            lines = f.readlines()[:-1]
        with open(conf, "w") as f:
            f.writelines(lines)
