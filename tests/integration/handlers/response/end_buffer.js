module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/octet-stream');
  res.end(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]));
};
