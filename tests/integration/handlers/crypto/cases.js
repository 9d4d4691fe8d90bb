// GET /cases: runs each named case below and answers
// { name: {v: value} | {err: {name, message, code}} } for the test to check.
var crypto = require('crypto');

function hex(buf) {
  var s = '';
  for (var i = 0; i < buf.length; i++) s += ('0' + buf[i].toString(16)).slice(-2);
  return s;
}

var cases = {
  requireTwice: function () { return require('crypto') === crypto && require('node:crypto') === crypto; },
  upperCase: function () { return crypto.createHash('SHA256').update('abc').digest('hex'); },
  dashAlias: function () { return crypto.createHash('sha-256').update('abc').digest('hex'); },
  chainable: function () {
    var h = crypto.createHash('sha1');
    return h.update('a') === h && h.update('b').update('c') === h;
  },
  unknownHash: function () { return crypto.createHash('whirlpool-9000'); },
  unknownHmac: function () { return crypto.createHmac('nope', 'k'); },
  algNotString: function () { return crypto.createHash(42); },
  updateAfterDigest: function () {
    var h = crypto.createHash('md5');
    h.digest();
    return h.update('x');
  },
  digestTwice: function () {
    var h = crypto.createHash('md5');
    h.digest('hex');
    return h.digest('hex');
  },
  hmacDigestTwice: function () {
    var h = crypto.createHmac('sha256', 'k');
    h.digest();
    return h.digest();
  },
  badData: function () { return crypto.createHash('sha256').update(12); },
  badEncoding: function () { return crypto.createHash('sha256').update('a').digest('klingon'); },
  badEncodingKeepsState: function () {
    var h = crypto.createHash('sha256').update('abc');
    try { h.digest('klingon'); } catch (e) { /* the state survives */ }
    return h.digest('hex');
  },
  wrongThis: function () { return crypto.createHash('sha256').update.call({}, 'a'); },
  uint8Array: function () {
    return crypto.createHash('sha256').update(new Uint8Array([97, 98, 99])).digest('hex');
  },
  hexInput: function () { return crypto.createHash('sha256').update('616263', 'hex').digest('hex'); },
  base64Input: function () { return crypto.createHash('sha256').update('YWJj', 'base64').digest('hex'); },
  latin1Input: function () { return crypto.createHash('sha256').update('\u00e9', 'latin1').digest('hex'); },
  utf8Input: function () { return crypto.createHash('sha256').update('\u00e9').digest('hex'); },
  surrogatePair: function () { return crypto.createHash('sha256').update('\ud83d\ude00').digest('hex'); },
  loneSurrogate: function () { return crypto.createHash('sha256').update('a\ud800b').digest('hex'); },
  emptyDigest: function () { return crypto.createHash('sha256').digest('hex'); },
  copy: function () {
    var h = crypto.createHash('sha256').update('a');
    var c = h.copy();
    return [h.update('bc').digest('hex'), c.update('bc').digest('hex'), typeof crypto.createHmac('sha1', 'k').copy];
  },
  stringKey: function () { return crypto.createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'); },
  emptyKey: function () { return crypto.createHmac('sha256', '').update('abc').digest('hex'); },
  longKey: function () { return crypto.createHmac('sha256', new Array(202).join('k')).update('abc').digest('hex'); },
  badKey: function () { return crypto.createHmac('sha256', 5); },
  getHashes: function () { return crypto.getHashes(); },
  randomBytes: function () {
    var a = crypto.randomBytes(32), b = crypto.randomBytes(32);
    return [Buffer.isBuffer(a), a.length, hex(a) !== hex(b), crypto.randomBytes(0).length,
            crypto.randomBytes(65536).length];
  },
  randomBytesSample: function () { return hex(crypto.randomBytes(4096)); },
  randomBytesTooBig: function () { return crypto.randomBytes(65537); },
  randomBytesNegative: function () { return crypto.randomBytes(-1); },
  randomBytesFraction: function () { return crypto.randomBytes(1.5); },
  randomBytesNaN: function () { return crypto.randomBytes(NaN); },
  randomBytesString: function () { return crypto.randomBytes('8'); },
  randomUUIDs: function () {
    var out = [];
    for (var i = 0; i < 200; i++) out.push(crypto.randomUUID());
    return out;
  },
  getRandomValues: function () {
    var a = new Uint8Array(64), b = new Uint32Array(16);
    var same = crypto.getRandomValues(a) === a && crypto.webcrypto.getRandomValues(b) === b;
    var zeros = 0;
    for (var i = 0; i < 64; i++) if (a[i] === 0) zeros++;
    return { same: same, zeros: zeros, uuid: crypto.webcrypto.randomUUID().length };
  },
  randomFillSync: function () {
    var b = Buffer.alloc(32), r = crypto.randomFillSync(b, 8, 16), zeros = 0;
    for (var i = 0; i < 32; i++) if ((i < 8 || i >= 24) && b[i] !== 0) zeros = -99;
    for (i = 8; i < 24; i++) if (b[i] === 0) zeros++;
    return { same: r === b, zerosInside: zeros };
  },
  randomFillSyncPastEnd: function () { return crypto.randomFillSync(Buffer.alloc(4), 2, 3); },
  getRandomValuesTooBig: function () { return crypto.getRandomValues(new Uint8Array(65537)); },
  getRandomValuesString: function () { return crypto.getRandomValues('abc'); },
  timingSafeEqualSame: function () {
    return crypto.timingSafeEqual(Buffer.from('secret'), Buffer.from('secret'));
  },
  timingSafeEqualDiffers: function () {
    return crypto.timingSafeEqual(Buffer.from('secret'), Buffer.from('secreT'));
  },
  timingSafeEqualEmpty: function () { return crypto.timingSafeEqual(Buffer.alloc(0), new Uint8Array(0)); },
  timingSafeEqualTyped: function () {
    return crypto.timingSafeEqual(new Uint8Array([1, 2, 3, 4]), new Uint32Array([0x04030201]));
  },
  timingSafeEqualLength: function () { return crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')); },
  timingSafeEqualString: function () { return crypto.timingSafeEqual('a', 'a'); },
  hashOneShot: function () { return [crypto.hash('sha1', 'abc'), crypto.hash('sha1', 'abc', 'base64')]; }
};

module.exports = function (req, res) {
  var out = {};
  Object.keys(cases).forEach(function (name) {
    try {
      var v = cases[name]();
      out[name] = { v: v === undefined ? null : v };
    } catch (e) {
      out[name] = { err: { name: e.name, message: e.message, code: e.code || null } };
    }
  });
  res.json(out);
};
