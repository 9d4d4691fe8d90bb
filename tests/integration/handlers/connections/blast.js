// Writes ?mb= MiB in 64 KiB chunks at once, ignoring back-pressure.
module.exports = function (req, res) {
  var chunk = new Array(64 * 1024 + 1).join('y');
  for (var i = 0; i < Number(req.query.mb || 8) * 16; i++) res.write(chunk);
  res.end('\nend\n');
};
