// GET /frag?min=A&max=B&n=N&seed=S&prefix=P: N set()s of values sized
// uniformly in [A, B] under keys P0..P(N-1); answers how full the zone is:
// live entries, their key+value bytes against the capacity, free space.
var d = require('eider').shared.frag;
module.exports = function (req, res) {
    var min = Number(req.query.min), max = Number(req.query.max), n = Number(req.query.n);
    var seed = Number(req.query.seed) || 1, prefix = req.query.prefix || 'k';
    var pad = new Array(max + 2).join('v');
    for (var i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        d.set(prefix + i, pad.slice(0, min + seed % (max - min + 1)));
    }
    var keys = d.keys(0), payload = 0;
    for (var k = 0; k < keys.length; k++) payload += keys[k].length + d.get(keys[k]).length;
    res.json({ entries: keys.length, payload: payload, capacity: d.capacity, freeSpace: d.freeSpace() });
};
