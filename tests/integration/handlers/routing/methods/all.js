module.exports = function (req, res) {
  res.end('all:' + req.method);
};
