module.exports = function (req, res) { res.json({hello: 'world', path: req.path}); };
