// GET /jwt/verify with "Authorization: Bearer <token>" (or POST
// {"token": "..."}): 200 {"valid": true, "claims": {...}} for a token that
// _lib/jwt.js signed with JWT_SECRET (`env JWT_SECRET;` in eider.conf) and
// that has not expired; 401 {"valid": false, "error": "..."} otherwise.
//
//   curl -H "Authorization: Bearer $TOKEN" localhost:8080/jwt/verify
var jwt = require('../_lib/jwt');

function verify(req, res, token) {
  var secret = process.env.JWT_SECRET;
  if (!secret) return res.json({ error: 'JWT_SECRET is not set (eider.conf: env JWT_SECRET;)' }, 500);
  try {
    res.json({ valid: true, claims: jwt.verify(token, secret) });
  } catch (e) {
    if (!(e instanceof jwt.JwtError)) throw e;
    res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
    res.json({ valid: false, error: e.message }, 401);
  }
}

exports.GET = function (req, res) {
  var m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
  verify(req, res, m ? m[1] : '');
};

exports.POST = function (req, res) {
  var body = req.json();
  verify(req, res, body && body.token);
};
