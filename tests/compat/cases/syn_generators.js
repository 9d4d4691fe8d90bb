// Generators: yield, yield*, return values, arguments to next(), early
// return() running finally, infinite generators taken lazily, spread.
function* range(start, end, step = 1) { for (let i = start; i < end; i += step) yield i; }
function* concat(...its) { for (const it of its) yield* it; return 'done'; }
function* naturals() { let n = 0; while (true) yield n++; }
function* take(n, it) { for (const v of it) { if (n-- <= 0) return; yield v; } }
function* dialog() {
    const name = yield 'name?';
    const age = yield `hello ${name}, age?`;
    return `${name} is ${age}`;
}
const log = [];
function* guarded() { try { yield 1; yield 2; } finally { log.push('cleanup'); } }

module.exports = function (req, res) {
    const d = dialog();
    const talk = [d.next().value, d.next('ada').value, d.next(36)];
    const g = guarded();
    const first = g.next().value;
    const ret = g.return('early');
    const obj = { *[Symbol.iterator]() { yield 'a'; yield 'b'; } };
    const c = concat(range(0, 3), 'xy');
    const all = [];
    let step;
    while (!(step = c.next()).done) all.push(step.value);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        range: [...range(0, 10, 3)], concat: all, concatReturn: step.value,
        lazy: [...take(5, naturals())], talk, first, ret, log,
        iterable: [...obj], isGen: Object.prototype.toString.call(range(0, 1)),
    }));
};
