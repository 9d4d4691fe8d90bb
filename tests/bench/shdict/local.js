// GET /local: the same with a plain object in the worker (not shared).
var counts = {};
module.exports = function (req, res) { counts.hits = (counts.hits || 0) + 1; res.end(String(counts.hits)); };
