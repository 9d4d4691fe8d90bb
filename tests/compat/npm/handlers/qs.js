// qs: nested query strings both ways, arrays, depth and options.
// @request GET /qs?user[name]=ada&user[langs][]=en&user[langs][]=fr&a[0]=x&a[1]=y&flag&n=1
var qs = require('qs');
module.exports = function (req, res) {
    var parsed = qs.parse(req.url.split('?')[1]);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        parsed: parsed,
        str: qs.stringify({ a: { b: [1, 2], c: 'd e' }, f: null }),
        indices: qs.stringify({ a: ['x', 'y'] }, { arrayFormat: 'brackets', encode: false }),
        comma: qs.parse('a=1,2,3', { comma: true }), dots: qs.parse('a.b.c=1', { allowDots: true }),
        prefix: qs.parse('?x=1', { ignoreQueryPrefix: true }), depth: qs.parse('a[b][c][d][e][f][g]=1', { depth: 2 })
    }));
};
