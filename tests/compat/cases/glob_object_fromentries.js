// Object.fromEntries from arrays, Maps, URLSearchParams and generators; a
// round trip through Object.entries with a map over values.
module.exports = function (req, res) {
    const prices = { apple: 1.2, pear: 0.8, kiwi: 2 };
    const doubled = Object.fromEntries(Object.entries(prices).map(([k, v]) => [k, v * 2]));
    function* gen() { yield ['x', 1]; yield ['y', 2]; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        doubled,
        fromMap: Object.fromEntries(new Map([['a', 1], ['b', [2]]])),
        fromGen: Object.fromEntries(gen()),
        dupLast: Object.fromEntries([['k', 1], ['k', 2]]),
        numericKeys: Object.keys(Object.fromEntries([['b', 1], [2, 'two'], ['a', 3], [1, 'one']])),
        filtered: Object.fromEntries(Object.entries(prices).filter(([, v]) => v > 1)),
        descriptors: Object.keys(Object.getOwnPropertyDescriptors({ get g() { return 1; }, v: 2 })),
    }));
};
