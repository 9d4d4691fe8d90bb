module.exports = function (req, res) {
  res.statusCode = 204;
  res.end();
};
