// tests/bench scenario "fetch": GET /fetch fetches the upstream that
// tests/bench/run starts (its URL in BENCH_UPSTREAM, passed through the
// config's "env BENCH_UPSTREAM;") and answers its body.
var UPSTREAM_URL = process.env.BENCH_UPSTREAM;

module.exports = function (req, res) {
    if (!UPSTREAM_URL) {
        res.statusCode = 503;
        res.end('BENCH_UPSTREAM is not set\n');
        return;
    }
    return fetch(UPSTREAM_URL).then(function (r) {
        return r.text();
    }).then(function (t) {
        res.setHeader('Content-Type', 'application/json');
        res.end(t);
    });
};
