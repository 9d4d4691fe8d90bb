module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ file: 'catalog/[slug]/reviews.js', params: req.params }));
};
