'use strict';
// Node.js reference server for tests/bench/run.
// Usage: node hello.js PORT [--cluster]
//   --cluster: a cluster primary forking os.cpus().length workers (Node's
//   default scheduling policy, round-robin on Linux).
// Endpoints are listed in `routes`, one per benchmark scenario.
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

const routes = {
  '/hello': function (req, res, path) { sendJson(res, {hello: 'world', path: path}); },
};

function onRequest(req, res) {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const route = routes[path];
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
