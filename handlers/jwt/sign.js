// POST /jwt/sign[?expiresIn=SECONDS] with a JSON object of claims:
// answers {"token": "<HS256 JWT>"} signed with the JWT_SECRET environment
// variable (pass it through with `env JWT_SECRET;` in eider.conf).
//
//   curl -d '{"sub":"ada"}' localhost:8080/jwt/sign?expiresIn=3600
//
// An example of _lib/jwt.js: it signs whatever claims it is sent. A real
// login endpoint checks credentials before it issues a token.
var jwt = require('../_lib/jwt');

exports.POST = function (req, res) {
  var secret = process.env.JWT_SECRET;
  if (!secret) return res.json({ error: 'JWT_SECRET is not set (eider.conf: env JWT_SECRET;)' }, 500);
  var claims = req.json();
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    return res.json({ error: 'the body must be a JSON object of claims' }, 400);
  }
  var options = {};
  if (req.query.expiresIn !== undefined) {
    options.expiresIn = parseInt(req.query.expiresIn, 10);
    if (isNaN(options.expiresIn)) return res.json({ error: 'expiresIn must be a number of seconds' }, 400);
  }
  res.json({ token: jwt.sign(claims, secret, options) });
};
