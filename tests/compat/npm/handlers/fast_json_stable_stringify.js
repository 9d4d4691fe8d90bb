// fast-json-stable-stringify: key-sorted JSON, for hashing or ETags.
var stringify = require('fast-json-stable-stringify');
var crypto = require('crypto');
module.exports = function (req, res) {
    var a = { b: 1, a: [3, { z: 1, y: 2 }], c: { e: null, d: 'x' } };
    var b = { c: { d: 'x', e: null }, a: [3, { y: 2, z: 1 }], b: 1 };
    var s = stringify(a);
    res.setHeader('ETag', '"' + crypto.createHash('sha1').update(s).digest('hex') + '"');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ s: s, same: s === stringify(b),
                             cmp: stringify({ b: 1, a: 2 }, function (x, y) { return x.key < y.key ? 1 : -1; }) }));
};
