"""Issue 15, "Scaling out" (README): two eider instances on two ports
behind a real HAProxy, both using the same real Redis and PostgreSQL,
each started by the test. A counter incremented through both instances
ends exact; one instance killed (SIGKILL, master and workers) in the
middle of the load: HAProxy routes around it, and every write a client
got an answer for is in Redis and in PostgreSQL."""
import http.client
import signal
import threading
import time
import uuid

import pytest

from eiderlib import Eider, assert_status, handlers_tree, kill_tree, wait_until
from haproxylib import HAProxy, haproxy_missing
from redislib import REDIS_SERVER, Redis

pglib = pytest.importorskip("pglib")

pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server not installed")

# One acknowledged write: INCR and SADD in one MULTI (atomic in Redis),
# then a row in PostgreSQL; the answer comes only after both.
WRITE_JS = r"""
const { createClient } = require('redis');
const { Pool } = require('pg');
const redis = createClient();                 // redis_url from eider.conf
redis.on('error', () => {});
const ready = redis.connect();
const pool = new Pool({ connectionString: %(url)r, max: 4 });

exports.POST = async (req, res) => {
    await ready;
    const id = req.json().id;
    const [n] = await redis.multi().incr('scale:count').sAdd('scale:ids', id).exec();
    await pool.query('INSERT INTO writes (id, n) VALUES ($1, $2)', [id, n]);
    res.json({ id, n });
};
"""


def _post(port, wid):
    """POSTs write WID through the proxy: the answer's JSON, or None if
    the request failed (no answer, or not a 200)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        conn.request("POST", "/write", body='{"id": "%s"}' % wid,
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        return None if r.status != 200 else body
    except (OSError, http.client.HTTPException):
        return None


def _served(e):
    """How many POST /write lines instance E's access log has."""
    try:
        with open(e.access_log_path) as f:
            return sum(1 for line in f if '"POST /write' in line)
    except FileNotFoundError:
        return 0


@pytest.mark.timeout(180)
def test_two_instances_behind_haproxy_share_redis_and_postgres():
    if haproxy_missing():
        pytest.skip("haproxy not installed")
    redis = Redis().start()
    pg = pglib.Postgres()
    pg.start()
    instances = []
    try:
        pg.sql("CREATE TABLE writes (id text PRIMARY KEY, n bigint NOT NULL)")
        _, root = handlers_tree({"h/write.js": WRITE_JS % {"url": pg.url()},
                                 "h/index.js": "module.exports = (req, res) => res.end('ok');\n"},
                                "eider-scale-")
        for _ in range(2):
            instances.append(Eider(root, workers=2, extra_conf="redis_url redis://127.0.0.1:%d;"
                                   % redis.port).start())
        a, b = instances
        # Health checks every 100 ms, down after one failure: a killed
        # instance leaves the rotation at once; a request that could not
        # connect is sent to the other one (redispatch). A request that
        # reached the killed instance is not retried: it may have written.
        with HAProxy([a.port, b.port], "check inter 100ms fall 1 rise 2", mode="http",
                     backend_extra="    balance roundrobin\n    option redispatch\n"
                                   "    retries 3\n    option httpchk GET /\n") as hp:
            # 1. Exact across instances: 8 clients, 200 writes.
            ids = [uuid.uuid4().hex for _ in range(200)]
            acked = []
            lock = threading.Lock()

            def run(chunk):
                for wid in chunk:
                    if _post(hp.port, wid) is not None:
                        with lock:
                            acked.append(wid)

            threads = [threading.Thread(target=run, args=(ids[i::8],)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert len(acked) == 200, "only %d of 200 writes answered\n%s" % (len(acked), hp.diagnostics())
            assert redis.cmd("GET", "scale:count") == b"200", redis.cmd("GET", "scale:count")
            assert redis.cmd("SCARD", "scale:ids") == 200
            assert pg.sql("SELECT count(*) FROM writes").strip().endswith("200"), pg.sql("SELECT count(*) FROM writes")
            # Access logs are flushed every 200 ms: wait for the lines.
            wait_until(lambda: _served(a) + _served(b) >= 200, timeout=10,
                       msg="both access logs to hold the 200 writes")
            assert _served(a) > 0 and _served(b) > 0, "one instance served nothing: %d / %d\n%s" % (
                _served(a), _served(b), hp.diagnostics())

            # 2. Kill instance a in the middle of the load.
            ids = [uuid.uuid4().hex for _ in range(400)]
            acked2, after_kill = [], []
            killed_at = []

            def run2(chunk):
                for wid in chunk:
                    if _post(hp.port, wid) is not None:
                        with lock:
                            acked2.append(wid)
                            if killed_at:
                                after_kill.append(wid)

            threads = [threading.Thread(target=run2, args=(ids[i::8],)) for i in range(8)]
            for t in threads:
                t.start()
            wait_until(lambda: len(acked2) >= 100, timeout=60, msg="100 writes before the kill")
            kill_tree(a.proc.pid, signal.SIGKILL)
            killed_at.append(time.time())
            for t in threads:
                t.join(90)
            print("    POSTs served in all: a %d, b %d; answered %d of 400, %d after the kill"
                  % (_served(a), _served(b), len(acked2), len(after_kill)))
            assert len(after_kill) >= 50, "only %d writes answered after the kill\n%s" % (
                len(after_kill), hp.diagnostics())
            stored = set(x.decode() for x in redis.cmd("SMEMBERS", "scale:ids"))
            lost = [w for w in acked2 if w not in stored]
            assert not lost, "%d acknowledged writes missing from Redis" % len(lost)
            rows = set(pg.sql("SELECT id FROM writes").split())
            lost = [w for w in acked2 if w not in rows]
            assert not lost, "%d acknowledged writes missing from PostgreSQL" % len(lost)
            # The counter is exact: one INCR per id that reached Redis.
            assert int(redis.cmd("GET", "scale:count")) == redis.cmd("SCARD", "scale:ids")
            # Nearly every request was answered: at most the few in flight
            # on the killed instance were lost.
            assert len(acked2) >= 400 - 16, "%d of 400 answered\n%s" % (len(acked2), hp.diagnostics())
            r = b.get("/")
            assert_status(r, 200, "the surviving instance")
    finally:
        for e in instances:
            e.stop()
        pg.close()
        redis.stop()
