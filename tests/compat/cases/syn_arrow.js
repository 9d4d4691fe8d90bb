// Arrow functions: expression and block bodies, an object literal body,
// lexical this and arguments, arrows in array methods and callbacks.
const double = x => x * 2;
const pair = (a, b) => ({ a, b });
const noArgs = () => 'none';

function Counter() {
    this.n = 0;
    this.bump = () => { this.n++; return this.n; };
    this.outerArgs = function () { return (() => arguments.length)(); };
}

module.exports = (req, res) => {
    const c = new Counter();
    const bump = c.bump;           // detached: this stays c
    bump(); bump();
    const out = {
        double: [1, 2, 3].map(double),
        pair: pair(1, 'x'),
        none: noArgs(),
        counted: c.n,
        args: c.outerArgs(1, 2, 3),
        sorted: [3, 1, 2].sort((a, b) => b - a),
        nested: (a => b => c => a + b + c)(1)(2)(3),
        hasProto: Object.prototype.hasOwnProperty.call(double, 'prototype'),
    };
    setTimeout(() => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(out));
    }, 1);
};
