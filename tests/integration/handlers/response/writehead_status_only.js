module.exports = function (req, res) {
  res.setHeader('X-Before', 'kept');
  res.writeHead(418);
  res.end('teapot');
};
