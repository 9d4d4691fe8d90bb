module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ file: 'things/[id].js', params: req.params }));
};
