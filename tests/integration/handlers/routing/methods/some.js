exports.DELETE = function (req, res) { res.end('some:DELETE'); };
exports.POST = function (req, res) { res.end('some:POST'); };
exports.GET = function (req, res) { res.end('some:GET'); };
