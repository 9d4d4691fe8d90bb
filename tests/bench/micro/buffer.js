// Micro-benchmark group: Buffer encodings, TextEncoder/TextDecoder,
// atob/btoa, Buffer.concat/compare/equals/indexOf, and the per-request
// JavaScript the issue measured (map/filter/reduce, string +=). Each entry
// does one operation (see harness.js). Inputs are built once here.
'use strict';

function text(n) {
  var s = '';
  var words = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta'];
  for (var i = 0; s.length < n; i++) s += words[i % words.length] + (i % 7 === 0 ? '\n' : ' ');
  return s.slice(0, n);
}

var s100 = text(100), s1k = text(1024);
var u1k = text(1000) + '\u00e9\u20ac\ud83d\ude00';         // UTF-8 with 2-, 3- and 4-byte characters
var b1k = Buffer.from(s1k), bu1k = Buffer.from(u1k);
var bin1k = Buffer.alloc(1024);
for (var i = 0; i < bin1k.length; i++) bin1k[i] = (i * 73 + 11) & 255;
var b64url100 = Buffer.from(s100).toString('base64url');
var b64_1k = bin1k.toString('base64');
var hex1k = bin1k.toString('hex');
var latin1k = bin1k.toString('latin1');
var parts = [];
for (i = 0; i < 10; i++) parts.push(Buffer.from(text(100 + i)));
var b1kCopy = Buffer.from(b1k);
var needle = Buffer.from('theta delta');
var enc = new TextEncoder(), dec = new TextDecoder();
var objs = [];
for (i = 0; i < 100; i++) objs.push({ id: i, name: 'item' + i, price: i * 1.5, active: i % 3 !== 0 });

module.exports = {
  'Buffer.from(100 B, base64url).toString()': function () { return Buffer.from(b64url100, 'base64url').toString(); },
  'Buffer.from(1 KB, base64)': function () { return Buffer.from(b64_1k, 'base64'); },
  'buf.toString(base64) 1 KB': function () { return bin1k.toString('base64'); },
  'buf.toString(base64url) 1 KB': function () { return bin1k.toString('base64url'); },
  'Buffer.from(2 KB, hex)': function () { return Buffer.from(hex1k, 'hex'); },
  'buf.toString(hex) 1 KB': function () { return bin1k.toString('hex'); },
  'Buffer.from(1 KB, latin1)': function () { return Buffer.from(latin1k, 'latin1'); },
  'buf.toString(latin1) 1 KB': function () { return bin1k.toString('latin1'); },
  // The same calls on ASCII, which Duktape's strings hold as they are:
  // what is left of latin1's cost when there is nothing to convert.
  'Buffer.from(1 KB ASCII, latin1)': function () { return Buffer.from(s1k, 'latin1'); },
  'buf.toString(latin1) 1 KB ASCII': function () { return b1k.toString('latin1'); },
  'Buffer.from(1 KB ASCII, utf8)': function () { return Buffer.from(s1k); },
  'Buffer.from(1 KB non-ASCII, utf8)': function () { return Buffer.from(u1k); },
  'buf.toString() 1 KB ASCII': function () { return b1k.toString(); },
  'buf.toString() 1 KB non-ASCII': function () { return bu1k.toString(); },
  'Buffer.byteLength(1 KB non-ASCII)': function () { return Buffer.byteLength(u1k); },
  'TextEncoder.encode 1 KB': function () { return enc.encode(u1k); },
  'TextDecoder.decode 1 KB': function () { return dec.decode(bu1k); },
  'btoa 1 KB': function () { return btoa(latin1k); },
  'atob 1 KB': function () { return atob(b64_1k); },
  'Buffer.concat 10 x 100 B': function () { return Buffer.concat(parts); },
  'Buffer.compare 1 KB': function () { return Buffer.compare(b1k, b1kCopy); },
  'buf.equals 1 KB': function () { return b1k.equals(b1kCopy); },
  'buf.indexOf(11 B) in 1 KB': function () { return b1k.indexOf(needle); },
  'buf.indexOf(string) in 1 KB': function () { return b1k.indexOf('theta delta'); },
  'map/filter/reduce 100 objects': function () {
    return objs.map(function (o) { return { id: o.id, total: o.price * 2 }; })
      .filter(function (o) { return o.id % 2 === 0; })
      .reduce(function (acc, o) { return acc + o.total; }, 0);
  },
  'string += 100 times': function () {
    var s = '';
    for (var k = 0; k < 100; k++) s += 'item' + k + ',';
    return s;
  }
};
