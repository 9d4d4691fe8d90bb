// Buffer: alloc, from (utf8, hex, base64, base64url, latin1, arrays),
// byteLength, concat, toString in each encoding, equals, compare, fill,
// isBuffer, toJSON, and the 'buffer' module's Buffer being the global one.
const B = require('buffer').Buffer;

module.exports = function (req, res) {
    const hello = Buffer.from('h\u00e9llo w\u00f6rld');
    const bin = Buffer.from([0, 1, 127, 128, 255]);
    const out = {
        same: B === Buffer,
        alloc: Array.from(Buffer.alloc(4)), allocFill: Buffer.alloc(5, 'ab').toString(), allocHex: Array.from(Buffer.alloc(3, 'ff', 'hex')),
        byteLength: [Buffer.byteLength('h\u00e9llo'), Buffer.byteLength('aGk=', 'base64'), hello.length],
        hex: bin.toString('hex'), base64: bin.toString('base64'), base64url: bin.toString('base64url'),
        fromHex: Buffer.from('48656c6c6f', 'hex').toString(),
        fromB64: Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString('utf8'),
        fromB64url: Buffer.from('-_8', 'base64url').toString('hex'),
        latin1: Buffer.from('caf\u00e9', 'latin1').toString('hex'),
        utf8: hello.toString('utf8', 0, 6),
        concat: Buffer.concat([Buffer.from('ab'), Buffer.from('cd')], 3).toString(),
        equals: [Buffer.from('x').equals(Buffer.from('x')), Buffer.from('x').equals(Buffer.from('y'))],
        compare: [Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.from('b').compare(Buffer.from('a')),
                  Buffer.from('abc').compare(Buffer.from('abc'))],
        sorted: [Buffer.from('c'), Buffer.from('a'), Buffer.from('b')].sort(Buffer.compare).map(String).join(''),
        fill: Buffer.alloc(4).fill('xy').toString(),
        isBuffer: [Buffer.isBuffer(hello), Buffer.isBuffer('x'), Buffer.isBuffer(new Uint8Array(1))],
        json: Buffer.from('hi').toJSON(), isUint8Array: hello instanceof Uint8Array,
        invalidUtf8: Buffer.from([0x61, 0xff, 0x62]).toString(),
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
