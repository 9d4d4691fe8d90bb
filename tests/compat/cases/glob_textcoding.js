// TextEncoder/TextDecoder and UTF-8 in a response: an emoji as a
// surrogate pair, lengths, encodeInto, decoding invalid bytes and a BOM.
module.exports = function (req, res) {
    const s = 'caf\u00e9 \ud83d\ude00';
    const bytes = new TextEncoder().encode(s);
    const into = new Uint8Array(4);
    const r = new TextEncoder().encodeInto('\u00e9\u00e9\u00e9', into);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({
        s, length: s.length, bytes: bytes.length, hex: Buffer.from(bytes).toString('hex'),
        back: new TextDecoder().decode(bytes) === s, into: [r.read, r.written],
        invalid: new TextDecoder().decode(new Uint8Array([0x61, 0xc3, 0x28])),
        bom: new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x78])).length,
        encoding: new TextDecoder().encoding,
    }));
};
