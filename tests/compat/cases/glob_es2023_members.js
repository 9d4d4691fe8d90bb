// What Node 20 has and Duktape lacks, from ES2022-2024: Object.hasOwn,
// the array methods that change a copy (toReversed, toSorted, toSpliced,
// with; holes read as undefined, the original untouched), isWellFormed
// and toWellFormed with lone surrogates at each end and inside, and the
// global crypto (Web Crypto's randomUUID and getRandomValues).
function attempt(f) {
    try { return f(); } catch (e) { return e.name; }
}
const codes = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16)).join(',');

module.exports = function (req, res) {
    const a = [3, 1, , 2];
    const proto = { inherited: 1 };
    const o = Object.create(proto);
    o.own = 2;
    const strings = ['abc', '\ud800', 'a\udc00b', '\ud83d\ude00', 'x\ud83d', '\ude00x\ud800\udc00', ''];
    const out = {
        hasOwn: [Object.hasOwn(o, 'own'), Object.hasOwn(o, 'inherited'), Object.hasOwn([1], 0),
            Object.hasOwn('ab', 'length'), attempt(() => Object.hasOwn(null, 'x'))],
        reversed: a.toReversed(),
        sorted: a.toSorted(),
        sortedBy: [5, 10, 1].toSorted((x, y) => y - x),
        sortedBad: attempt(() => [1].toSorted('no')),
        spliced: [a.toSpliced(1, 1, 'x', 'y'), a.toSpliced(), a.toSpliced(2), [1, 2, 3].toSpliced(-1, 0, 9)],
        withs: [a.with(0, 'z'), a.with(-1, 'w'), attempt(() => a.with(4, 1)), attempt(() => a.with(-5, 1))],
        untouched: a,
        arrayLike: Array.prototype.toReversed.call({ length: 2, 0: 'a', 1: 'b' }),
        wellFormed: strings.map((s) => [s.isWellFormed(), codes(s.toWellFormed())]),
        crypto: [typeof crypto, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
            crypto.getRandomValues(new Uint8Array(8)).length, crypto === require('crypto').webcrypto],
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
