module.exports = function (req, res) { res.end('private admin panel'); };
