module.exports = function (req, res) { res.redirect('http://example.com/elsewhere', 301); };
