// validator: string validators and sanitizers on query input.
// @request GET /validator?email=ada%40example.com&url=https%3A%2F%2Fexample.com%2Fx&n=42
var validator = require('validator');
module.exports = function (req, res) {
    var q = {};
    req.url.split('?')[1].split('&').forEach(function (p) { var kv = p.split('='); q[kv[0]] = decodeURIComponent(kv[1]); });
    var out = {
        email: [validator.isEmail(q.email), validator.isEmail('not@'), validator.normalizeEmail('Ada.L@GMail.com')],
        url: [validator.isURL(q.url), validator.isURL('nope'), validator.isURL('http://localhost:3000', { require_tld: false })],
        numbers: [validator.isInt(q.n, { min: 1, max: 100 }), validator.isFloat('3.14'), validator.toInt('12abc')],
        uuid: validator.isUUID('0b9b5b5e-3c3a-4f2e-9a9e-2b1f0e6f1c11', 4),
        json: validator.isJSON('{"a":1}'), ip: [validator.isIP('10.0.0.1'), validator.isIP('::1', 6), validator.isIP('300.1.1.1')],
        escape: validator.escape('<script>"x"&</script>'), trim: validator.trim('  x  '),
        alpha: validator.isAlphanumeric('abc123'), creditCard: validator.isCreditCard('4111111111111111'),
        iso: validator.isISO8601('2020-01-02T03:04:05Z'), strong: validator.isStrongPassword('Abcdef1!x'),
        version: validator.version
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
