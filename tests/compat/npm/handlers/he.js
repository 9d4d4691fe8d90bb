// he: HTML entity encoding and decoding.
var he = require('he');
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({
        encode: he.encode('foo \u00a9 bar \u2260 baz \ud834\udf06 qux <>'),
        named: he.encode('\u00e9 <', { useNamedReferences: true }),
        decode: he.decode('&lt;a&gt; &copy; &#x1D306; &amp;amp; &eacute;'),
        escape: he.escape('<img src=\'x\' alt="y">'), unescape: he.unescape('&lt;b&gt;')
    }));
};
