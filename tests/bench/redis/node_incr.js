'use strict';
// Node.js side of tests/bench/redis.py: GET /incr does INCR of one key
// with node-redis v4 (npm "redis", installed by the script from
// package-lock.json) and answers {"n": N}. A cluster primary forks one
// worker per core, each with its own client, like eider's workers.
// Usage: node node_incr.js PORT REDIS_URL
const http = require('http');
const os = require('os');
const cluster = require('cluster');
const { createClient } = require('redis');

const port = parseInt(process.argv[2], 10);
const url = process.argv[3];

if (cluster.isPrimary) {
  for (let i = 0; i < os.cpus().length; i++) cluster.fork();
} else {
  const client = createClient({ url });
  client.on('error', (err) => console.error(err.message));
  client.connect().catch(() => {});
  http.createServer(async (req, res) => {
    if (req.url !== '/incr') {
      res.writeHead(404, { 'Content-Length': 0 });
      return res.end();
    }
    try {
      const body = JSON.stringify({ n: await client.incr('bench:incr') });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    } catch (e) {
      res.writeHead(503, { 'Content-Length': 0 });
      res.end();
    }
  }).listen(port, '127.0.0.1');
}
