// jws: sign and verify JSON Web Signatures with HMAC, decode.
var jws = require('jws');
module.exports = function (req, res) {
    var sig = jws.sign({ header: { alg: 'HS512', typ: 'JWT' }, payload: { hello: 'world', n: 1 }, secret: 'k' });
    var dec = jws.decode(sig);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        sig: sig, valid: jws.verify(sig, 'HS512', 'k'), wrongKey: jws.verify(sig, 'HS512', 'x'),
        header: dec.header, payload: dec.payload, isValid: jws.isValid(sig), notValid: jws.isValid('a.b'),
        algorithms: jws.ALGORITHMS.length
    }));
};
