// require('crypto') as a handler uses it: hashes and HMACs in hex and
// base64, random bytes of a length, timingSafeEqual, randomUUID's shape.
var crypto = require('crypto');

module.exports = function (req, res) {
    var out = {
        sha256: crypto.createHash('sha256').update('hello').update(' world').digest('hex'),
        md5: crypto.createHash('md5').update('x').digest('base64'),
        sha1: crypto.createHash('sha1').update(Buffer.from([1, 2, 3])).digest('hex'),
        hmac: crypto.createHmac('sha256', 'secret').update('message').digest('hex'),
        random: crypto.randomBytes(16).length,
        safe: [crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')),
               crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd'))]
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
