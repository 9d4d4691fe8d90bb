// Plain ES5 with the library parts eider has today: JSON replacer and
// reviver, Object.entries/values, Array.from, Map, Set, padStart, includes.
exports.GET = function (req, res) {
    var m = new Map([['b', 2], ['a', 1]]);
    m.set('c', 3);
    var s = new Set([3, 1, 3, 2]);
    var dates = JSON.parse('{"when":"2020-01-02T03:04:05.000Z","n":1}', function (k, v) {
        return k === 'when' ? new Date(v).getTime() : v;
    });
    var out = {
        entries: Object.entries({ x: 1, y: [2] }),
        values: Object.values({ x: 'a', y: 'b' }),
        map: Array.from(m.keys()).join('') + m.size,
        set: Array.from(s).join(','),
        pad: '7'.padStart(3, '0') + '|' + 'ab'.padEnd(4, '.'),
        has: [1, 2, NaN].includes(NaN) + ',' + 'haystack'.includes('st'),
        revived: dates.when,
        fixed: (1234.5678).toFixed(2),
        str: JSON.stringify({ a: [1, { b: 2 }], skip: undefined, f: function () {} }, null, 2)
    };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(out, function (k, v) { return k === 'has' ? 'has:' + v : v; }));
};
