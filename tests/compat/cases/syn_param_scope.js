// Default and destructured parameters have a scope of their own: a
// closure in the parameter list keeps seeing (and setting) the parameter
// when the body declares a var of the same name, which starts as the
// parameter's value; a function declaration in the body does not replace
// what the closure sees either. In functions, arrows, class constructors
// and methods, generators and async functions.
function initial(x = 1, get = () => x, set = (v) => { x = v; }) {
    var x;
    const first = x;
    x = 2;
    set(3);
    return [first, x, get()];
}
function fromArg(x, g = () => x) { var x = 2; return [g(), x]; }
function chained(a, b = a * 2, c = () => a + b) { var a = 10; return [a, b, c()]; }
function setter(a = 1, b = () => { a = 9; }) { var a = 2; b(); return a; }
function destructured({ p, q = 2 }, mk = () => ({ p, q })) { var p = 'body'; return [p, mk()]; }
function declared(x = 1, g = () => x) { function x() {} return [typeof x, g()]; }
const arrow = (a = 1, b = () => a) => { var a = 3; return [a, b()]; };
class Shape {
    constructor(n = 1, f = () => n) { var n = 5; this.r = [n, f()]; }
    method(y = 'param', f = () => y) { var y = 'body'; return [y, f()]; }
}
function* gen(x = 1, g = () => x) { var x = 2; yield [x, g()]; }
async function later(x = 1, g = () => x) { var x = 2; await null; return [x, g()]; }
// Names that an arrow is assigned to and an object literal method would
// read as an accessor.
const get = (k = 'k') => `got ${k}`;
const set = (k, v = 1) => `set ${k}=${v}`;

module.exports = async function (req, res) {
    const out = {
        initial: initial(), fromArg: fromArg(1), chained: chained(1), setter: setter(),
        destructured: destructured({ p: 'arg' }), declared: declared(), arrow: arrow(),
        ctor: new Shape().r, method: new Shape().method(), gen: gen().next().value,
        later: await later(), lengths: [initial.length, fromArg.length, destructured.length, arrow.length],
        getSet: [get(), set('a')],
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
