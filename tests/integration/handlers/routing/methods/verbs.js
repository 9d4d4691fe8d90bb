exports.OPTIONS = function (req, res) { res.end('verbs:OPTIONS'); };
exports.PATCH = function (req, res) { res.end('verbs:PATCH'); };
exports.PUT = function (req, res) { res.end('verbs:PUT'); };
exports.GET = function (req, res) { res.end('verbs:GET'); };
