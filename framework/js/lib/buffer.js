// require('buffer'): the global Buffer (Duktape's, completed by the prelude)
// with the constants and helpers Node's module has around it.
'use strict';

var Buffer = global.Buffer;

// Duktape's lengths are 32-bit: a buffer or a string stops short of 2^31.
var kMaxLength = 0x7fffffff;
var kStringMaxLength = 0x7fffffff;

// SlowBuffer(size) is an uninitialised Buffer, as in Node (deprecated there).
function SlowBuffer(size) {
  return Buffer.allocUnsafe(size);
}

// True when the bytes are well-formed UTF-8 (no overlong forms, no
// surrogates, nothing past U+10FFFF).
function isUtf8(input) {
  var b = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  var i = 0, n = b.length;
  while (i < n) {
    var c = b[i], need, min;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return false;
    if (i + need >= n) return false;   // truncated sequence
    var cp = c & (0x3f >> need);
    for (var k = 1; k <= need; k++) {
      var d = b[i + k];
      if ((d & 0xc0) !== 0x80) return false;
      cp = cp * 64 + (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function isAscii(input) {
  var b = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  for (var i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
  return true;
}

// atob/btoa as in the web platform: Latin-1 strings <-> Base64 text.
function btoa(s) {
  s = String(s);
  for (var i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 255) {
      var e = new Error('Invalid character');
      e.name = 'InvalidCharacterError';
      throw e;
    }
  }
  return Buffer.from(s, 'latin1').toString('base64');
}

function atob(s) {
  s = String(s).replace(/[\t\n\f\r ]/g, '');
  if (s.length % 4 === 0) s = s.replace(/==?$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+\/]/.test(s)) {
    var e = new Error('The string to be decoded is not correctly encoded.');
    e.name = 'InvalidCharacterError';
    throw e;
  }
  return Buffer.from(s, 'base64').toString('latin1');
}

module.exports = {
  Buffer: Buffer,
  SlowBuffer: SlowBuffer,
  isUtf8: isUtf8,
  isAscii: isAscii,
  kMaxLength: kMaxLength,
  kStringMaxLength: kStringMaxLength,
  btoa: btoa,
  atob: atob,
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES: 50
};
