// GET /ratelimit : a fixed-window rate limit per client address, counted
// in a shared dictionary so that every worker sees the same counts
// (shared_dict in eider.conf(5); conf/eider.conf declares this one):
//
//     shared_dict ratelimit 1m;
//
// Each address may make LIMIT requests per window; the window opens with
// its first request (the counter is created with a TTL of WINDOW_MS) and
// the next one answers 429 with Retry-After until it closes. incr() is one
// atomic step across workers, so concurrent requests never both take the
// last slot. When the dictionary is full, set()/incr() evict the least
// recently used counters: size it for the addresses of one window
// (about 200 bytes each).
var shared = require('eider').shared;

var LIMIT = 10;
var WINDOW_MS = 60 * 1000;

module.exports = function (req, res) {
    var dict = shared.ratelimit;
    if (!dict) {
        return res.json({ error: 'no shared dictionary "ratelimit": add "shared_dict ratelimit 1m;" ' +
                                 'to eider.conf and reload' }, 503);
    }
    var key = 'rl:' + req.ip;
    var count = dict.incr(key, 1, 0, WINDOW_MS);
    var left = dict.ttl(key);
    var reset = Math.ceil((left > 0 ? left : WINDOW_MS) / 1000);
    res.setHeader('RateLimit-Limit', String(LIMIT));
    res.setHeader('RateLimit-Remaining', String(Math.max(LIMIT - count, 0)));
    res.setHeader('RateLimit-Reset', String(reset));
    if (count > LIMIT) {
        res.setHeader('Retry-After', String(reset));
        return res.json({ error: 'too many requests', retryAfterSeconds: reset }, 429);
    }
    res.json({ ok: true, count: count, limit: LIMIT });
};
