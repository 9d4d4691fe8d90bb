// req and res seen through objects that inherit from them, as wrappers
// made with Object.create do: during the call, and from a timer when the
// handler answers later.
module.exports = function (req, res) {
  var r = Object.create(req), s = Object.create(res);
  var now = { path: r.path, method: r.method };
  if (req.query.later) {
    setTimeout(function () { s.json({ now: now, later: { path: r.path } }); }, 20);
    return;
  }
  s.json({ now: now });
};
