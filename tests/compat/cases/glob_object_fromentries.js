// Object.fromEntries from arrays, Maps, URLSearchParams and generators; a
// round trip through Object.entries with a map over values.
module.exports = function (req, res) {
    const prices = { apple: 1.2, pear: 0.8, kiwi: 2 };
    const doubled = Object.fromEntries(Object.entries(prices).map(function (e) { return [e[0], e[1] * 2]; }));
    const pairs = { [Symbol.iterator]: function () {
        var i = 0, d = [['x', 1], ['y', 2]];
        return { next: function () { return i < d.length ? { value: d[i++], done: false } : { value: undefined, done: true }; } };
    } };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        doubled,
        fromMap: Object.fromEntries(new Map([['a', 1], ['b', [2]]])),
        fromIterable: Object.fromEntries(pairs),
        dupLast: Object.fromEntries([['k', 1], ['k', 2]]),
        numericKeys: Object.keys(Object.fromEntries([['b', 1], [2, 'two'], ['a', 3], [1, 'one']])),
        filtered: Object.fromEntries(Object.entries(prices).filter(function (e) { return e[1] > 1; })),
        descriptors: Object.keys(Object.getOwnPropertyDescriptors({ get g() { return 1; }, v: 2 })),
    }));
};
