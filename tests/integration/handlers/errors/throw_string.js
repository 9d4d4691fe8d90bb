module.exports = function (req, res) { throw 'string-thrown-5521'; };
