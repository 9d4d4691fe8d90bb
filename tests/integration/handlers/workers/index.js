module.exports = function (req, res) { res.end('worker ok'); };
