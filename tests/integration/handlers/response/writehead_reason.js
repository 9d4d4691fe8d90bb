module.exports = function (req, res) {
  res.writeHead(203, 'Custom Reason', { 'X-B': '2' });
  res.end('r');
};
