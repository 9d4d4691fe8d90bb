// Buffer's encodings byte for byte, on the inputs where lenient decoders
// differ: invalid and oddly padded base64, both alphabets in each, odd and
// bad hex, latin1/ascii above 0xFF, lone surrogates and astral characters
// in UTF-8, invalid UTF-8 decoded (U+FFFD per maximal subpart), utf16le,
// byteLength, write() cut at a character, and indexOf/lastIndexOf.
const codes = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
const hex = (b) => b.toString('hex');

module.exports = function (req, res) {
    const b64 = ['YQ==YQ==', 'YQ=YQ', 'Y Q = =', 'YQ', 'Y', 'YWJj*ZGVm', 'YW-_', 'YWJ=jZA', '=YWJj',
        'YWJjZA=', 'a+/_-b', 'YQ===', 'Y=Q', 'YWJjZ', '', '\u00e9YWJj', 'YW\nJj\r\n'];
    const hexes = ['abc', 'zz12', '12z3', '1', '0g12', 'aBcD', '', '00ff80'];
    const text = ['', 'abc', 'caf\u00e9', '\u20ac', '\ud83d\ude00', 'a\ud800b', '\udc00', 'x\ud83dy', '\ud83d',
        '\u0100\u00ff\ud83d\ude00x'];
    const bytes = [[0xf0, 0x9f, 0x98, 0x80], [0xed, 0xa0, 0x80], [0xe0, 0x80], [0xf0, 0x9f, 0x41], [0xc3],
        [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff, 0xfe, 0x41], [0xe2, 0x82], [0x80, 0xbf], [0xef, 0xbb, 0xbf, 0x41],
        [0x00, 0x7f, 0x80, 0xff], [0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde, 0x42]];
    const out = {
        base64: b64.map((s) => [hex(Buffer.from(s, 'base64')), hex(Buffer.from(s, 'base64url'))]),
        hex: hexes.map((s) => hex(Buffer.from(s, 'hex'))),
        fromText: text.map((s) => ['utf8', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2'].map((e) =>
            hex(Buffer.from(s, e)) + '/' + Buffer.byteLength(s, e))),
        toText: bytes.map((a) => ['utf8', 'latin1', 'ascii', 'utf16le', 'hex', 'base64', 'base64url'].map((e) =>
            codes(Buffer.from(a).toString(e)))),
        ranges: [hex(Buffer.from('hello world').subarray(2, 7)), Buffer.from('hello').toString('utf8', 1, 3),
            Buffer.from('hello').toString('hex', -5, 99), Buffer.from('hello').toString('utf8', 4, 2),
            Buffer.from('hello').toString(undefined, 2)],
        upper: [hex(Buffer.from('AQID', 'BASE64')), Buffer.from([1, 2]).toString('HEX'), Buffer.isEncoding('UTF-8')],
        write: [['a\u20ac', 4], ['\u20ac\u20ac', 3], ['\ud83d\ude00', 3], ['abcd', 2]].map(([s, n]) => {
            const b = Buffer.alloc(n);
            return [b.write(s), hex(b)];
        }).concat([(() => { const b = Buffer.alloc(6); return [b.write('ffee', 1, 'hex'), hex(b)]; })(),
            (() => { const b = Buffer.alloc(3); return [b.write('abc', 0, 3, 'utf16le'), hex(b)]; })(),
            (() => { const b = Buffer.alloc(4); return [b.write('YWJj', 'base64'), hex(b)]; })()]),
        search: [Buffer.from('abcabc').indexOf('ca'), Buffer.from('abcabc').lastIndexOf('b'),
            Buffer.from('abcabc').indexOf('b', 2), Buffer.from('abcabc').indexOf('b', -2),
            Buffer.from('abcabc').lastIndexOf('b', -3), Buffer.from('abcabc').indexOf(''),
            Buffer.from('abcabc').indexOf('', 99), Buffer.from('abcabc').lastIndexOf(''),
            Buffer.from('abcabc').indexOf(99), Buffer.from('abcabc').indexOf(Buffer.from('bc'), 3),
            Buffer.from('abcabc').includes('cab'), Buffer.from('abcabc').indexOf('zz'),
            Buffer.from('abcabc').indexOf('abcabcd'), Buffer.from('\u20acx').indexOf('x'),
            Buffer.from('616263', 'hex').indexOf('62', 0, 'hex')],
        unknown: (() => { try { Buffer.from('x', 'utf9'); return 'no error'; } catch (e) { return [e.name, e.code, e.message]; } })(),
        unknownToString: (() => { try { Buffer.from('x').toString('nope'); return 'no error'; } catch (e) { return [e.name, e.code]; } })(),
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
