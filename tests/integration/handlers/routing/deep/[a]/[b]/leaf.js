module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ file: 'deep/[a]/[b]/leaf.js', params: req.params }));
};
