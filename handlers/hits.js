// GET /hits : a hit counter in Redis, written as with node-redis v4
// (require('redis') is built into eider; man eider-handlers, "Redis").
// The server comes from eider.conf, so no address or password is in the
// code (redis_url in eider.conf(5); conf/eider.conf has it commented out):
//
//     redis_url redis://127.0.0.1:6379;
//
// Each worker has one client and one connection, opened when the worker
// loads this file; INCR is atomic in Redis, so the count is exact across
// workers and machines. Without redis_url the endpoint says how to set it;
// with Redis down it answers 503 (the client reconnects by itself).
const { createClient, configuredUrl } = require('redis');

const KEY = 'eider:hits';
let client = null;

if (configuredUrl) {
    let down = false;   // log an outage once, not every reconnect attempt
    client = createClient();
    client.on('error', (err) => {
        if (!down) console.error('hits: ' + err.message);
        down = true;
    });
    client.on('ready', () => { down = false; });
    client.connect().catch(() => {});   // 'error' said it; it keeps reconnecting
}

module.exports = async (req, res) => {
    if (!client) {
        return res.json({ error: 'no Redis server: add "redis_url redis://127.0.0.1:6379;" ' +
                                 'to eider.conf and reload' }, 503);
    }
    const hits = await client.incr(KEY);
    res.json({ hits });
};
