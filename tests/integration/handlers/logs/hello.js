module.exports = function (req, res) {
  res.setHeader('Content-Type', 'text/plain');
  res.end('hello, world');
};
