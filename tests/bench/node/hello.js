'use strict';
// Node.js reference server for tests/bench/run.
// Usage: node hello.js PORT [--cluster]
//   --cluster: a cluster primary forking os.cpus().length workers (Node's
//   default scheduling policy, round-robin on Linux).
// Endpoints are listed in `routes`, one per benchmark scenario.
// BENCH_UPSTREAM (environment): URL that GET /fetch fetches and answers.
// BENCH_PG (environment): PostgreSQL URL of GET /notes/ID, a primary-key
// SELECT through `pg` from npm (tests/bench/node/package.json; tests/bench/run
// installs it and puts it on NODE_PATH).
const http = require('http');
const os = require('os');
const cluster = require('cluster');

const port = parseInt(process.argv[2], 10) || 8081;
const host = '127.0.0.1';
const useCluster = process.argv.includes('--cluster');

function sendJson(res, value, status) {
  const body = JSON.stringify(value);
  res.writeHead(status || 200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

// Keep-alive pool to the upstream of /fetch (one per process; each cluster
// worker has its own, like each eider worker).
const upstream = process.env.BENCH_UPSTREAM || '';
const agent = new http.Agent({keepAlive: true, maxSockets: 4096, maxFreeSockets: 4096});

function methodNotAllowed(res, allow) {
  res.writeHead(405, {'Allow': allow, 'Content-Length': 0});
  res.end();
}

const routes = {
  '/hello': function (req, res, path) { sendJson(res, {hello: 'world', path: path}); },

  // POST a JSON object; answer its number of keys and its first value.
  '/echo-json': function (req, res) {
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        return sendJson(res, {error: 'request body is not valid JSON'}, 400);
      }
      const keys = (body !== null && typeof body === 'object') ? Object.keys(body) : [];
      sendJson(res, {n: keys.length, first: keys.length ? body[keys[0]] : null});
    });
  },

  // GET the upstream and answer its body.
  '/fetch': function (req, res) {
    if (!upstream) return sendJson(res, {error: 'BENCH_UPSTREAM is not set'}, 503);
    http.get(upstream, {agent: agent}, (up) => {
      const chunks = [];
      up.on('data', (c) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': body.length});
        res.end(body);
      });
    }).on('error', (e) => sendJson(res, {error: String(e)}, 502));
  },
};

// One pool per process (each cluster worker has its own, like each eider
// worker), made on first use so that the other scenarios never load pg.
let pool = null;

// GET /notes/ID: the note as JSON, 404 if none; the handler is written as
// tests/bench/handlers/notes/[id].js is.
async function note(req, res, path) {
  if (!process.env.BENCH_PG) return sendJson(res, {error: 'BENCH_PG is not set'}, 503);
  if (!pool) {
    const { Pool } = require('pg');
    pool = new Pool({connectionString: process.env.BENCH_PG});
  }
  const id = path.slice('/notes/'.length);
  if (!/^[1-9][0-9]{0,8}$/.test(id)) return sendJson(res, {error: 'no such note'}, 404);
  try {
    const { rows } = await pool.query('SELECT id, title, body FROM notes WHERE id = $1', [Number(id)]);
    if (rows.length === 0) return sendJson(res, {error: 'no such note'}, 404);
    sendJson(res, rows[0]);
  } catch (err) {
    sendJson(res, {error: 'database unavailable: ' + err.message}, 503);
  }
}

// The realistic scenarios run eider's handler files themselves: the
// module's exports[METHOD] (or the module, if a function) is called with
// the body already read, as eider calls it, and with the two eider
// helpers they use, req.json() and res.json(value[, status]).
function eiderHandler(file) {
  const mod = require(file);
  return function (req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      req.json = () => (body === '' ? null : JSON.parse(body));
      res.json = (value, status) => sendJson(res, value, status);
      const fn = typeof mod === 'function' ? mod : mod[req.method];
      if (!fn) return methodNotAllowed(res, Object.keys(mod).join(', '));
      fn(req, res);
    });
  };
}
const path = require('path');
const BENCH_HANDLERS = path.join(__dirname, '..', 'handlers');
routes['/jwt/verify'] = eiderHandler(path.join(__dirname, '..', '..', '..', 'handlers', 'jwt', 'verify.js'));
routes['/validate'] = eiderHandler(path.join(BENCH_HANDLERS, 'validate.js'));
routes['/page'] = eiderHandler(path.join(BENCH_HANDLERS, 'page.js'));
const routeRest = eiderHandler(path.join(BENCH_HANDLERS, 'route', '[...rest].js'));

function onRequest(req, res) {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const route = path.startsWith('/notes/') ? note
    : routes[path] || (path.startsWith('/route/') ? routeRest : undefined);
  if (!route) { res.writeHead(404, {'Content-Length': 0}); res.end(); return; }
  route(req, res, path);
}

if (useCluster && cluster.isPrimary) {
  const n = os.cpus().length;
  for (let i = 0; i < n; i++) cluster.fork();
  cluster.on('exit', (w, code, sig) => {
    console.error(`worker ${w.process.pid} exited (${sig || code})`);
  });
  const stop = () => {
    for (const id in cluster.workers) cluster.workers[id].process.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  http.createServer(onRequest).listen(port, host);
}
