module.exports = function (req, res) { res.end('daemon ok'); };
