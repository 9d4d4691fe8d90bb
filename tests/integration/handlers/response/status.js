module.exports = function (req, res) {
  res.statusCode = 201;
  res.end('created');
};
