// answers from a timer after the handler returned
module.exports = function (req, res) {
  var ms = Number(req.query.ms) || 50;
  res.setHeader('X-Set-Before-Return', 'yes');
  setTimeout(function () {
    res.statusCode = 202;
    res.end('later ' + ms);
  }, ms);
};
