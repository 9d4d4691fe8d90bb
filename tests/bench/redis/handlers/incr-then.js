// GET /incr-then for tests/bench/redis.py: the same as incr.js with a
// .then() instead of async/await, which eider runs without lowering (the
// lowered async function is most of incr.js's cost per request).
var client = require('redis').createClient();
client.on('error', function (err) { console.error(err.message); });
client.connect().catch(function () {});

module.exports = function (req, res) {
    return client.incr('bench:incr').then(function (n) { res.json({ n: n }); });
};
