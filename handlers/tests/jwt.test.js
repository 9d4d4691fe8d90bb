// The HS256 tokens of handlers/_lib/jwt.js, run by `eider test`.
const test = require('node:test');
const assert = require('assert');
const jwt = require('../_lib/jwt.js');

const secret = 'test secret';

test('a signed token verifies and gives its claims back', () => {
  const claims = jwt.verify(jwt.sign({ sub: 'ada' }, secret), secret);
  assert.strictEqual(claims.sub, 'ada');
  assert.strictEqual(typeof claims.iat, 'number');
});

test('a token signed with another secret is refused', () => {
  const token = jwt.sign({ sub: 'ada' }, 'another secret');
  assert.throws(() => jwt.verify(token, secret), jwt.JwtError);
});

test('an expired token is refused', () => {
  const token = jwt.sign({ sub: 'ada' }, secret, { expiresIn: 60 });
  const later = Math.floor(Date.now() / 1000) + 3600;
  assert.throws(() => jwt.verify(token, secret, { now: later }), /expired/);
});

test('async: a token verifies after a turn of the loop', async () => {
  const token = jwt.sign({ sub: 'grace' }, secret);
  await new Promise((resolve) => setTimeout(resolve, 1));
  assert.strictEqual(jwt.verify(token, secret).sub, 'grace');
});
