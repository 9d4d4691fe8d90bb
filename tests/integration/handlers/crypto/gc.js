// GET /gc?n=N: creates N Hash and N Hmac objects, updates them and drops
// them without digest(); their finalizers must free the OpenSSL state.
var crypto = require('crypto');

module.exports = function (req, res) {
  var n = parseInt(req.query.n || '1000', 10);
  for (var i = 0; i < n; i++) {
    crypto.createHash('sha512').update('abandoned ' + i);
    crypto.createHmac('sha256', 'key').update('abandoned ' + i);
  }
  Duktape.gc();
  res.json({ n: n });
};
