// Array methods from ES2016 to ES2023: flat, flatMap, at, findLast,
// findLastIndex, fill, includes with NaN, keys/values/entries, copyWithin,
// Array.from with a map, sort stability.
module.exports = function (req, res) {
    const nested = [1, [2, [3, [4]]], [], 5];
    const people = [{ n: 'a', age: 30 }, { n: 'b', age: 25 }, { n: 'c', age: 30 }, { n: 'd', age: 25 }];
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        flat: [nested.flat(), nested.flat(2), nested.flat(Infinity), [1, , 3].flat()],
        flatMap: ['a b', 'c'].flatMap(function (s) { return s.split(' '); }),
        flatMapDepth: [1, 2].flatMap(function (x) { return [[x]]; }),
        at: [[10, 20, 30].at(-1), [10, 20, 30].at(0), [10].at(5) === undefined, 'abc'.at(-2)],
        findLast: [[1, 2, 3, 4].findLast(function (x) { return x % 2 === 1; }), [1, 2].findLast(function (x) { return x > 5; }) === undefined],
        findLastIndex: [[1, 2, 3, 4].findLastIndex(function (x) { return x < 3; }), [].findLastIndex(function () { return true; })],
        fill: [new Array(3).fill(0), [1, 2, 3, 4].fill(9, 1, 3)],
        includesNaN: [NaN].includes(NaN) && [NaN].indexOf(NaN) === -1,
        iter: [Array.from(['a', 'b'].keys()), Array.from(['a', 'b'].entries())],
        copyWithin: [1, 2, 3, 4, 5].copyWithin(0, 3),
        stable: people.sort(function (x, y) { return x.age - y.age; }).map(function (p) { return p.n; }).join(''),
        fromLength: Array.from({ length: 4 }, function (_, i) { return i * i; }),
        of: Array.of(7, 8),
    }));
};
