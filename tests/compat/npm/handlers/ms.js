// ms: durations from strings and back.
var ms = require('ms');
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        parse: [ms('2 days'), ms('1d'), ms('10h'), ms('2.5 hrs'), ms('1m'), ms('5s'), ms('-3 days'), ms('100')],
        format: [ms(60000), ms(2 * 60000), ms(-3 * 60000), ms(ms('10 hours'))],
        long: [ms(60000, { long: true }), ms(2 * 60000, { long: true }), ms(ms('10 hours'), { long: true })],
        invalid: String(ms('nope'))
    }));
};
