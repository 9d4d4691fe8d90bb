module.exports = function (req, res) {
  for (var i = 0; i < 200; i++) res.write('line ' + i + '\n');
  res.end();
};
