// lodash: collections, objects, strings, debounce-free utilities.
var _ = require('lodash');
module.exports = function (req, res) {
    var users = [{ name: 'ada', age: 36, team: 'a' }, { name: 'bob', age: 25, team: 'b' }, { name: 'cy', age: 36, team: 'a' }];
    var out = {
        groupBy: _.mapValues(_.groupBy(users, 'team'), function (g) { return _.map(g, 'name'); }),
        sortBy: _.map(_.sortBy(users, ['age', 'name']), 'name'),
        get: _.get({ a: [{ b: { c: 3 } }] }, 'a[0].b.c'), getDefault: _.get({}, 'x.y', 'dflt'),
        set: _.set({}, 'a.b[1]', 'v'), pick: _.pick({ a: 1, b: 2, c: 3 }, ['a', 'c']), omit: _.omit({ a: 1, b: 2 }, 'a'),
        merge: _.merge({ a: { x: 1 } }, { a: { y: 2 } }), cloneDeep: _.cloneDeep({ d: [1, { e: 2 }] }),
        chunk: _.chunk([1, 2, 3, 4, 5], 2), uniq: _.uniqBy([{ id: 1 }, { id: 1 }, { id: 2 }], 'id').length,
        camel: _.camelCase('Foo Bar-baz'), kebab: _.kebabCase('fooBarBaz'), snake: _.snakeCase('Foo Bar'),
        template: _.template('hello <%= name %>!')({ name: 'ada' }), escape: _.escape('<a href="x">&</a>'),
        isEqual: _.isEqual({ a: [1, 2] }, { a: [1, 2] }), range: _.range(0, 10, 3), sum: _.sumBy(users, 'age'),
        keyBy: _.keys(_.keyBy(users, 'name')), intersection: _.intersection([1, 2, 3], [2, 3, 4]),
        version: _.VERSION
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
