// Symbol.iterator on the built-ins, called by hand as transpiled code and
// packages do: Array, String, Map, Set, arguments, typed arrays; and
// Symbol.toStringTag, Symbol.for.
function argsIter() { return arguments[Symbol.iterator]; }

module.exports = function (req, res) {
    function drain(it) { var out = [], s; while (!(s = it.next()).done) out.push(s.value); return out; }
    var out = {
        array: drain([1, 2][Symbol.iterator]()),
        string: drain('a\ud83d\ude00'[Symbol.iterator]()).map(function (c) { return c.length; }),
        map: drain(new Map([['k', 1]])[Symbol.iterator]()),
        set: drain(new Set(['v'])[Symbol.iterator]()),
        args: argsIter(1, 2) === Array.prototype[Symbol.iterator],
        typed: drain(new Uint8Array([7, 8])[Symbol.iterator]()),
        arrayValues: Array.prototype.values === Array.prototype[Symbol.iterator],
        tag: [Object.prototype.toString.call(new Map()), Object.prototype.toString.call(Promise.resolve())],
        symFor: Symbol.for('app') === Symbol.for('app') && Symbol.keyFor(Symbol.for('app')),
        iterProto: typeof Object.getPrototypeOf([][Symbol.iterator]())[Symbol.iterator]
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
