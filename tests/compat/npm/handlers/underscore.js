// underscore: the classic utility belt.
var _ = require('underscore');
module.exports = function (req, res) {
    var out = {
        map: _.map([1, 2, 3], function (n) { return n * 3; }), pluck: _.pluck([{ a: 1 }, { a: 2 }], 'a'),
        groupBy: _.groupBy([1.3, 2.1, 2.4], Math.floor), countBy: _.countBy([1, 2, 3, 4], function (n) { return n % 2 ? 'odd' : 'even'; }),
        template: _.template('<b><%- value %></b> <%= n + 1 %>')({ value: '<x>', n: 1 }),
        chain: _.chain([3, 1, 2]).sortBy(_.identity).map(function (x) { return x * 10; }).value(),
        uniq: _.uniq([1, 2, 1, 3]), flatten: _.flatten([1, [2, [3]]]), zip: _.zip(['a', 'b'], [1, 2]),
        invert: _.invert({ a: 'x', b: 'y' }), isMatch: _.isMatch({ a: 1, b: 2 }, { a: 1 }), version: _.VERSION
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
