// content-type: parse the request's Content-Type, format one for the answer.
// @request POST /content_type {"a":1}
// @header Content-Type: application/json; charset="UTF-8"; boundary=x
var contentType = require('content-type');
module.exports = function (req, res) {
    var ct = contentType.parse(req);
    var bad;
    try { contentType.parse('not/valid/type'); } catch (e) { bad = e.message; }
    res.setHeader('Content-Type', contentType.format({ type: 'text/plain', parameters: { charset: 'utf-8' } }));
    res.end(JSON.stringify({ ct: ct, bad: bad }));
};
