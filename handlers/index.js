// GET / : the endpoint the README's quick start answers.
module.exports = function (req, res) {
    res.json({ hello: 'world', path: req.path, method: req.method, id: req.id });
};
