// Globals a handler can rely on (timers are not checked here).
function safe(f) {
  try { return { v: f() }; } catch (e) { return { err: String(e) }; }
}
module.exports = function (req, res) {
  var out = {
    bufferHex: safe(function () { return Buffer.from('x').toString('hex'); }),
    bufferUtf8: safe(function () { return Buffer.from('h\u00e9', 'utf8').length; }),
    encoder: safe(function () {
      var u = new TextEncoder().encode('\u00e9');
      return [u.length, u[0], u[1]];
    }),
    decoder: safe(function () {
      return new TextDecoder().decode(new Uint8Array([0xe2, 0x9c, 0x93]));
    }),
    promise: safe(function () { return typeof Promise === 'function' && typeof Promise.resolve(1).then; }),
    map: safe(function () { var m = new Map(); m.set('a', 1); return m.get('a'); }),
    set: safe(function () { var s = new Set([1, 1, 2]); return s.size; }),
    console: safe(function () { return typeof console.log; })
  };
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
