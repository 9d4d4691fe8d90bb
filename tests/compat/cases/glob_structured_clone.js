// structuredClone: deep copies of objects, arrays, Date, Map, Set, RegExp,
// typed arrays and cycles; functions refuse with DataCloneError.
module.exports = function (req, res) {
    const src = { n: 1, list: [1, { deep: 'x' }], when: new Date(Date.UTC(2021, 5, 1)),
                  map: new Map([['k', { v: 1 }]]), set: new Set([1, 2]), re: /ab+c/gi,
                  bytes: new Uint8Array([1, 2, 3]), nothing: undefined };
    src.self = src;
    const c = structuredClone(src);
    c.list[1].deep = 'changed';
    var fnError;
    try { structuredClone({ f() {} }); } catch (e) { fnError = e.name; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        original: src.list[1].deep, copy: c.list[1].deep, cycle: c.self === c, notSame: c !== src,
        date: [c.when instanceof Date, c.when.toISOString(), c.when !== src.when],
        map: [c.map instanceof Map, c.map.get('k').v, c.map.get('k') !== src.map.get('k')],
        set: Array.from(c.set), re: [c.re.source, c.re.global, c.re.ignoreCase, c.re instanceof RegExp], bytes: Array.from(c.bytes), hasNothing: 'nothing' in c,
        fnError, prim: [structuredClone(5), structuredClone('s'), structuredClone(null)],
    }));
};
