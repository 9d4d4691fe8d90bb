module.exports = function (req, res) { var o; o.missing.prop = 1; };
