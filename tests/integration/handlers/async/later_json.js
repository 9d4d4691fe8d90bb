// res.json from a timer, with a status
module.exports = function (req, res) {
  setTimeout(function () {
    res.json({ ok: true, path: req.path }, 201);
  }, 30);
};
