exports.GET = function (req, res) { res.end('get'); };
