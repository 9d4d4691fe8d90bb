module.exports = function (req, res) {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('h\u00e9llo \u2713');
};
