// Body of a Node.js http.createServer callback, unchanged.
module.exports = function (req, res) {
  res.statusCode = 201;
  res.setHeader('Content-Type', 'text/plain');
  res.write('a');
  res.write('b');
  res.end('c');
};
