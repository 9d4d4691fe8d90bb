module.exports = function (req, res) { res.redirect('/target?x=1'); };
