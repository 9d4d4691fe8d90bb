module.exports = function (req, res) { res.end('proxy fixture ok'); };
