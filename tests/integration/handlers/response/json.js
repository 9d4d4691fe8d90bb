module.exports = function (req, res) {
  res.json({ a: 1, b: [true, null, 'x'], s: '\u00e9' });
};
