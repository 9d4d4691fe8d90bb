// Object literal shorthands: shorthand properties and methods, computed
// keys (also for methods, getters and Symbols), __proto__ in a literal,
// and duplicated keys (the last wins).
const prefix = 'item';
const tag = Symbol('tag');
let i = 0;
module.exports = function (req, res) {
    const name = 'ada', age = 36;
    const base = { kind() { return 'base'; } };
    const obj = {
        name, age,
        [prefix + '_' + (++i)]: 'first',
        [`${prefix}_${++i}`]: 'second',
        greet() { return `I am ${this.name}`; },
        [`say${'Hi'}`]() { return 'hi'; },
        get upper() { return this.name.toUpperCase(); },
        [tag]: 'hidden',
        __proto__: base,
        dup: 1, dup: 2,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        keys: Object.keys(obj), greet: obj.greet(), hi: obj.sayHi(), upper: obj.upper,
        proto: obj.kind(), symbol: obj[tag], dup: obj.dup, i,
    }));
};
