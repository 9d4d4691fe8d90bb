// for...of over arrays, strings (code points), Map, Set, entries(),
// arguments, with break and continue, and destructuring in the head.
function args() { const out = []; for (const a of arguments) out.push(a); return out; }

module.exports = function (req, res) {
    const out = {};
    const arr = [];
    for (const x of [1, 2, 3, 4, 5]) { if (x === 2) continue; if (x === 5) break; arr.push(x); }
    out.array = arr;
    const chars = [];
    for (const ch of 'a\u00e9\ud83d\ude00z') chars.push(ch.length);   // the emoji is one step
    out.string = chars;
    const m = new Map([['one', 1], ['two', 2]]);
    const fromMap = [];
    for (const [k, v] of m) fromMap.push(`${k}=${v}`);
    for (const k of m.keys()) fromMap.push(k);
    for (const v of m.values()) fromMap.push(v);
    out.map = fromMap;
    const fromSet = [];
    for (const v of new Set(['x', 'y', 'x'])) fromSet.push(v);
    out.set = fromSet;
    const idx = [];
    for (const [i, v] of ['p', 'q'].entries()) idx.push(i + v);
    out.entries = idx;
    out.args = args('a', 'b');
    let last;
    for (last of [7, 8, 9]);
    out.last = last;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
