module.exports = function (req, res) { res.end('logs'); };
