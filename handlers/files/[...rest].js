// GET /files/a/b/c.txt -> {"path":"a/b/c.txt"}: a catch-all segment gets
// the rest of the path in req.params.rest.
module.exports = function (req, res) {
    res.json({ path: req.params.rest });
};
