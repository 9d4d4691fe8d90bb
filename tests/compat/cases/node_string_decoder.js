// string_decoder: multi-byte UTF-8 characters split across chunks (as a
// request body arrives), end() with an incomplete sequence, and hex and
// base64 decoders.
const StringDecoder = require('string_decoder').StringDecoder;

module.exports = function (req, res) {
    const bytes = Buffer.from('a\u00e9\u20ac\ud83d\ude00z');
    const d = new StringDecoder('utf8');
    const pieces = [];
    for (var i = 0; i < bytes.length; i += 2) pieces.push(d.write(bytes.slice(i, i + 2)));
    pieces.push(d.end());
    const naive = [];
    for (var j = 0; j < bytes.length; j += 2) naive.push(bytes.slice(j, j + 2).toString());
    const cut = new StringDecoder('utf8');
    const partial = [cut.write(Buffer.from([0xe2, 0x82])), cut.end()];
    const hex = new StringDecoder('hex');
    const b64 = new StringDecoder('base64');
    const b64out = [b64.write(Buffer.from('ab')), b64.write(Buffer.from('c')), b64.end()];
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        pieces, joined: pieces.join(''), naiveBroken: naive.join('') !== pieces.join(''),
        partial, hex: hex.write(Buffer.from([1, 255])) + hex.end(), b64out,
        lengths: pieces.map(function (p) { return p.length; }),
    }));
};
