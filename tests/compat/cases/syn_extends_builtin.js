// Classes extending built-in constructors: the instances are the class's
// (methods, instanceof, a field set in the constructor) and the
// built-in's (Array.isArray and length, Date's fields, a typed array's
// elements), with constructor arguments passed on, spread or not, and a
// subclass of the subclass.
class List extends Array {
    label = 'list';
    sum() { return this.reduce((a, b) => a + b, 0); }
    static of2(...items) { const l = new List(); l.push(...items); return l; }
}
class Stack extends List {
    constructor(...items) { super(); this.push(...items); }
    top() { return this[this.length - 1]; }
}
class Day extends Date {
    constructor(ms) { super(ms); this.kind = 'day'; }
    year() { return this.getUTCFullYear(); }
}
class Bytes extends Uint8Array {
    hex() { return Array.from(this, (b) => b.toString(16).padStart(2, '0')).join(''); }
}
class Bag extends Object { count() { return Object.keys(this).length; } }

module.exports = function (req, res) {
    const l = List.of2(1, 2, 3);
    const s = new Stack(4, 5);
    const d = new Day(86400000 * 366);
    const b = new Bytes(3);
    b[0] = 255; b[2] = 16;
    const bag = new Bag();
    bag.a = 1;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        list: [l instanceof List, Array.isArray(l), l.length, l.sum(), l.label, [...l]],
        stack: [s instanceof Stack, s instanceof List, s.length, s.top(), s.sum()],
        sized: new List(3).length,
        day: [d instanceof Day, d instanceof Date, d.year(), d.kind, d.toISOString()],
        bytes: [b instanceof Bytes, b.length, b.hex()],
        bag: [bag instanceof Bag, bag.count()],
    }));
};
