module.exports = function (req, res) {
  res.end(req.headers.host + ' ' + req.path + ' ' + req.url);
};
