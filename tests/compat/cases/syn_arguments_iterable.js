// The arguments object is iterable in a lowered file: for...of, spread,
// Array.from, new Set, a destructuring with a rest element, its own
// [Symbol.iterator] (Array.prototype.values, not enumerable), also read
// from an arrow inside the function; and the array-like uses beside them.
function forOf() { const out = []; for (const x of arguments) out.push(x); return out; }
function spread() { return [...arguments]; }
function from() { return Array.from(arguments, (x) => x * 2); }
function asSet() { return [...new Set(arguments)]; }
function rest() { const [first, ...others] = arguments; return { first, others }; }
function own() {
    const d = Object.getOwnPropertyDescriptor(arguments, Symbol.iterator);
    return [arguments[Symbol.iterator] === Array.prototype[Symbol.iterator], d.enumerable, d.writable,
        d.configurable, Object.keys(arguments)];
}
function viaArrow() { const list = () => Array.from(arguments); return list(); }
function arrayLike() {
    return [arguments.length, arguments[1], Array.prototype.slice.call(arguments, 1),
        Math.max.apply(null, arguments), Math.min(...arguments)];
}
function strict() { 'use strict'; return new Map([arguments]).get('k'); }

module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        forOf: forOf(1, 2), spread: spread(3, 4), from: from(1, 2), set: asSet(1, 1, 2),
        rest: rest(1, 2, 3), own: own('a', 'b'), arrow: viaArrow(5, 6), arrayLike: arrayLike(4, 9, 1),
        strict: strict('k', 'v'),
    }));
};
