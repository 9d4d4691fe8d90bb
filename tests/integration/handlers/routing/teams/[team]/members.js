module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ file: 'teams/[team]/members.js', params: req.params }));
};
