"""require('pg') against a real PostgreSQL (tests/integration/pglib.py starts
one per module, initdb + pg_ctl on a free port): node-postgres-style
handlers, type mapping, SQLSTATE errors, the pool's rules (acquire timeout,
rollback on release, broken connections, a client that went away, a connect
storm bounded by max), a server killed mid-query, named databases in
eider.conf, the /notes example and eider run."""
import json
import os
import socket
import threading
import time
import urllib.parse

import pytest

from eiderlib import Eider, handlers_tree, mkdtemp, run_eider, srcdir, wait_until, write_tree
from pglib import Postgres, SharedPostgres

_server = SharedPostgres()
pg = _server.get   # the module's PostgreSQL server, started on first use


@pytest.fixture(autouse=True, scope="module")
def _stop_postgres():
    yield
    _server.close()


def new_db(server=None):
    """A fresh database on SERVER (default: the module's); its URL."""
    server = server or pg()
    name = "t%d_%d" % (os.getpid(), int(time.time() * 1e6) % 10**9)
    server.sql("CREATE DATABASE %s" % name)
    return server.url(name), name


def serve(files, conf="", workers=1):
    """An eider serving FILES ({path under the handlers root: text}), to
    start with `with`."""
    root = mkdtemp()
    write_tree(root, files)
    return Eider(root, extra_conf=conf, workers=workers, ready_path="/__ready")


def q(e, sql, timeout=10):
    """GET /q?sql=SQL of pool_handlers()."""
    return e.get("/q?sql=" + urllib.parse.quote(sql), timeout=timeout)


READY = {"__ready.js": "module.exports = (req, res) => res.json({ ok: true });\n"}


def test_node_postgres_style_handler_answers_from_postgres():
    url, name = new_db()
    pg().sql("CREATE TABLE items (id serial PRIMARY KEY, name text, qty int, big int8, price numeric,"
             " ok bool, meta jsonb, at timestamptz, day date, raw bytea, tags text[], nums int4[])", name)
    pg().sql("INSERT INTO items (name, qty, big, price, ok, meta, at, day, raw, tags, nums) VALUES "
             "('apple', 3, 9007199254740993, 1.50, true, '{\"a\": [1, \"x\"]}', "
             "'2024-01-02 03:04:05.678+00', '2024-03-04', '\\x00ff10', "
             "ARRAY['a', 'b c', NULL, 'q\"uote'], ARRAY[1, 2]),"
             "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)", name)
    files = dict(READY)
    files["items.js"] = """
const { Pool } = require('pg');
const pool = new Pool({ connectionString: %s });

exports.GET = async (req, res) => {
  const r = await pool.query('SELECT * FROM items ORDER BY id');
  const out = r.rows.map((row) => {
    const o = {};
    for (const k of Object.keys(row)) {
      const v = row[k];
      o[k] = { type: v === null ? 'null' : Buffer.isBuffer(v) ? 'buffer' : v instanceof Date ? 'date'
                     : Array.isArray(v) ? 'array' : typeof v,
               value: Buffer.isBuffer(v) ? v.toString('hex') : v instanceof Date ? v.toISOString() : v };
    }
    return o;
  });
  res.json({ rows: out, rowCount: r.rowCount, command: r.command,
             fields: r.fields.map((f) => [f.name, f.dataTypeID]) });
};
""" % json.dumps(url)
    with serve(files) as e:
        r = e.get("/items")
        assert r.status == 200, r
        got = r.json()
    assert got["command"] == "SELECT" and got["rowCount"] == 2
    assert ["qty", 23] in got["fields"] and ["big", 20] in got["fields"] and ["meta", 3802] in got["fields"]
    row, empty = got["rows"]
    expect = {
        "id": ("number", 1), "name": ("string", "apple"), "qty": ("number", 3),
        "big": ("string", "9007199254740993"), "price": ("string", "1.50"), "ok": ("boolean", True),
        "meta": ("object", {"a": [1, "x"]}), "at": ("date", "2024-01-02T03:04:05.678Z"),
        "raw": ("buffer", "00ff10"), "tags": ("array", ["a", "b c", None, 'q"uote']),
        "nums": ("array", [1, 2]),
    }
    for k, (t, v) in expect.items():
        assert (row[k]["type"], row[k]["value"]) == (t, v), (k, row[k])
    assert row["day"]["type"] == "date"      # local midnight, as node-postgres
    for k, cell in empty.items():
        if k != "id":
            assert cell == {"type": "null", "value": None}, (k, cell)


def test_parameters_travel_apart_from_the_text():
    url, name = new_db()
    pg().sql("CREATE TABLE t (id serial PRIMARY KEY, s text, b bytea, j jsonb, d timestamptz, a int[])", name)
    files = dict(READY)
    files["put.js"] = """
const { Pool } = require('pg');
const pool = new Pool({ connectionString: %s });
exports.POST = async (req, res) => {
  const s = req.json().s;
  const r = await pool.query('INSERT INTO t (s, b, j, d, a) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [s, Buffer.from([0, 1, 255]), { k: s }, new Date(Date.UTC(2020, 1, 3, 4, 5, 6, 7)), [1, null, 3]]);
  const c = await pool.query('SELECT count(*)::int AS n FROM t');
  const row = r.rows[0];
  res.json({ s: row.s, b: row.b.toString('hex'), j: row.j, d: row.d.toISOString(), a: row.a, n: c.rows[0].n });
};
""" % json.dumps(url)
    evil = "x'); DROP TABLE t; --\\ \" $1"
    with serve(files) as e:
        r = e.request("POST", "/put", body=json.dumps({"s": evil}),
                      headers={"Content-Type": "application/json"})
        assert r.status == 200, r
        assert r.json() == {"s": evil, "b": "0001ff", "j": {"k": evil}, "d": "2020-02-03T04:05:06.007Z",
                            "a": [1, None, 3], "n": 1}
    assert pg().sql("SELECT s FROM t", name).strip() == evil


def test_errors_carry_sqlstate_and_node_postgres_fields():
    url, name = new_db()
    pg().sql("CREATE TABLE u (email text CONSTRAINT u_email_key UNIQUE)", name)
    files = dict(READY)
    files["signup.js"] = """
const { Pool } = require('pg');
const pool = new Pool({ connectionString: %s });
exports.POST = async (req, res) => {
  try {
    await pool.query('INSERT INTO u (email) VALUES ($1)', [req.json().email]);
    res.json({ ok: true }, 201);
  } catch (err) {
    if (err.code === '23505') return res.json({ taken: true, constraint: err.constraint, detail: err.detail,
                                                table: err.table, isError: err instanceof Error }, 409);
    throw err;
  }
};
exports.GET = async (req, res) => {
  try { await pool.query('SELECT nope FROM u'); } catch (err) {
    return res.json({ code: err.code, message: err.message, position: err.position, severity: err.severity });
  }
};
""" % json.dumps(url)
    with serve(files) as e:
        body = json.dumps({"email": "a@example.com"})
        h = {"Content-Type": "application/json"}
        assert e.request("POST", "/signup", body=body, headers=h).status == 201
        r = e.request("POST", "/signup", body=body, headers=h)
        assert r.status == 409, r
        assert r.json() == {"taken": True, "constraint": "u_email_key", "table": "u", "isError": True,
                            "detail": "Key (email)=(a@example.com) already exists."}
        r = e.get("/signup")
        assert r.json() == {"code": "42703", "message": 'column "nope" does not exist', "position": "8",
                            "severity": "ERROR"}


def pool_handlers(url, opts=""):
    """Handlers over one pool: /q?sql=... runs a query (errors as 503 with
    the message), /tx leaves a transaction open or aborted on release,
    /count counts rows of t."""
    files = dict(READY)
    files["_pool.js"] = """
const { Pool } = require('pg');
module.exports = new Pool(Object.assign({ connectionString: %s }, %s));
""" % (json.dumps(url), opts or "{}")
    files["q.js"] = """
const pool = require('./_pool');
exports.GET = async (req, res) => {
  try {
    const r = await pool.query(req.query.sql);
    res.json({ rows: r.rows, total: pool.totalCount });
  } catch (err) {
    res.json({ error: err.message, code: err.code }, 503);
  }
};
"""
    files["tx.js"] = """
const pool = require('./_pool');
exports.POST = async (req, res) => {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('INSERT INTO t VALUES (1)');
  if (req.query.abort) await client.query('SELECT 1/0').catch(() => {});
  client.release();               // no COMMIT: the pool must roll back
  res.json({ released: true });
};
"""
    return files


def test_a_connection_returned_inside_a_transaction_is_rolled_back():
    url, name = new_db()
    pg().sql("CREATE TABLE t (n int)", name)
    with serve(pool_handlers(url, "{ max: 1 }")) as e:
        for abort in ("", "?abort=1"):
            assert e.request("POST", "/tx" + abort).status == 200
            # the same (only) connection: not in the transaction any more
            r = q(e, "SELECT count(*)::int AS n, now() = statement_timestamp() AS fresh FROM t")
            assert r.status == 200, r
            assert r.json()["rows"] == [{"n": 0, "fresh": True}]
        assert pg().sql("SELECT count(*) FROM t", name).strip() == "0"


def test_an_exhausted_pool_fails_clearly_after_the_acquire_timeout():
    url, _ = new_db()
    with serve(pool_handlers(url, "{ max: 1, connectionTimeoutMillis: 300, maxWaiting: 1 }")) as e:
        slow = threading.Thread(target=lambda: q(e, 'SELECT pg_sleep(5)', timeout=30))
        slow.start()
        wait_until(lambda: "pg_sleep" in pg().sql("SELECT query FROM pg_stat_activity WHERE state = 'active'"),
                   timeout=30, msg="the slow query running")
        t0 = time.time()
        out = {}

        def waiter():
            out["w"] = q(e, 'SELECT 1', timeout=30)
        w = threading.Thread(target=waiter)
        w.start()
        time.sleep(0.1)
        full = q(e, 'SELECT 2', timeout=30)   # the wait queue (1) is full
        w.join()
        assert time.time() - t0 < 30                    # answered, not hung
        assert full.status == 503 and full.json()["code"] == "EPOOLFULL", full
        assert "raise max or maxWaiting" in full.json()["error"]
        assert out["w"].status == 503, out["w"]
        assert out["w"].json()["error"].startswith("timeout exceeded when trying to connect"), out["w"]
        slow.join()
        assert q(e, 'SELECT 1 AS x').json()["rows"] == [{"x": 1}]


def test_query_timeout_rejects_and_the_pool_goes_on():
    url, _ = new_db()
    with serve(pool_handlers(url, "{ max: 1, query_timeout: 300, statement_timeout: 2000 }")) as e:
        t0 = time.time()
        r = q(e, 'SELECT pg_sleep(20)', timeout=30)
        assert r.status == 503 and r.json()["error"] == "Query read timeout", r
        assert time.time() - t0 < 15
        r = q(e, 'SELECT 1 AS x')
        assert r.json() == {"rows": [{"x": 1}], "total": 1}


def test_a_request_whose_client_went_away_still_releases_its_connection():
    url, _ = new_db()
    with serve(pool_handlers(url, "{ max: 1, connectionTimeoutMillis: 30000 }")) as e:
        s = socket.create_connection(("127.0.0.1", e.port))
        s.sendall(b"GET /q?sql=SELECT%20pg_sleep(5) HTTP/1.1\r\nHost: x\r\n\r\n")
        wait_until(lambda: "pg_sleep" in pg().sql("SELECT query FROM pg_stat_activity WHERE state = 'active'"),
                   timeout=30, msg="the slow query running")
        s.close()                          # the client goes away mid-query
        r = q(e, 'SELECT 2 AS x', timeout=30)
        assert r.status == 200 and r.json()["rows"] == [{"x": 2}], r


def test_broken_idle_connections_are_replaced():
    url, name = new_db()
    with serve(pool_handlers(url, "{ max: 2 }")) as e:
        assert q(e, 'SELECT 1').status == 200
        killed = pg().sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE datname = '%s' AND pid <> pg_backend_pid()" % name)
        assert int(killed) >= 1
        time.sleep(0.2)
        for _ in range(3):
            r = q(e, 'SELECT 3 AS x')
            assert r.status == 200 and r.json()["rows"] == [{"x": 3}], r


def count_backends(server, name):
    try:
        return int(server.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'" % name))
    except AssertionError:
        return 0


@pytest.mark.timeout(180)
def test_postgres_killed_mid_query_gives_5xx_and_the_pool_recovers():
    with Postgres() as server:
        url, name = new_db(server)
        files = pool_handlers(url, "{ max: 3 }")
        files["plain.js"] = """
const pool = require('./_pool');
exports.GET = async (req, res) => {           // no catch: as most handlers are written
  const { rows } = await pool.query('SELECT pg_sleep($1::float8), 7 AS x', [req.query.s || 0]);
  res.json(rows[0]);
};
"""
        with serve(files, workers=2) as e:
            assert e.get("/plain").json() == {"pg_sleep": "", "x": 7}
            workers = sorted(e.wait_workers(2))
            out = {}

            def slow(k, path):
                out[k] = e.get(path, timeout=60)
            ts = [threading.Thread(target=slow, args=(k, p)) for k, p in
                  (("plain", "/plain?s=60"), ("caught", "/q?sql=SELECT%20pg_sleep(60)"))]
            for t in ts:
                t.start()
            wait_until(lambda: server.sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                                          "'%pg_sleep%' AND state = 'active' AND pid <> pg_backend_pid()").strip() == "2",
                       timeout=30, msg="both queries running")
            server.kill()
            for t in ts:
                t.join()
            assert out["plain"].status == 500, out["plain"]      # the handler's error, not a 504
            assert out["caught"].status == 503, out["caught"]
            msg = out["caught"].json()["error"]
            assert "terminated" in msg or "closed the connection" in msg, msg
            # while it is down: fast, clear failures, not hangs
            r = q(e, 'SELECT 1', timeout=30)
            assert r.status == 503 and r.json()["error"], r
            server.start()
            # back: the pool reconnects by itself (after its back-off)
            wait_until(lambda: q(e, 'SELECT 1 AS x').status == 200, timeout=30,
                       msg="queries succeed again")
            assert sorted(e.worker_pids()) == workers, e.diagnostics()   # no worker died
            # a connect storm after the restart stays within max per worker
            peak = [0]
            stop = threading.Event()

            def sample():
                while not stop.is_set():
                    peak[0] = max(peak[0], count_backends(server, name))
                    time.sleep(0.02)
            sampler = threading.Thread(target=sample)
            sampler.start()
            storm = [threading.Thread(target=lambda: e.get("/plain?s=0.3", timeout=60)) for _ in range(40)]
            for t in storm:
                t.start()
            for t in storm:
                t.join()
            stop.set()
            sampler.join()
            assert 1 <= peak[0] <= 3 * 2, peak[0]


def test_named_database_from_eider_conf():
    url, name = new_db()
    files = dict(READY)
    files["who.js"] = """
const { Pool } = require('pg');
const pool = new Pool({ name: 'main' });
const dflt = new Pool();                      // pg_database default
exports.GET = async (req, res) => {
  const a = await pool.query('SELECT current_database() AS db');
  const b = await dflt.query('SELECT 1 AS one');
  res.json({ db: a.rows[0].db, one: b.rows[0].one, max: pool.options.max, env: Object.keys(process.env) });
};
"""
    files["nope.js"] = """
const { Pool } = require('pg');
exports.GET = (req, res) => {
  try { new Pool({ name: 'nope' }); } catch (e) { return res.json({ error: e.message }, 500); }
};
"""
    conf = 'pg_database main "%s" max=3;\npg_database default %s;\n' % (url, url)
    with serve(files, conf=conf) as e:
        assert e.get("/who").json() == {"db": name, "one": 1, "max": 3, "env": []}
        r = e.get("/nope")
        assert 'no database named "nope"' in r.json()["error"] and "pg_database nope" in r.json()["error"]


def test_bad_pg_database_names_its_line():
    conf, root = handlers_tree({"h/index.js": "module.exports = (q, s) => s.end();\n"})
    with open(conf, "a") as f:
        f.write('\n\npg_database main "host=localhost port";\n')
    r = run_eider(["-t", "-c", conf])
    rc, err = r.returncode, r.stderr
    assert rc != 0
    assert "eider.conf:4:" in err and "invalid connection string" in err and "postgresql://" in err, err
    conf2, _ = handlers_tree({"h/index.js": "module.exports = (q, s) => s.end();\n"})
    with open(conf2, "a") as f:
        f.write('pg_database main "host=x";\npg_database main "host=y";\n')
    r = run_eider(["-t", "-c", conf2])
    assert r.returncode != 0 and "eider.conf:3:" in r.stderr and "declared twice" in r.stderr, r.stderr
    conf3, _ = handlers_tree({"h/index.js": "module.exports = (q, s) => s.end();\n"})
    with open(conf3, "a") as f:
        f.write('pg_database main host=x port=5;\n')
    r = run_eider(["-t", "-c", conf3])
    assert r.returncode != 0 and "eider.conf:2:" in r.stderr and "expected max=N" in r.stderr, r.stderr


def test_notes_example_crud():
    url, name = new_db()
    with open(os.path.join(srcdir(), "conf", "notes.sql")) as f:
        pg().sql(f.read(), name)
    root = os.path.join(srcdir(), "handlers")
    e = Eider(root, extra_conf="pg_database default %s max=2;" % url)
    with e:
        h = {"Content-Type": "application/json"}
        r = e.request("POST", "/notes", body=json.dumps({"title": "first", "body": "hello"}), headers=h)
        assert r.status == 201, r
        note = r.json()
        assert r.headers["location"] == "/notes/%d" % note["id"]
        assert e.get("/notes/%d" % note["id"]).json() == note
        r = e.request("PUT", "/notes/%d" % note["id"], body=json.dumps({"title": "changed"}), headers=h)
        assert r.status == 200 and r.json()["title"] == "changed" and r.json()["body"] == ""
        assert [n["title"] for n in e.get("/notes").json()] == ["changed"]
        r = e.request("POST", "/notes", body=json.dumps({"title": ""}), headers=h)
        assert r.status == 422 and "notes_title_check" in r.json()["error"], r
        assert e.request("DELETE", "/notes/%d" % note["id"]).status == 204
        assert e.get("/notes/%d" % note["id"]).status == 404
        assert e.get("/notes/x1").status == 404


def test_notes_example_without_a_database_says_how():
    e = Eider(os.path.join(srcdir(), "handlers"))
    with e:
        r = e.get("/notes/1")
        assert r.status == 503
        assert "pg_database default" in r.json()["error"] and "conf/notes.sql" in r.json()["error"]


def test_eider_run_script_exits_after_pool_end():
    url, _ = new_db()
    d = mkdtemp()
    script = os.path.join(d, "s.js")
    with open(script, "w") as f:
        f.write("""
const { Pool, Client } = require('pg');
const pool = new Pool({ connectionString: process.argv[2] });
(async () => {
  const r = await pool.query('SELECT $1::int + 1 AS n', [41]);
  const c = new Client(process.argv[2]);
  await c.connect();
  const multi = await c.query('SELECT 1 AS a; SELECT 2 AS b');
  await c.end();
  console.log(JSON.stringify({ n: r.rows[0].n, multi: multi.map((m) => m.rows) }));
  await pool.end();
})();
""")
    t0 = time.time()
    r = run_eider(["run", script, url], timeout=60)
    rc, out, err = r.returncode, r.stdout, r.stderr
    assert rc == 0, err
    assert json.loads(out.strip()) == {"n": 42, "multi": [[{"a": 1}], [{"b": 2}]]}
    assert time.time() - t0 < 30     # the loop ended: no connection kept it alive


def test_client_end_rejects_the_query_in_flight_and_those_queued():
    url, _ = new_db()
    d = mkdtemp()
    script = os.path.join(d, "s.js")
    with open(script, "w") as f:
        f.write("""
const { Client } = require('pg');
const c = new Client({ connectionString: process.argv[2] });
c.connect().then(() => {
  const out = [];
  const note = (what) => (v) => out.push(what + ': ' + (v instanceof Error ? v.message : 'ok'));
  const a = c.query('SELECT pg_sleep(120)').then(note('running'), note('running'));
  const b = c.query('SELECT 1').then(note('queued'), note('queued'));
  setTimeout(() => c.end(), 200);
  Promise.all([a, b]).then(() => console.log(JSON.stringify(out)));
});
""")
    # within 45 s, long before the query would end: end() gave it up
    r = run_eider(["run", script, url], timeout=45)
    assert r.returncode == 0, r.stderr
    assert sorted(json.loads(r.stdout.strip())) == [
        "queued: Client was closed and is not queryable", "running: Connection terminated"], r.stdout
