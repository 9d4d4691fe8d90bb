module.exports = function (req, res) {
  res.writeHead(202, { 'X-A': '1', 'Content-Type': 'text/plain' });
  res.end('accepted');
};
