// HS256 JSON Web Tokens (RFC 7519) on require('crypto'), in plain ES5.
//
//   var jwt = require('_lib/jwt');      // or a relative path
//   var token = jwt.sign({ sub: 'ada' }, secret, { expiresIn: 3600 });
//   var claims = jwt.verify(token, secret);  // throws jwt.JwtError if bad
//
// sign() adds iat (and exp with expiresIn, in seconds). verify() accepts
// only alg HS256 (never "none"), compares signatures with
// crypto.timingSafeEqual, and checks exp and nbf (options.clockTolerance
// seconds of slack, options.now to pin the clock in seconds).
var crypto = require('crypto');

function JwtError(message) {
  this.name = 'JwtError';
  this.message = message;
  this.stack = (new Error(message)).stack;
}
JwtError.prototype = Object.create(Error.prototype);
JwtError.prototype.constructor = JwtError;

// base64url of the UTF-8 of JSON.stringify(value).
function encodePart(value) {
  return Buffer.from(new TextEncoder().encode(JSON.stringify(value))).toString('base64url');
}

function decodePart(part, what) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (e) {
    throw new JwtError('invalid token: ' + what + ' is not base64url JSON');
  }
}

function signature(input, secret) {
  return crypto.createHmac('sha256', secret).update(input).digest('base64url');
}

function nowSeconds(options) {
  return options.now !== undefined ? options.now : Math.floor(Date.now() / 1000);
}

exports.JwtError = JwtError;

// Returns the compact token for the claims in payload (a plain object).
exports.sign = function sign(payload, secret, options) {
  options = options || {};
  var claims = {};
  Object.keys(payload || {}).forEach(function (k) { claims[k] = payload[k]; });
  var now = nowSeconds(options);
  if (claims.iat === undefined && !options.noTimestamp) claims.iat = now;
  if (options.expiresIn !== undefined) claims.exp = now + options.expiresIn;
  var input = encodePart({ alg: 'HS256', typ: 'JWT' }) + '.' + encodePart(claims);
  return input + '.' + signature(input, secret);
};

// Returns the claims of a valid token; throws JwtError saying why not.
exports.verify = function verify(token, secret, options) {
  options = options || {};
  if (typeof token !== 'string') throw new JwtError('jwt must be a string');
  var parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[0] + parts[1])
      || !/^[A-Za-z0-9_-]*$/.test(parts[2])) {
    throw new JwtError('jwt malformed');
  }
  var header = decodePart(parts[0], 'header');
  if (!header || header.alg !== 'HS256') throw new JwtError('invalid algorithm');
  // Compare the base64url text, not the decoded bytes: no other spelling
  // of the same signature is accepted.
  var expected = Buffer.from(signature(parts[0] + '.' + parts[1], secret));
  var given = Buffer.from(parts[2]);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new JwtError('invalid signature');
  }
  var claims = decodePart(parts[1], 'payload');
  if (claims === null || typeof claims !== 'object') throw new JwtError('invalid payload');
  var now = nowSeconds(options), slack = options.clockTolerance || 0;
  if (typeof claims.exp === 'number' && now >= claims.exp + slack) throw new JwtError('jwt expired');
  if (typeof claims.nbf === 'number' && now < claims.nbf - slack) throw new JwtError('jwt not active');
  return claims;
};
