// Length and SHA-256 of the request body.
var crypto = require('crypto');
module.exports = function (req, res) {
  var body = req.body === undefined ? Buffer.alloc(0) : req.body;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({
    length: body.length,
    sha256: crypto.createHash('sha256').update(body).digest('hex')
  }));
};
