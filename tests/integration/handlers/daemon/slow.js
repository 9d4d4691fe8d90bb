// Busy for ?ms= milliseconds (default 1500) -- there are no timers yet.
// Logs "slow start M" first (with the worker pid), so a test can tell
// which worker serves it.
module.exports = function (req, res) {
  var ms = Number(req.query.ms) || 1500;
  console.log('slow start ' + (req.query.m || ''));
  var t = Date.now();
  while (Date.now() - t < ms) {}
  res.end('slow done ' + (req.query.m || ''));
};
