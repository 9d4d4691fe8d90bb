// nanoid (v3, CommonJS): id lengths and alphabets.
var nanoid = require('nanoid');
module.exports = function (req, res) {
    var ids = [], custom = nanoid.customAlphabet('abc123', 8);
    for (var i = 0; i < 20; i++) ids.push(nanoid.nanoid());
    var c = custom();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        length: ids[0].length, urlSafe: ids.every(function (id) { return /^[A-Za-z0-9_-]{21}$/.test(id); }),
        unique: ids.filter(function (id, i) { return ids.indexOf(id) === i; }).length,
        custom: [c.length, /^[abc123]{8}$/.test(c)], sized: nanoid.nanoid(5).length, alphabet: nanoid.urlAlphabet.length
    }));
};
