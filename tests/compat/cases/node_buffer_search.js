// Buffer searching and views: indexOf/lastIndexOf/includes with strings,
// Buffers, bytes and offsets; slice and subarray sharing memory (and
// negative indexes); copy; write; a Buffer as the response body.
module.exports = function (req, res) {
    const buf = Buffer.from('--boundary\r\nhello\r\n--boundary--');
    const out = {
        indexOf: [buf.indexOf('boundary'), buf.indexOf('boundary', 3), buf.indexOf(Buffer.from('\r\n')),
                  buf.indexOf(0x68), buf.indexOf('nothere'), buf.indexOf('')],
        lastIndexOf: [buf.lastIndexOf('boundary'), buf.lastIndexOf(0x2d)],
        includes: [buf.includes('hello'), buf.includes('bye'), buf.includes(Buffer.from('--b'), 5)],
    };
    const s = buf.slice(2, 10);
    const sub = buf.subarray(-2);
    s[0] = 0x42;                        // writes through to buf
    out.slice = [s.toString(), buf.toString('utf8', 0, 4), sub.toString(), buf.slice(-10, -8).toString()];
    const target = Buffer.alloc(6, '.');
    const copied = Buffer.from('abc').copy(target, 2);
    out.copy = [copied, target.toString()];
    const w = Buffer.alloc(8);
    const written = w.write('\u00e9t\u00e9', 1);
    out.write = [written, w.toString('hex')];
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Out', Buffer.from(JSON.stringify(out)).length);
    res.end(Buffer.from(JSON.stringify(out)));
};
