module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ file: 'users/new.js', params: req.params }));
};
