// The temporal dead zone where the text makes it certain: a let, const
// or class read before its declaration in the same function throws
// V8's ReferenceError; reads that run later (closures, instance fields,
// hoisted functions) do not.
const attempt = (fn) => { try { return fn(); } catch (e) { return `${e.name}: ${e.message}`; } };

function readLater() { return laterLet; }
let laterLet = 'later';

class Holder { value = laterField; }
let laterField = 'field';

module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        typeofLet: attempt(() => { const t = typeof early; let early = 1; return t; }),
        selfInit: attempt(() => { let x = (typeof x) + 1; return x; }),
        classBefore: attempt(() => { const c = new Late(); class Late {} return typeof c; }),
        shorthand: attempt(() => { const o = { later }; const later = 1; return o; }),
        inLoop: [0, 1].map((i) => attempt(() => { const r = i > 5 ? 0 : v; let v = i; return r; })),
        closures: [readLater(), new Holder().value],
        hoisted: attempt(() => { return hoistedFn(); function hoistedFn() { return 'hoisted'; } }),
    }));
};
