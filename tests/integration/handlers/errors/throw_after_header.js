module.exports = function (req, res) {
  res.setHeader('X-Partial', 'yes');
  res.statusCode = 201;
  null.nothing();
};
