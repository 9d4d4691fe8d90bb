// Busy-waits ?ms=N milliseconds (default 1500) inside the handler; logs
// "slow start N" first, so a test can tell the request is in the handler.
module.exports = function (req, res) {
  var ms = parseInt(req.query.ms || '1500', 10);
  console.log('slow start ' + ms);
  var end = Date.now() + ms;
  while (Date.now() < end) { /* spin */ }
  res.end('slow done ' + ms);
};
