module.exports = function (req, res) { res.json({ error: 'nope' }, 418); };
