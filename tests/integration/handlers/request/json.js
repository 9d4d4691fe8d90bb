module.exports = function (req, res) {
  var v = req.json();
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ type: Array.isArray(v) ? 'array' : typeof v, value: v }));
};
