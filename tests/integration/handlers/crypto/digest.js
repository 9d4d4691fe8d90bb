// POST /digest?alg=ALG[&key=HEX][&chunk=N][&json=1]
// Hashes the request body (or, with json=1, the string s of a JSON body
// {"s": ..., "enc": ...} passed to update(s, enc)) with createHash, or
// with createHmac when key (hex) is given; feeds it in chunks of N bytes
// if asked. Answers the digest in every output encoding.
var crypto = require('crypto');

function hex(buf) {
  var s = '';
  for (var i = 0; i < buf.length; i++) s += ('0' + buf[i].toString(16)).slice(-2);
  return s;
}

module.exports = function (req, res) {
  var q = req.query;
  var body = req.body || Buffer.alloc(0);
  var input = body, enc;
  if (q.json) {
    var j = req.json();
    input = j.s;
    enc = j.enc;
  }
  function make() {
    var h = q.key !== undefined ? crypto.createHmac(q.alg, Buffer.from(q.key, 'hex'))
                                : crypto.createHash(q.alg);
    var n = q.chunk ? parseInt(q.chunk, 10) : 0;
    if (!n || typeof input === 'string') return h.update(input, enc);
    for (var i = 0; i < input.length; i += n) h.update(input.slice(i, i + n));
    if (input.length === 0) h.update(input);
    return h;
  }
  var buf = make().digest();
  res.json({
    buffer: hex(buf),
    isBuffer: Buffer.isBuffer(buf),
    hex: make().digest('hex'),
    base64: make().digest('base64'),
    base64url: make().digest('base64url'),
    latin1: make().digest('latin1'),
    oneshot: q.key === undefined && !enc ? crypto.hash(q.alg, input) : null
  });
};
