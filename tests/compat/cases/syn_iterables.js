// User iterables with Symbol.iterator: a class, an object with a next()
// protocol, used by for...of, spread, Array.from, destructuring, Map and
// Promise.all; an iterator's return() called on break.
class Range {
    constructor(from, to) { this.from = from; this.to = to; }
    [Symbol.iterator]() {
        let cur = this.from;
        const to = this.to;
        const self = this;
        return {
            next: () => cur <= to ? { value: cur++, done: false } : { value: undefined, done: true },
            return() { self.closed = true; return { done: true }; },
        };
    }
}

module.exports = async function (req, res) {
    const r = new Range(1, 4);
    const looped = [];
    for (const n of r) looped.push(n);
    const early = new Range(1, 100);
    for (const n of early) if (n === 2) break;
    const [a, b, ...rest] = new Range(10, 14);
    const pairs = { *[Symbol.iterator]() { yield ['k1', 'v1']; yield ['k2', 'v2']; } };
    const all = await Promise.all(new Range(1, 3));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        looped, spread: [...r], from: Array.from(r, x => x * x), a, b, rest,
        closedOnBreak: early.closed === true, map: [...new Map(pairs)], all,
        set: new Set(new Range(1, 3)).size,
    }));
};
