module.exports = function (req, res) { throw new Error('response fixture throws'); };
