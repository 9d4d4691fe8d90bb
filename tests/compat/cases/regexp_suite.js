// RegExp behaviour case by case (issue 17, RegExp on PCRE2): the rows of
// _lib/regexp_cases.js in four parts, each answered as JSON, every row
// the same under Node and eider except those in its KNOWN list (which
// tests/compat/regexp_agree.py counts and man eider-handlers explains).
// @request GET /regexp_suite?part=0
// @request GET /regexp_suite?part=1
// @request GET /regexp_suite?part=2
// @request GET /regexp_suite?part=3
var suite = require('./_lib/regexp_cases');
var PARTS = 4;

module.exports = function (req, res) {
    var part = Number(req.url.split('part=')[1]) || 0;
    var all = suite.run(function (c) { return !(c.id in suite.KNOWN); });
    var size = Math.ceil(all.length / PARTS);
    var out = all.slice(part * size, (part + 1) * size);
    // ASCII only: the body's bytes are compared, lone surrogates included.
    var body = JSON.stringify(out).replace(/[\u007f-\uffff]/g, function (c) {
        return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
    res.setHeader('Content-Type', 'application/json');
    res.end(body);
};
