// jsonwebtoken: HS256 sign with a fixed iat, verify, decode, and the errors
// for a bad signature and an expired token.
var jwt = require('jsonwebtoken');
module.exports = function (req, res) {
    var secret = 'shhh-very-secret';
    var token = jwt.sign({ sub: 'ada', role: 'admin', iat: 1600000000 }, secret, { algorithm: 'HS256', expiresIn: '1h', issuer: 'eider' });
    var out = { token: token };
    var payload = jwt.verify(token, secret, { clockTimestamp: 1600000100 });
    out.payload = payload;
    out.decoded = jwt.decode(token, { complete: true }).header;
    try { jwt.verify(token, 'wrong', { clockTimestamp: 1600000100 }); } catch (e) { out.bad = [e.name, e.message]; }
    try { jwt.verify(token, secret, { clockTimestamp: 1700000000 }); } catch (e) { out.expired = [e.name, e.message, e.expiredAt.getTime()]; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
