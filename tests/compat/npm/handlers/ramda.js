// ramda: curried, composed data transformations.
var R = require('ramda');
module.exports = function (req, res) {
    var people = [{ name: 'ada', age: 36 }, { name: 'bob', age: 17 }, { name: 'cy', age: 52 }];
    var adultsNames = R.pipe(R.filter(R.propSatisfies(R.lte(18), 'age')), R.map(R.prop('name')), R.join(','));
    var out = {
        adults: adultsNames(people), sorted: R.map(R.prop('name'), R.sortWith([R.descend(R.prop('age'))], people)),
        curried: R.add(2)(3), lens: R.view(R.lensPath(['a', 'b']), { a: { b: 7 } }),
        over: R.over(R.lensProp('n'), R.inc, { n: 1 }), evolve: R.evolve({ n: R.multiply(10) }, { n: 2, m: 3 }),
        groupBy: R.map(R.length, R.groupBy(function (p) { return p.age > 30 ? 'old' : 'young'; }, people)),
        zipObj: R.zipObj(['a', 'b'], [1, 2]), uniq: R.uniq([1, 1, 2, [3], [3]]),
        path: R.pathOr('none', ['x', 'y'], {}), range: R.range(1, 5), equals: R.equals({ a: [1] }, { a: [1] }),
        cond: R.map(R.cond([[R.equals(0), R.always('zero')], [R.lt(0), R.always('positive')], [R.T, R.always('negative')]]), [0, 5, -1])
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
