exports.GET = function (req, res) {
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Handler', 'getonly');
  res.end('hello from GET');
};
