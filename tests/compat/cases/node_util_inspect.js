// util.inspect of the values a handler logs: objects, arrays, strings,
// nested depth, Map, Set, Date, errors' first line, class instances.
const util = require('util');
function Point(x, y) { this.x = x; this.y = y; }

module.exports = function (req, res) {
    const lines = [
        util.inspect({ a: 1, b: 'two', c: [3, 4], d: { e: null, f: undefined } }),
        util.inspect('quoted \'string\''),
        util.inspect([1, [2, [3, [4, [5]]]]]),
        util.inspect({ l1: { l2: { l3: { l4: 'deep' } } } }),
        util.inspect({ l1: { l2: { l3: { l4: 'deep' } } } }, { depth: 0 }),
        util.inspect(new Map([['k', 1]])),
        util.inspect(new Set([1, 'a'])),
        util.inspect(new Point(1, 2)),
        util.inspect(new Date(Date.UTC(2020, 1, 3, 4, 5, 6))),
        util.inspect([]) + util.inspect({}) + util.inspect(-0) + util.inspect(NaN),
        util.inspect(function named() {}),
        util.inspect(Symbol('s')),
        util.inspect({ 'needs-quote': 1, ok_name: 2 }),
        util.inspect(new Error('boom')).split('\n')[0],
    ];
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(lines.join('\n'));
};
