"""Host names of fetch, require('redis') and require('pg') are looked up
without blocking the worker (framework/resolve.c, issue 15's loose end):
hiredis and libpq would call getaddrinfo() on the event loop, so a slow or
dead DNS server stalled every request of the worker for seconds per
connect. A DNS server of the test's own (dnslib.py) answers, refuses, or
never answers, named by the `resolver` directive; the real redis-server and
PostgreSQL are reached through the names it answers. One test points the
system's /etc/resolv.conf (in a mount namespace of eider's own) at a dead
server, as a user's broken DNS would: that is the stall the old code had."""
import os
import shutil
import signal
import socket
import subprocess
import urllib.parse

import pytest

import eiderlib
from dnslib import DNS
from eiderlib import Eider, handlers_tree, json_upstream, mkdtemp, run_eider, wait_until, write_tree
from pglib import SharedPostgres
from redislib import REDIS_SERVER, Redis

needs_redis = pytest.mark.skipif(REDIS_SERVER is None,
                                 reason="redis-server not installed (apt-get install redis-server)")

READY = {"ready.js": "module.exports = (req, res) => res.json({ ok: true });\n"}

# One Redis client per worker: op=start makes it connect (and sends SET at
# once when v is given, before the name is even resolved); any other op
# says how far it got.
REDIS_JS = r"""
const { createClient } = require('redis');
let client = null, state = 'idle', errors = [], stored = null;
module.exports = (req, res) => {
    const q = req.query;
    if (q.op === 'start') {
        state = 'pending';
        errors = [];
        client = createClient({ url: q.url, socket: { connectTimeout: Number(q.timeout || 20000),
                                                       reconnectStrategy: q.retry ? 100 : false } });
        client.on('error', (e) => errors.push(e.message));
        client.connect().then(() => { state = 'connected'; }, (e) => { state = 'failed: ' + e.message; });
        if (q.v) client.set('dns-k', q.v).then(() => client.get('dns-k'))
            .then((v) => { stored = v; }, (e) => { stored = 'error: ' + e.message; });
        return res.json({ state });
    }
    res.json({ state, errors, stored });
};
"""

# One pg Client per worker, the same way: op=start connects with
# connection string q.conn (or options host and port) and runs a query
# once connected.
PG_JS = r"""
const { Client } = require('pg');
let state = 'idle';
module.exports = (req, res) => {
    const q = req.query;
    if (q.op === 'start') {
        state = 'pending';
        const client = new Client(q.host
            ? { host: q.host, port: Number(q.port), user: 'postgres', database: 'postgres',
                connectionTimeoutMillis: Number(q.timeout || 20000) }
            : { connectionString: q.conn, connectionTimeoutMillis: Number(q.timeout || 20000) });
        client.connect()
            .then(() => client.query('SELECT 40 + 2 AS n'))
            .then((r) => { state = 'connected ' + r.rows[0].n; return client.end(); },
                  (e) => { state = 'failed: ' + e.message; });
        return res.json({ state });
    }
    res.json({ state });
};
"""

FETCH_JS = r"""
module.exports = async (req, res) => {
    try {
        const r = await fetch(req.query.url);
        res.json({ status: r.status, body: await r.json() });
    } catch (e) {
        res.json({ error: e.message });
    }
};
"""

_server = SharedPostgres()
pg = _server.get   # the module's PostgreSQL server, started on first use


@pytest.fixture(autouse=True, scope="module")
def _stop_postgres():
    yield
    _server.close()


@pytest.fixture(scope="module")
def redis():
    if REDIS_SERVER is None:
        pytest.skip("redis-server not installed")
    r = Redis().start()
    yield r
    r.stop()


def serve(dns=None, conf=""):
    """One worker serving /redis, /pg and /fetch, asking DNS's server."""
    root = mkdtemp()
    write_tree(root, dict(READY, **{"redis.js": REDIS_JS, "pg.js": PG_JS, "fetch.js": FETCH_JS}))
    if dns is not None:
        conf = "resolver %s;\n%s" % (dns.address, conf)
    return Eider(root, extra_conf=conf, workers=1, ready_path="/ready")


def start(e, what, **q):
    r = e.get("/%s?op=start&%s" % (what, urllib.parse.urlencode(q)), timeout=30)
    assert r.status == 200 and r.json()["state"] == "pending", r
    return r


def state(e, what, timeout=30):
    """The state of the worker's client. A worker stuck in a blocking
    lookup answers this only once the lookup returns."""
    r = e.get("/%s?op=state" % what, timeout=timeout)
    assert r.status == 200, r
    return r.json()


def wait_state(e, what, prefix, timeout=30):
    return wait_until(lambda: (lambda s: s if s["state"].startswith(prefix) else None)(state(e, what)),
                      timeout, msg="%s state %r" % (what, prefix))


def wait_asked(dns, name, count=1, timeout=30):
    wait_until(lambda: dns.names_asked().count(name) >= count, timeout,
               msg="%d queries for %s at the test's DNS server (saw %s)" % (count, name, dns.names_asked()))


# ----------------------------------------------------------------- fetch

def test_fetch_asks_the_resolver_directives_nameserver():
    with DNS({"up.eider-test": "127.0.0.1"}) as dns, json_upstream(b'{"from": "upstream"}') as up:
        with serve(dns) as e:
            r = e.get("/fetch?url=" + urllib.parse.quote("http://up.eider-test:%d/x" % up))
            assert r.json() == {"status": 200, "body": {"from": "upstream"}}, r
            r = e.get("/fetch?url=" + urllib.parse.quote("http://nosuch.eider-test:%d/" % up))
            assert "DNS lookup failed for nosuch.eider-test" in r.json()["error"], r
        assert "up.eider-test" in dns.names_asked()


def test_worker_stopped_in_the_middle_of_a_lookup_frees_it():
    # A fetch waits for a nameserver that never answers when the worker
    # stops (INT: at once): the lookup is cancelled, and what evdns holds
    # for it is freed at teardown (LeakSanitizer reported it in the
    # sanitizer build).
    with DNS(silent=True) as dns:
        e = serve(dns)
        e.start()
        try:
            s = socket.create_connection(("127.0.0.1", e.port), timeout=10)
            s.sendall(b"GET /fetch?url=http%3A%2F%2Fslow.eider-test%2F HTTP/1.1\r\nHost: x\r\n\r\n")
            wait_asked(dns, "slow.eider-test")
            os.kill(e.pid, signal.SIGINT)   # fast: no draining of the waiting fetch
            rc = e.proc.wait(30)
            s.close()
            out = e.output()
        finally:
            e.cleanup()
        assert rc == 0, "master exit status %s\n%s" % (rc, out[-3000:])
        assert "LeakSanitizer" not in out and "AddressSanitizer" not in out, out[-3000:]


# ----------------------------------------------------------------- Redis

@needs_redis
def test_redis_name_from_dns_connects_and_commands_sent_before_wait_for_it(redis):
    with DNS({"cache.eider-test": "127.0.0.1"}) as dns, serve(dns) as e:
        start(e, "redis", url="redis://cache.eider-test:%d" % redis.port, v="via-dns")
        s = wait_state(e, "redis", "connected")
        wait_until(lambda: state(e, "redis")["stored"] is not None, 30, msg="SET and GET answered")
        assert state(e, "redis")["stored"] == "via-dns"
        assert redis.cmd("GET", "dns-k") == b"via-dns"
        assert "cache.eider-test" in dns.names_asked(), dns.names_asked()
        assert s["errors"] == [], s


@needs_redis
def test_redis_localhost_needs_no_dns(redis):
    with DNS(silent=True) as dns, serve(dns) as e:
        start(e, "redis", url="redis://localhost:%d" % redis.port, v="local")
        wait_state(e, "redis", "connected")
        wait_until(lambda: state(e, "redis")["stored"] == "local", 30, msg="SET and GET answered")
        assert dns.names_asked() == []


@needs_redis
def test_redis_unanswered_name_leaves_the_worker_answering(redis):
    with DNS(silent=True) as dns, serve(dns) as e:
        start(e, "redis", url="redis://cache.eider-test:%d" % redis.port, v="never", timeout=15000)
        wait_asked(dns, "cache.eider-test")
        # The lookup is under way and unanswered: the same worker answers.
        s = state(e, "redis")
        assert s["state"] == "pending" and s["stored"] is None, s
        assert e.get("/ready", timeout=30).status == 200
        # connectTimeout bounds the lookup, and the SET waiting for it fails
        # with the connection (the one timer, armed for the connect deadline,
        # may find the SET's redis_timeout passed too and say that).
        s = wait_state(e, "redis", "failed", timeout=60)
        why = ("Redis cache.eider-test:%d: not connected within the connect timeout" % redis.port,
               "Redis cache.eider-test:%d: no reply within 5000 ms" % redis.port)
        assert any(w in s["state"] for w in why), s
        wait_until(lambda: state(e, "redis")["stored"] is not None, 30, msg="the SET failed")
        assert any(w in state(e, "redis")["stored"] for w in why), state(e, "redis")


@needs_redis
def test_redis_name_that_does_not_resolve_fails_like_a_refused_connect(redis):
    with DNS({}) as dns, serve(dns) as e:
        start(e, "redis", url="redis://nosuch.eider-test:%d" % redis.port, retry="1")
        s = wait_state(e, "redis", "failed")
        want = "Redis nosuch.eider-test:%d: DNS lookup failed" % redis.port
        assert want in s["state"], s
        # The client reconnects with its back-off, looking the name up again.
        wait_asked(dns, "nosuch.eider-test", count=3)
        assert all(want in m for m in state(e, "redis")["errors"]), state(e, "redis")
        assert e.get("/ready").status == 200


# ------------------------------------------------------------ PostgreSQL

def test_pg_name_from_dns_connects():
    server = pg()
    with DNS({"db.eider-test": "127.0.0.1"}) as dns, serve(dns) as e:
        for conn in ("postgresql://postgres@db.eider-test:%d/postgres" % server.port,
                     "host=db.eider-test port=%d user=postgres dbname=postgres" % server.port):
            start(e, "pg", conn=conn)
            assert wait_state(e, "pg", "connected")["state"] == "connected 42", conn
        start(e, "pg", host="db.eider-test", port=server.port)
        assert wait_state(e, "pg", "connected")["state"] == "connected 42"
        assert dns.names_asked().count("db.eider-test") >= 3, dns.names_asked()


def test_pg_name_with_several_addresses_tries_each():
    # PostgreSQL listens on 127.0.0.1 only: the first address, 127.0.0.2,
    # refuses, and libpq goes on to the next as it would with a name.
    server = pg()
    with DNS({"db.eider-test": ["127.0.0.2", "127.0.0.1"]}) as dns, serve(dns) as e:
        start(e, "pg", conn="postgresql://postgres@db.eider-test:%d/postgres" % server.port)
        assert wait_state(e, "pg", "connected")["state"] == "connected 42"
    # Every address refuses: the connect fails at once with libpq's word
    # for each (it used to wait for its timeout, as libpq's next socket
    # often has the number of the one it closed: pg_conn.c's arm()). A
    # host list given as addresses goes to libpq as it is, and fails alike.
    with DNS({"db.eider-test": ["127.0.0.2", "127.0.0.3"]}) as dns, serve(dns) as e:
        for conn in ("postgresql://postgres@db.eider-test:%d/postgres" % server.port,
                     "host=127.0.0.2,127.0.0.3 port=%d user=postgres dbname=postgres" % server.port):
            start(e, "pg", conn=conn, timeout=600000)
            s = wait_state(e, "pg", "failed", timeout=60)["state"]
            assert "127.0.0.2" in s and "127.0.0.3" in s and "refused" in s, (conn, s)


def test_pg_localhost_and_unix_socket_need_no_dns():
    server = pg()
    with DNS(silent=True) as dns, serve(dns) as e:
        for conn in ("postgresql://postgres@localhost:%d/postgres" % server.port,
                     "host=%s port=%d user=postgres dbname=postgres" % (server.sockdir, server.port),
                     "host=nosuch.eider-test hostaddr=127.0.0.1 port=%d user=postgres dbname=postgres"
                     % server.port):
            start(e, "pg", conn=conn)
            assert wait_state(e, "pg", "connected")["state"] == "connected 42", conn
        assert dns.names_asked() == []


def test_pg_unanswered_name_leaves_the_worker_answering():
    server = pg()
    with DNS(silent=True) as dns, serve(dns) as e:
        start(e, "pg", conn="postgresql://postgres@db.eider-test:%d/postgres" % server.port, timeout=15000)
        wait_asked(dns, "db.eider-test")
        assert state(e, "pg")["state"] == "pending"
        assert e.get("/ready", timeout=30).status == 200
        s = wait_state(e, "pg", "failed", timeout=60)
        assert "timeout expired while connecting" in s["state"], s


def test_pg_name_that_does_not_resolve_names_the_host():
    server = pg()
    with DNS({}) as dns, serve(dns) as e:
        start(e, "pg", conn="postgresql://postgres@nosuch.eider-test:%d/postgres" % server.port)
        s = wait_state(e, "pg", "failed")
        assert 'could not translate host name "nosuch.eider-test" to address' in s["state"], s


# ------------------------------------------- the system's resolv.conf

def _can_bind_mount():
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind /etc/hostname /etc/resolv.conf"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


@needs_redis
@pytest.mark.skipif(not _can_bind_mount(),
                    reason="needs root and mount namespaces (unshare -m) to give eider its own resolv.conf")
def test_dead_nameserver_of_resolv_conf_stalls_nothing(redis, monkeypatch):
    # eider in a mount namespace of its own where /etc/resolv.conf names a
    # nameserver (port 53, as resolv.conf allows no other) that never
    # answers, with the longest timeouts glibc takes: getaddrinfo() on the
    # loop (the old code) held the worker for minutes; now only the
    # connect waits.
    server = pg()
    with DNS(silent=True, host="127.53.%d.%d" % (os.getpid() % 250 + 1, 53), port=53) as dns:
        d = mkdtemp()
        resolv = os.path.join(d, "resolv.conf")
        with open(resolv, "w") as f:
            f.write("nameserver %s\noptions timeout:30 attempts:5\n" % dns.host)
        wrapper = os.path.join(d, "eider-ns")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\nexec unshare -m sh -c \'mount --bind "$0" /etc/resolv.conf && exec "$@"\' '
                    '%s %s "$@"\n' % (resolv, eiderlib.require_bin()))
        os.chmod(wrapper, 0o755)
        monkeypatch.setattr(eiderlib, "require_bin", lambda: wrapper)
        with serve() as e:
            start(e, "redis", url="redis://cache.eider-test:%d" % redis.port, timeout=20000)
            start(e, "pg", conn="postgresql://postgres@db.eider-test:%d/postgres" % server.port,
                  timeout=20000)
            wait_asked(dns, "cache.eider-test")
            wait_asked(dns, "db.eider-test")
            assert state(e, "redis")["state"] == "pending"
            assert state(e, "pg")["state"] == "pending"
            assert e.get("/ready", timeout=30).status == 200


# ------------------------------------------------------------ the directive

def test_resolver_directive_errors_name_the_line():
    conf, _ = handlers_tree({"h/index.js": "module.exports = (req, res) => res.json({});\n"})
    with open(conf, "a") as f:
        f.write("resolver 127.0.0.1:5353 [::1]:53 10.0.0.2;\nresolver dns.example;\n")
    r = run_eider(["-t", "-c", conf])
    assert r.returncode != 0, r
    assert "%s:3" % conf in r.stderr and "expected nameserver IP addresses" in r.stderr, r.stderr
