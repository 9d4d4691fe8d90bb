// Buffer.alloc(n, fill) and buf.fill(value, offset, end, encoding) with
// patterns of one byte and of several (copied in doubling blocks), strings
// in each encoding, ranges that are empty, reversed or cut at the end,
// numbers past 255 and booleans, and a 16 MB fill that must not take the
// interpreter a loop over every byte.
function attempt(f) {
    try { return f(); } catch (e) { return e.name + ':' + e.code; }
}

module.exports = function (req, res) {
    const out = [];
    const cases = [
        [5, 'ab'], [10, 'abc', 2, 7], [7, '\u00e9'], [9, '0a0b0c', 'hex'], [3, 'abcdef'], [8, '', 0, 8],
        [6, 'xy', 4, 2], [6, 'q', 5], [1, 'ab'], [0, 'ab'], [11, 'aGk=', 'base64'], [20, 'h\u00e9llo', 3, 19],
        [6, 257], [6, true], [33, 'abcdefghijklmnopq'], [64, 'xyz', 1], [17, 'zz', 0, 17, 'latin1'],
        [12, 'ab', -1], [12, 'ab', 0, 99], [12, 'ab', 1.5], [12, 'ab', '1', 3], [12, 'ab', 20], [12, 'ab', 3, 3],
    ];
    for (const [n, v, o, e, enc] of cases) {
        if (typeof o === 'number') {
            out.push(attempt(() => Buffer.alloc(n, 1).fill(v, o, e, enc).toString('hex')));
        } else {
            out.push(attempt(() => Buffer.alloc(n, v, o).toString('hex')));
        }
    }
    const big = Buffer.alloc(16 * 1048576, 'xyz');
    out.push(big.length, big[big.length - 1], big.toString('latin1', 1000000, 1000006),
        big.indexOf('zx', 16 * 1048576 - 8));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
