exports.POST = function (req, res) { res.json({ got: req.json() }); };
