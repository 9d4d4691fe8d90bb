module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ file: 'catalog/featured/today.js', params: req.params }));
};
