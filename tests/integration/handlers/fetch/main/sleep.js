// GET /sleep?ms=N: answers "slept N" after a timer (an upstream for fetch).
module.exports = function (req, res) {
  var ms = Number(req.query.ms || 200);
  setTimeout(function () { res.end('slept ' + ms); }, ms);
};
