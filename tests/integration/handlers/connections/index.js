module.exports = function (req, res) {
  res.end('ok');
};
