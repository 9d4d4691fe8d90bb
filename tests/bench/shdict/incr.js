// GET /incr: one shared-dictionary increment per request (every worker counts the same key).
var d = require('eider').shared.bench;
module.exports = function (req, res) { res.end(String(d.incr('hits', 1, 0))); };
