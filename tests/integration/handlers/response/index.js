module.exports = function (req, res) { res.end('response fixture'); };
