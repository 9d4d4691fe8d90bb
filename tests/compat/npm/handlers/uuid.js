// uuid: deterministic v5/v3 ids, validate/version/parse/stringify, and v4's shape.
var uuid = require('uuid');
module.exports = function (req, res) {
    var v5 = uuid.v5('hello.example.com', uuid.v5.DNS);
    var bytes = uuid.parse(v5);
    var v4s = [];
    for (var i = 0; i < 10; i++) v4s.push(uuid.v4());
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        v5: v5, v3: uuid.v3('https://example.com/', uuid.v3.URL), version: uuid.version(v5),
        validate: [uuid.validate(v5), uuid.validate('nope')], bytes: bytes.length, back: uuid.stringify(bytes) === v5,
        nil: uuid.NIL, v4: v4s.every(function (u) { return uuid.validate(u) && uuid.version(u) === 4; })
    }));
};
