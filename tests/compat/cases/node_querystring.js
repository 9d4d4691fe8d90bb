// require('querystring'): parse (repeated keys, + and escapes, custom
// separators, maxKeys), stringify (arrays, numbers, booleans, nested
// objects dropped), escape and unescape.
// @request GET /node_querystring?a=1&a=2&b=x+y&c=%C3%A9&d&e=
const qs = require('querystring');

module.exports = function (req, res) {
    const parsed = qs.parse(req.url.split('?')[1]);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        parsed: Object.assign({}, parsed),
        custom: Object.assign({}, qs.parse('k:v;k2:v2', ';', ':')),
        limited: Object.keys(qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 })),
        str: qs.stringify({ list: ['x', 'y'], n: 3, t: true, s: 'a b&c', nested: { no: 1 }, u: undefined }),
        sep: qs.stringify({ a: 1, b: 2 }, ';', ':'),
        esc: qs.escape('a b/c?d=\u00e9'), unesc: qs.unescape('a%20b%2Fc'),
        decode: qs.decode === qs.parse, encode: qs.encode === qs.stringify,
    }));
};
