exports.PUT = function (req, res) { res.end('nohead:PUT'); };
exports.POST = function (req, res) { res.end('nohead:POST'); };
