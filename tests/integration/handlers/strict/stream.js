// Streams n lines with write() and end(): for answers evhttp does not
// chunk (HTTP/1.0, HEAD), whose end it detects from an empty output.
module.exports = function (req, res) {
  var n = Number(req.query.n || 3);
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  for (var i = 0; i < n; i++)
    res.write('line ' + i + '\n');
  res.end();
};
