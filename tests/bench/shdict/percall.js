// GET /percall?kind=K&n=N: N calls in one request; answers the JS time per call in ns.
var d = require('eider').shared.bench;
var obj = {};
var kinds = {
    'shared.incr': function (i) { d.incr('n' + (i & 1023), 1, 0); },
    'shared.get': function (i) { d.get('n' + (i & 1023)); },
    'shared.set': function (i) { d.set('s' + (i & 1023), 'value'); },
    'object.incr': function (i) { var k = 'k' + (i & 1023); obj[k] = (obj[k] || 0) + 1; },
    'object.get': function (i) { return obj['k' + (i & 1023)]; },
    'loop only': function (i) { return 'k' + (i & 1023); },
};
module.exports = function (req, res) {
    var f = kinds[req.query.kind], n = Number(req.query.n) || 100000;
    if (!f) return res.json({ kinds: Object.keys(kinds) }, 404);
    var t0 = process.hrtime();
    for (var i = 0; i < n; i++) f(i);
    var t = process.hrtime(t0);
    res.json({ kind: req.query.kind, n: n, nsPerCall: (t[0] * 1e9 + t[1]) / n });
};
