module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/octet-stream');
  res.write(Buffer.from([0, 1, 2]));
  res.write('\u00e9');
  res.end(Buffer.from([255]));
};
