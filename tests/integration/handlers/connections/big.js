// A 1 MiB answer (?kb= to change), made anew for every request.
module.exports = function (req, res) {
  var kb = Number(req.query.kb || 1024);
  res.end(new Array(kb + 1).join(new Array(1025).join('x')));
};
