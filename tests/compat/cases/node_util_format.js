// util.format: %s %d %i %f %j %o %% with too few and too many arguments,
// which is also what console.log prints.
const util = require('util');

module.exports = function (req, res) {
    const lines = [
        util.format('%s is %d years and %i days', 'ada', 36.5, 12.9),
        util.format('%f and %j', '3.25', { a: [1, 'two'] }),
        util.format('100%% sure, %s', 'yes'),
        util.format('missing %s and %d'),
        util.format('extra', 1, 'two', { three: 3 }),
        util.format('%s', null, undefined, true),
        util.format('%d %d', '42', 'abc'),
        util.format('no format', [1, 2]),
        util.format(1, 2, 3),
        util.format('%s', { nested: { deep: true } }),
        util.format('%s', ['a', 'b']),
        util.format('%j', { toJSON() { return 'custom'; } }),
    ];
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(lines.join('\n'));
};
