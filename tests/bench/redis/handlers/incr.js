// GET /incr for tests/bench/redis.py: INCR of one key, answered as JSON,
// written as a node-redis user writes it (the same body as node_incr.js).
const { createClient } = require('redis');
const client = createClient();          // redis_url of the bench's eider.conf
client.on('error', (err) => console.error(err.message));
client.connect().catch(() => {});

module.exports = async (req, res) => {
    res.json({ n: await client.incr('bench:incr') });
};
