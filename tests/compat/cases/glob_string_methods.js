// String methods from ES2017 to ES2022: replaceAll (string and global
// regex, with $& and a function), at, trimStart/trimEnd, matchAll with
// groups, padStart/padEnd, String.raw, codePointAt.
module.exports = function (req, res) {
    const text = 'a-b-c a-b';
    const log = '2021-01-02 ERROR x; 2021-03-04 WARN y; 2021-05-06 ERROR z';
    const matches = Array.from(log.matchAll(/(\d{4})-(\d{2})-(\d{2}) (ERROR|WARN)/g));
    var noGlobal;
    try { 'x'.matchAll(/x/); } catch (e) { noGlobal = e.name; }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({
        replaceAll: [text.replaceAll('-', '+'), text.replaceAll(/b/g, '[$&]'), text.replaceAll('a', function (m) { return m.toUpperCase(); }),
                     'aaa'.replaceAll('a', '$$'), 'x.y.z'.replaceAll('.', '')],
        at: ['hello'.at(0), 'hello'.at(-1), String('hello'.at(9))],
        trim: ['[' + '  x  '.trimStart() + ']', '[' + '  x  '.trimEnd() + ']', '[' + '\t x \n'.trim() + ']'],
        matchAll: matches.map(function (m) { return { full: m[0], year: m[1], level: m[4], index: m.index }; }),
        noGlobal,
        pad: ['5'.padStart(3, '0'), 'x'.padEnd(4, 'ab'), 'long'.padStart(2)],
        codePoint: '\ud83d\ude00'.codePointAt(0), fromCodePoint: String.fromCodePoint(0x1f600).length,
        raw: String.raw({ raw: ['a\\n', 'b'] }, 1),
    }));
};
