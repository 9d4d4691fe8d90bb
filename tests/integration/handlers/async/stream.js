// chunked streaming from successive timers, then end()
module.exports = function (req, res) {
  var i = 0, n = Number(req.query.n) || 5, ms = Number(req.query.ms) || 100;
  res.setHeader('Content-Type', 'text/plain');
  function tick() {
    if (i < n) {
      res.write('part' + i + '\n');
      i++;
      setTimeout(tick, ms);
    } else {
      res.end('done\n');
    }
  }
  setTimeout(tick, 10);
};
