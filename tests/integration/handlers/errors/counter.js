var n = 0;
module.exports = function (req, res) { n++; res.end(String(n)); };
