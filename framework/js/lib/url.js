// require('url'): the WHATWG URL and URLSearchParams (also globals), and
// Node's legacy url.parse/format/resolve, fileURLToPath, pathToFileURL.
// Ours: no Debian package has an ES5 WHATWG parser (lib/README.md).
'use strict';

var querystring = require('querystring');

// ---- percent-encoding -------------------------------------------------------

var HEX = '0123456789ABCDEF';

// Sets of ASCII characters to encode besides C0 controls, DEL and non-ASCII.
var FRAGMENT_SET = ' "<>`';
var QUERY_SET = ' "#<>';
var SPECIAL_QUERY_SET = ' "#<>\'';
var PATH_SET = ' "#<>?`{}';
var USERINFO_SET = ' "#<>?`{}/:;=@[\\]^|';

var encoder = null;

// The UTF-8 bytes of s (a lone surrogate becomes U+FFFD), as an array-like.
function utf8(s) {
  if (!encoder) encoder = new TextEncoder();
  return encoder.encode(s);
}

function pctByte(b) {
  return '%' + HEX.charAt(b >> 4) + HEX.charAt(b & 15);
}

function encodeSet(s, set) {
  var out = '';
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) out += pctByte(c);
    else if (c < 0x7f) out += set.indexOf(s.charAt(i)) >= 0 ? pctByte(c) : s.charAt(i);
    else {
      // A whole run of non-ASCII at once, so surrogate pairs stay together.
      var j = i;
      while (j < s.length && s.charCodeAt(j) > 0x7e) j++;
      var bytes = utf8(s.slice(i, j));
      for (var k = 0; k < bytes.length; k++) out += pctByte(bytes[k]);
      i = j - 1;
    }
  }
  return out;
}

function hexVal(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// Percent-decodes s to bytes and reads them as UTF-8 (bad bytes: U+FFFD).
function pctDecode(s) {
  if (s.indexOf('%') < 0) return s;
  var bytes = utf8(s), out = new Uint8Array(bytes.length), n = 0;
  for (var i = 0; i < bytes.length; i++) {
    var b = bytes[i];
    if (b === 37 && i + 2 < bytes.length) {
      var hi = hexVal(bytes[i + 1]), lo = hexVal(bytes[i + 2]);
      if (hi >= 0 && lo >= 0) { out[n++] = hi * 16 + lo; i += 2; continue; }
    }
    out[n++] = b;
  }
  return new TextDecoder().decode(out.subarray(0, n));
}

// ---- hosts --------------------------------------------------------------------

var SPECIAL = { 'ftp:': 21, 'file:': null, 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

function isSpecial(scheme) {
  return Object.prototype.hasOwnProperty.call(SPECIAL, scheme);
}

var FORBIDDEN_HOST = /[\u0000\t\n\r #\/:<>?@[\\\]^|]/;
var FORBIDDEN_DOMAIN = /[\u0000-\u001f\t\n\r #%\/:<>?@[\\\]^|\u007f]/;

// Punycode (RFC 3492) of one label, for non-ASCII domain names.
function punycode(label) {
  var cps = [], i, out = '', base = 36;
  for (i = 0; i < label.length; i++) {
    var c = label.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < label.length) {
      c = 0x10000 + ((c - 0xd800) << 10) + (label.charCodeAt(++i) - 0xdc00);
    }
    cps.push(c);
  }
  for (i = 0; i < cps.length; i++) if (cps[i] < 0x80) out += String.fromCharCode(cps[i]);
  var b = out.length, h = b, n = 128, delta = 0, bias = 72;
  if (b > 0) out += '-';
  function digit(d) { return String.fromCharCode(d < 26 ? d + 97 : d + 22); }
  function adapt(d, count, first) {
    var k = 0;
    d = first ? Math.floor(d / 700) : d >> 1;
    d += Math.floor(d / count);
    while (d > 455) { d = Math.floor(d / 35); k += base; }
    return k + Math.floor(36 * d / (d + 38));
  }
  while (h < cps.length) {
    var m = 0x7fffffff;
    for (i = 0; i < cps.length; i++) if (cps[i] >= n && cps[i] < m) m = cps[i];
    delta += (m - n) * (h + 1);
    n = m;
    for (i = 0; i < cps.length; i++) {
      if (cps[i] < n) delta++;
      if (cps[i] === n) {
        var q = delta;
        for (var k = base; ; k += base) {
          var t = k <= bias ? 1 : (k >= bias + 26 ? 26 : k - bias);
          if (q < t) break;
          out += digit(t + (q - t) % (base - t));
          q = Math.floor((q - t) / (base - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === b);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return 'xn--' + out;
}

function domainToASCII(domain) {
  // IDNA mapping, reduced to what matters for real names: case, the ideographic
  // full stops, then Punycode for labels with non-ASCII characters.
  var labels = domain.toLowerCase().split(/[.\u3002\uff0e\uff61]/);
  for (var i = 0; i < labels.length; i++) {
    if (/[^\u0000-\u007f]/.test(labels[i])) {
      if (labels[i].slice(0, 4) === 'xn--') return null;   // not Punycode: invalid
      labels[i] = punycode(labels[i].normalize ? labels[i].normalize('NFC') : labels[i]);
    }
  }
  return labels.join('.');
}

// The IPv4 number of a host whose last label is a number, null if it is
// not one, or undefined when it is an invalid one (a failure).
function parseIPv4(host) {
  var parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  var last = parts[parts.length - 1];
  if (!/^(0[xX][0-9a-fA-F]*|[0-9]+)$/.test(last)) return null;
  if (parts.length > 4) return undefined;
  var nums = [];
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i], r = 10;
    if (p === '') return undefined;
    if (/^0[xX]/.test(p)) { p = p.slice(2); r = 16; if (p === '') { nums.push(0); continue; } }
    else if (p.length > 1 && p.charAt(0) === '0') { p = p.slice(1); r = 8; }
    var re = r === 16 ? /^[0-9a-fA-F]+$/ : r === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    if (!re.test(p)) return undefined;
    nums.push(parseInt(p, r));
  }
  for (i = 0; i < nums.length - 1; i++) if (nums[i] > 255) return undefined;
  if (nums[nums.length - 1] >= Math.pow(256, 5 - nums.length)) return undefined;
  var ipv4 = nums[nums.length - 1];
  for (i = 0; i < nums.length - 1; i++) ipv4 += nums[i] * Math.pow(256, 3 - i);
  var out = [];
  for (i = 0; i < 4; i++) { out.unshift(String(ipv4 % 256)); ipv4 = Math.floor(ipv4 / 256); }
  return out.join('.');
}

// The 8 pieces of an IPv6 address (without brackets), or null.
function parseIPv6(s) {
  var pieces = [0, 0, 0, 0, 0, 0, 0, 0], idx = 0, compress = -1, i = 0;
  if (s.charAt(0) === ':') {
    if (s.charAt(1) !== ':') return null;
    i = 2;
    compress = ++idx;
  }
  while (i < s.length) {
    if (idx === 8) return null;
    if (s.charAt(i) === ':') {
      if (compress >= 0) return null;
      i++;
      compress = ++idx;
      continue;
    }
    var value = 0, len = 0;
    while (len < 4 && i < s.length && hexVal(s.charCodeAt(i)) >= 0) {
      value = value * 16 + hexVal(s.charCodeAt(i));
      i++;
      len++;
    }
    if (s.charAt(i) === '.') {
      if (len === 0 || idx > 6) return null;
      i -= len;
      var v4 = s.slice(i).split('.');
      if (v4.length !== 4) return null;
      for (var k = 0; k < 4; k++) {
        if (!/^(0|[1-9][0-9]{0,2})$/.test(v4[k]) || +v4[k] > 255) return null;
      }
      pieces[idx++] = +v4[0] * 256 + +v4[1];
      pieces[idx++] = +v4[2] * 256 + +v4[3];
      i = s.length;
      break;
    }
    if (s.charAt(i) === ':') {
      i++;
      if (i === s.length) return null;
    } else if (i < s.length) return null;
    pieces[idx++] = value;
  }
  if (compress >= 0) {
    var swaps = idx - compress;
    idx = 7;
    while (idx !== 0 && swaps > 0) {
      var tmp = pieces[compress + swaps - 1];
      pieces[compress + swaps - 1] = pieces[idx];
      pieces[idx] = tmp;
      idx--;
      swaps--;
    }
  } else if (idx !== 8) return null;
  return pieces;
}

function serializeIPv6(pieces) {
  // The first longest run of two or more zero pieces becomes "::".
  var best = -1, bestLen = 1, i;
  for (i = 0; i < 8; i++) {
    if (pieces[i] !== 0) continue;
    var j = i;
    while (j < 8 && pieces[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  var out = '';
  for (i = 0; i < 8; i++) {
    if (i === best) { out += i === 0 ? '::' : ':'; i += bestLen - 1; continue; }
    out += pieces[i].toString(16) + (i < 7 ? ':' : '');
  }
  return '[' + out + ']';
}

// The serialized host of input, or null on failure.
function parseHost(input, special) {
  if (input.charAt(0) === '[') {
    if (input.charAt(input.length - 1) !== ']') return null;
    var v6 = parseIPv6(input.slice(1, -1));
    return v6 ? serializeIPv6(v6) : null;
  }
  if (!special) {
    if (FORBIDDEN_HOST.test(input)) return null;
    return encodeSet(input, '');
  }
  var domain = domainToASCII(pctDecode(input));
  if (domain === null || domain === '' || FORBIDDEN_DOMAIN.test(domain)) return null;
  var v4 = parseIPv4(domain);
  if (v4 === undefined) return null;
  return v4 === null ? domain : v4;
}

// ---- the parser ---------------------------------------------------------------

// The record behind a URL: scheme ("http:"), username, password, host
// (null or serialized), port (null or number), path (array of segments, or
// a string when opaque), query and fragment (null or encoded text).
function Record() {
  this.scheme = '';
  this.username = '';
  this.password = '';
  this.host = null;
  this.port = null;
  this.path = [];
  this.query = null;
  this.fragment = null;
}

function copyRecord(r) {
  var c = new Record();
  for (var k in r) if (Object.prototype.hasOwnProperty.call(r, k)) c[k] = r[k];
  c.path = typeof r.path === 'string' ? r.path : r.path.slice();
  return c;
}

function isSingleDot(s) { return s === '.' || s.toLowerCase() === '%2e'; }
function isDoubleDot(s) {
  s = s.toLowerCase();
  return s === '..' || s === '.%2e' || s === '%2e.' || s === '%2e%2e';
}
function isDriveLetter(s, normalizedOnly) {
  return s.length === 2 && /[a-zA-Z]/.test(s.charAt(0)) &&
    (s.charAt(1) === ':' || (!normalizedOnly && s.charAt(1) === '|'));
}

// Appends the segments of the path text s to record r.
function parsePath(r, s) {
  var special = isSpecial(r.scheme);
  var segs = special ? s.split(/[\/\\]/) : s.split('/');
  for (var i = 0; i < segs.length; i++) {
    var seg = segs[i], last = i === segs.length - 1;
    if (isDoubleDot(seg)) {
      if (r.path.length && !(r.scheme === 'file:' && r.path.length === 1 && isDriveLetter(r.path[0], true))) r.path.pop();
      if (last) r.path.push('');
    } else if (isSingleDot(seg)) {
      if (last) r.path.push('');
    } else {
      if (r.scheme === 'file:' && r.path.length === 0 && isDriveLetter(seg)) seg = seg.charAt(0) + ':';
      r.path.push(encodeSet(seg, PATH_SET));
    }
  }
}

// Splits "rest" into path text, query and fragment, and sets them on r.
function parseTail(r, rest, keepPath) {
  var h = rest.indexOf('#');
  if (h >= 0) {
    r.fragment = encodeSet(rest.slice(h + 1), FRAGMENT_SET);
    rest = rest.slice(0, h);
  } else {
    r.fragment = null;
  }
  var q = rest.indexOf('?');
  if (q >= 0) {
    r.query = encodeSet(rest.slice(q + 1), isSpecial(r.scheme) ? SPECIAL_QUERY_SET : QUERY_SET);
    rest = rest.slice(0, q);
  } else if (!keepPath) {
    r.query = null;
  }
  return rest;
}

// Sets userinfo, host and port of r from an authority; false on failure.
function parseAuthority(r, auth) {
  var at = auth.lastIndexOf('@');
  if (at >= 0) {
    var info = auth.slice(0, at), colon = info.indexOf(':');
    r.username = encodeSet(colon >= 0 ? info.slice(0, colon) : info, USERINFO_SET);
    r.password = colon >= 0 ? encodeSet(info.slice(colon + 1), USERINFO_SET) : '';
    auth = auth.slice(at + 1);
  }
  return parseHostPort(r, auth, false);
}

function parseHostPort(r, hp, hostOnly) {
  var special = isSpecial(r.scheme), port = null, end = hp.length;
  var bracket = hp.lastIndexOf(']'), colon = hp.lastIndexOf(':');
  if (colon > bracket) {
    if (hostOnly) return false;
    port = hp.slice(colon + 1);
    hp = hp.slice(0, colon);
    end = colon;
  }
  if (hp === '') {
    if (special && r.scheme !== 'file:') return false;
    if (port) return false;
  }
  var host = hp === '' ? '' : parseHost(hp, special);
  if (host === null) return false;
  if (r.scheme === 'file:' && host === 'localhost') host = '';
  if (port !== null && port !== '') {
    if (!/^[0-9]+$/.test(port) || +port > 65535) return false;
    port = +port;
    if (SPECIAL[r.scheme] === port) port = null;
  } else {
    port = null;
  }
  r.host = host;
  if (!hostOnly) r.port = port;
  return end >= 0;
}

var SCHEME = /^([a-zA-Z][a-zA-Z0-9+\-.]*):/;

// Parses input against base (a Record or null); a Record, or null.
function parse(input, base) {
  input = String(input).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  var r = new Record(), m = SCHEME.exec(input), rest;
  if (m) {
    r.scheme = m[1].toLowerCase() + ':';
    rest = input.slice(m[0].length);
  } else {
    if (!base) return null;
    if (typeof base.path === 'string') {
      if (input.charAt(0) !== '#') return null;
      r = copyRecord(base);
      r.fragment = encodeSet(input.slice(1), FRAGMENT_SET);
      return r;
    }
    return parseRelative(r, input, base);
  }
  var special = isSpecial(r.scheme);
  if (r.scheme === 'file:') return parseFile(r, rest, base && base.scheme === 'file:' ? base : null);
  if (special) {
    if (base && base.scheme === r.scheme && !/^[\/\\]/.test(rest)) return parseRelative(r, rest, base);
    rest = rest.replace(/^[\/\\]+/, '');
    return parseAfterSlashes(r, rest);
  }
  if (rest.slice(0, 2) === '//') return parseAfterSlashes(r, rest.slice(2));
  if (rest.charAt(0) === '/') {
    rest = parseTail(r, rest);
    parsePath(r, rest.slice(1));
    return r;
  }
  // An opaque path: mailto:, data:, javascript: ...
  rest = parseTail(r, rest);
  r.path = encodeSet(rest, '');
  return r;
}

function parseAfterSlashes(r, rest) {
  var special = isSpecial(r.scheme);
  var end = rest.search(special ? /[\/\\?#]/ : /[\/?#]/);
  if (end < 0) end = rest.length;
  if (!parseAuthority(r, rest.slice(0, end))) return null;
  rest = parseTail(r, rest.slice(end));
  // The path text after its first slash; a special URL always has a path.
  if (rest !== '' || special) parsePath(r, rest.replace(special ? /^[\/\\]/ : /^\//, ''));
  return r;
}

function parseRelative(r, input, base) {
  r.scheme = base.scheme;
  var special = isSpecial(r.scheme);
  if (r.scheme === 'file:') return parseFile(r, input, base);
  var slash = special ? /^[\/\\]/ : /^\//;
  if (slash.test(input) && slash.test(input.slice(1))) return parseAfterSlashes(r, input.slice(2));
  r.username = base.username;
  r.password = base.password;
  r.host = base.host;
  r.port = base.port;
  if (slash.test(input)) {
    input = parseTail(r, input);
    parsePath(r, input.slice(1));
    return r;
  }
  r.path = base.path.slice();
  r.query = base.query;
  if (input === '') {
    r.fragment = null;
    return r;
  }
  if (input.charAt(0) === '#') {
    r.fragment = encodeSet(input.slice(1), FRAGMENT_SET);
    return r;
  }
  if (input.charAt(0) === '?') {
    parseTail(r, input);
    return r;
  }
  input = parseTail(r, input);
  r.path.pop();
  parsePath(r, input);
  return r;
}

function parseFile(r, rest, base) {
  r.host = '';
  if (/^[\/\\]{2}/.test(rest)) {
    rest = rest.slice(2);
    var end = rest.search(/[\/\\?#]/);
    if (end < 0) end = rest.length;
    var host = rest.slice(0, end);
    if (isDriveLetter(host)) {
      end = 0;
    } else if (host !== '') {
      var h = parseHost(host, true);
      if (h === null) return null;
      r.host = h === 'localhost' ? '' : h;
    }
    rest = parseTail(r, rest.slice(end));
    parsePath(r, rest.replace(/^[\/\\]/, ''));
    return r;
  }
  if (/^[\/\\]/.test(rest)) {
    if (base) r.host = base.host;
    rest = parseTail(r, rest);
    parsePath(r, rest.slice(1));
    return r;
  }
  if (base) {
    r.host = base.host;
    r.path = base.path.slice();
    r.query = base.query;
    if (rest === '') { r.fragment = null; return r; }
    if (rest.charAt(0) === '#') { r.fragment = encodeSet(rest.slice(1), FRAGMENT_SET); return r; }
    if (rest.charAt(0) === '?') { parseTail(r, rest); return r; }
    rest = parseTail(r, rest);
    r.path.pop();
    parsePath(r, rest);
    return r;
  }
  rest = parseTail(r, rest);
  parsePath(r, rest);
  return r;
}

function serializePath(r) {
  if (typeof r.path === 'string') return r.path;
  var p = '';
  for (var i = 0; i < r.path.length; i++) p += '/' + r.path[i];
  return p;
}

function serialize(r, noFragment) {
  var out = r.scheme;
  if (r.host !== null) {
    out += '//';
    if (r.username !== '' || r.password !== '') {
      out += r.username + (r.password !== '' ? ':' + r.password : '') + '@';
    }
    out += r.host + (r.port !== null ? ':' + r.port : '');
  } else if (typeof r.path !== 'string' && r.path.length > 1 && r.path[0] === '') {
    out += '/.';
  }
  out += serializePath(r);
  if (r.query !== null) out += '?' + r.query;
  if (!noFragment && r.fragment !== null) out += '#' + r.fragment;
  return out;
}

// ---- URL ------------------------------------------------------------------------

var RECORD = Symbol('url record');
var PARAMS = Symbol('url searchParams');
var LIST = Symbol('params list');
var OWNER = Symbol('params url');

function invalid(input) {
  var e = new TypeError('Invalid URL');
  e.code = 'ERR_INVALID_URL';
  e.input = input;
  return e;
}

function URL(input, base) {
  if (!(this instanceof URL)) throw new TypeError("Class constructor URL cannot be invoked without 'new'");
  var b = null;
  if (arguments.length > 1 && base !== undefined) {
    b = parse(String(base), null);
    if (!b) throw invalid(String(base));
  }
  var r = parse(String(input), b);
  if (!r) throw invalid(String(input));
  Object.defineProperty(this, RECORD, { value: r, writable: true });
}

URL.canParse = function (input, base) {
  try {
    return !!new URL(input, base);
  } catch (e) {
    return false;
  }
};

function rec(u) {
  var r = u[RECORD];
  if (!r) throw new TypeError('Value of "this" must be of type URL');
  return r;
}

// Keeps url.searchParams in step after the query changed.
function syncParams(u) {
  var p = u[PARAMS];
  if (p) p[LIST] = parsePairs(rec(u).query || '');
}

function cannotHaveCredentials(r) {
  return r.host === null || r.host === '' || r.scheme === 'file:';
}

var accessors = {
  href: {
    get: function () { return serialize(rec(this)); },
    set: function (v) {
      var r = parse(String(v), null);
      if (!r) throw invalid(String(v));
      this[RECORD] = r;
      syncParams(this);
    }
  },
  origin: {
    get: function () {
      var r = rec(this);
      if (r.scheme === 'blob:' && typeof r.path === 'string') {
        try { return new URL(r.path).origin; } catch (e) { return 'null'; }
      }
      if (!isSpecial(r.scheme) || r.scheme === 'file:') return 'null';
      return r.scheme + '//' + r.host + (r.port !== null ? ':' + r.port : '');
    }
  },
  protocol: {
    get: function () { return rec(this).scheme; },
    set: function (v) {
      var r = rec(this), m = /^([a-zA-Z][a-zA-Z0-9+\-.]*)(:|$)/.exec(String(v));
      if (!m) return;
      var scheme = m[1].toLowerCase() + ':';
      if (isSpecial(scheme) !== isSpecial(r.scheme)) return;
      if (scheme === 'file:' && (r.username || r.password || r.port !== null)) return;
      if (r.scheme === 'file:' && r.host === '') return;
      r.scheme = scheme;
      if (SPECIAL[scheme] === r.port) r.port = null;
    }
  },
  username: {
    get: function () { return rec(this).username; },
    set: function (v) {
      var r = rec(this);
      if (!cannotHaveCredentials(r)) r.username = encodeSet(String(v), USERINFO_SET);
    }
  },
  password: {
    get: function () { return rec(this).password; },
    set: function (v) {
      var r = rec(this);
      if (!cannotHaveCredentials(r)) r.password = encodeSet(String(v), USERINFO_SET);
    }
  },
  host: {
    get: function () {
      var r = rec(this);
      if (r.host === null) return '';
      return r.host + (r.port !== null ? ':' + r.port : '');
    },
    set: function (v) {
      var r = rec(this);
      if (typeof r.path === 'string') return;
      var c = copyRecord(r), s = String(v).split(/[\/?#\\]/)[0];
      if (s === '' && isSpecial(r.scheme) && r.scheme !== 'file:') return;
      var bracket = s.lastIndexOf(']'), colon = s.lastIndexOf(':');
      if (colon > bracket) {
        var port = s.slice(colon + 1).match(/^[0-9]*/)[0];
        if (!parseHostPort(c, s.slice(0, colon), true)) return;
        r.host = c.host;
        if (port !== '' && r.scheme !== 'file:') {
          if (+port > 65535) return;
          r.port = SPECIAL[r.scheme] === +port ? null : +port;
        }
      } else if (parseHostPort(c, s, true)) {
        r.host = c.host;
      }
    }
  },
  hostname: {
    get: function () { var h = rec(this).host; return h === null ? '' : h; },
    set: function (v) {
      var r = rec(this);
      if (typeof r.path === 'string') return;
      var c = copyRecord(r), s = String(v).split(/[\/?#\\]/)[0];
      if (s === '' && isSpecial(r.scheme) && r.scheme !== 'file:') return;
      if (s.lastIndexOf(':') > s.lastIndexOf(']')) return;
      if (parseHostPort(c, s, true)) r.host = c.host;
    }
  },
  port: {
    get: function () { var p = rec(this).port; return p === null ? '' : String(p); },
    set: function (v) {
      var r = rec(this);
      if (cannotHaveCredentials(r)) return;
      v = String(v);
      if (v === '') { r.port = null; return; }
      var digits = v.match(/^[0-9]*/)[0];
      if (digits === '' || +digits > 65535) return;
      r.port = SPECIAL[r.scheme] === +digits ? null : +digits;
    }
  },
  pathname: {
    get: function () { return serializePath(rec(this)); },
    set: function (v) {
      var r = rec(this);
      if (typeof r.path === 'string') return;
      r.path = [];
      v = String(v);
      var special = isSpecial(r.scheme);
      if (special ? /^[\/\\]/.test(v) : v.charAt(0) === '/') v = v.slice(1);
      else if (!special && v === '') return;
      parsePath(r, v);
    }
  },
  search: {
    get: function () { var q = rec(this).query; return q === null || q === '' ? '' : '?' + q; },
    set: function (v) {
      var r = rec(this);
      v = String(v);
      if (v === '') r.query = null;
      else {
        if (v.charAt(0) === '?') v = v.slice(1);
        r.query = encodeSet(v, isSpecial(r.scheme) ? SPECIAL_QUERY_SET : QUERY_SET);
      }
      syncParams(this);
    }
  },
  hash: {
    get: function () { var f = rec(this).fragment; return f === null || f === '' ? '' : '#' + f; },
    set: function (v) {
      var r = rec(this);
      v = String(v);
      if (v === '') { r.fragment = null; return; }
      if (v.charAt(0) === '#') v = v.slice(1);
      r.fragment = encodeSet(v, FRAGMENT_SET);
    }
  },
  searchParams: {
    get: function () {
      var p = this[PARAMS];
      if (!p) {
        p = new URLSearchParams(rec(this).query || '');
        Object.defineProperty(p, OWNER, { value: this });
        Object.defineProperty(this, PARAMS, { value: p });
      }
      return p;
    }
  }
};
Object.keys(accessors).forEach(function (k) {
  accessors[k].enumerable = true;
  accessors[k].configurable = true;
});
Object.defineProperties(URL.prototype, accessors);

URL.prototype.toString = function () { return serialize(rec(this)); };
URL.prototype.toJSON = function () { return serialize(rec(this)); };
if (typeof Symbol.toStringTag === 'symbol') {
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
}

// ---- URLSearchParams --------------------------------------------------------------

// application/x-www-form-urlencoded: pairs of decoded [name, value].
function parsePairs(s) {
  var list = [];
  if (s === '') return list;
  var parts = s.split('&');
  for (var i = 0; i < parts.length; i++) {
    if (parts[i] === '') continue;
    var x = parts[i].replace(/\+/g, ' '), eq = x.indexOf('=');
    list.push(eq >= 0 ? [pctDecode(x.slice(0, eq)), pctDecode(x.slice(eq + 1))] : [pctDecode(x), '']);
  }
  return list;
}

// The form encoding: only * - . _ and alphanumerics stay, space is '+'.
function formEncode(s) {
  var out = '';
  for (var i = 0; i < s.length; i++) {
    var ch = s.charAt(i), c = s.charCodeAt(i);
    if (/[A-Za-z0-9*\-._]/.test(ch)) out += ch;
    else if (c === 32) out += '+';
    else if (c < 0x80) out += pctByte(c);
    else {
      var j = i;
      while (j < s.length && s.charCodeAt(j) >= 0x80) j++;
      var bytes = utf8(s.slice(i, j));
      for (var k = 0; k < bytes.length; k++) out += pctByte(bytes[k]);
      i = j - 1;
    }
  }
  return out;
}

function toUSVString(v) {
  return String(v).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g,
    function (m) { return m.length === 2 ? m.charAt(0) + '\ufffd' : '\ufffd'; });
}

function URLSearchParams(init) {
  if (!(this instanceof URLSearchParams)) {
    throw new TypeError("Class constructor URLSearchParams cannot be invoked without 'new'");
  }
  var list = [];
  if (init === undefined || init === null) {
    list = [];
  } else if (typeof init === 'object' || typeof init === 'function') {
    var iter = typeof Symbol.iterator === 'symbol' ? init[Symbol.iterator] : undefined;
    if (init instanceof URLSearchParams) {
      list = init[LIST].map(function (p) { return [p[0], p[1]]; });
    } else if (Array.isArray(init) || typeof iter === 'function') {
      Array.from(init).forEach(function (pair) {
        if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function')) {
          throw new TypeError('Each query pair must be an iterable [name, value] tuple');
        }
        pair = Array.from(pair);
        if (pair.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
        list.push([toUSVString(pair[0]), toUSVString(pair[1])]);
      });
    } else {
      Object.keys(init).forEach(function (k) { list.push([toUSVString(k), toUSVString(init[k])]); });
    }
  } else {
    var s = toUSVString(init);
    list = parsePairs(s.charAt(0) === '?' ? s.slice(1) : s);
  }
  Object.defineProperty(this, LIST, { value: list, writable: true });
}

function plist(p) {
  var l = p[LIST];
  if (!l) throw new TypeError('Value of "this" must be of type URLSearchParams');
  return l;
}

// After a change: the owning URL's query is the new serialization.
function update(p) {
  var u = p[OWNER];
  if (!u) return;
  var s = p.toString();
  rec(u).query = s === '' ? null : s;
}

URLSearchParams.prototype.append = function (name, value) {
  if (arguments.length < 2) throw new TypeError('The "name" and "value" arguments must be specified');
  plist(this).push([toUSVString(name), toUSVString(value)]);
  update(this);
};

URLSearchParams.prototype['delete'] = function (name, value) {
  name = toUSVString(name);
  var hasValue = arguments.length > 1 && value !== undefined;
  if (hasValue) value = toUSVString(value);
  this[LIST] = plist(this).filter(function (p) {
    return !(p[0] === name && (!hasValue || p[1] === value));
  });
  update(this);
};

URLSearchParams.prototype.get = function (name) {
  name = toUSVString(name);
  var l = plist(this);
  for (var i = 0; i < l.length; i++) if (l[i][0] === name) return l[i][1];
  return null;
};

URLSearchParams.prototype.getAll = function (name) {
  name = toUSVString(name);
  return plist(this).filter(function (p) { return p[0] === name; }).map(function (p) { return p[1]; });
};

URLSearchParams.prototype.has = function (name, value) {
  name = toUSVString(name);
  var hasValue = arguments.length > 1 && value !== undefined;
  if (hasValue) value = toUSVString(value);
  return plist(this).some(function (p) { return p[0] === name && (!hasValue || p[1] === value); });
};

URLSearchParams.prototype.set = function (name, value) {
  if (arguments.length < 2) throw new TypeError('The "name" and "value" arguments must be specified');
  name = toUSVString(name);
  value = toUSVString(value);
  var l = plist(this), out = [], found = false;
  for (var i = 0; i < l.length; i++) {
    if (l[i][0] !== name) out.push(l[i]);
    else if (!found) { found = true; out.push([name, value]); }
  }
  if (!found) out.push([name, value]);
  this[LIST] = out;
  update(this);
};

URLSearchParams.prototype.sort = function () {
  // Stable, by UTF-16 code units of the names.
  var l = plist(this).map(function (p, i) { return [p, i]; });
  l.sort(function (a, b) {
    if (a[0][0] < b[0][0]) return -1;
    if (a[0][0] > b[0][0]) return 1;
    return a[1] - b[1];
  });
  this[LIST] = l.map(function (x) { return x[0]; });
  update(this);
};

URLSearchParams.prototype.forEach = function (fn, thisArg) {
  if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
  // Live, as in Node: a callback that appends sees the new pairs.
  for (var i = 0; i < plist(this).length; i++) {
    var p = this[LIST][i];
    fn.call(thisArg, p[1], p[0], this);
  }
};

URLSearchParams.prototype.toString = function () {
  return plist(this).map(function (p) { return formEncode(p[0]) + '=' + formEncode(p[1]); }).join('&');
};

function ParamsIterator(params, kind) {
  this.params = params;
  this.kind = kind;
  this.index = 0;
}
ParamsIterator.prototype.next = function () {
  var l = this.params[LIST];
  if (this.index >= l.length) return { value: undefined, done: true };
  var p = l[this.index++];
  return { value: this.kind === 'key' ? p[0] : this.kind === 'value' ? p[1] : [p[0], p[1]], done: false };
};
if (typeof Symbol.iterator === 'symbol') {
  ParamsIterator.prototype[Symbol.iterator] = function () { return this; };
}
if (typeof Symbol.toStringTag === 'symbol') {
  Object.defineProperty(ParamsIterator.prototype, Symbol.toStringTag, { value: 'URLSearchParams Iterator' });
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams', configurable: true });
}

URLSearchParams.prototype.entries = function () { plist(this); return new ParamsIterator(this, 'entry'); };
URLSearchParams.prototype.keys = function () { plist(this); return new ParamsIterator(this, 'key'); };
URLSearchParams.prototype.values = function () { plist(this); return new ParamsIterator(this, 'value'); };
if (typeof Symbol.iterator === 'symbol') {
  URLSearchParams.prototype[Symbol.iterator] = URLSearchParams.prototype.entries;
}
Object.defineProperty(URLSearchParams.prototype, 'size', {
  get: function () { return plist(this).length; },
  enumerable: true,
  configurable: true
});
['append', 'delete', 'get', 'getAll', 'has', 'set', 'sort', 'forEach', 'toString',
  'entries', 'keys', 'values'].forEach(function (k) {
  Object.defineProperty(URLSearchParams.prototype, k, { enumerable: true });
});
Object.defineProperty(URL.prototype, 'toString', { enumerable: true });
Object.defineProperty(URL.prototype, 'toJSON', { enumerable: true });

// ---- legacy API -------------------------------------------------------------------

var SLASHED = { 'http:': 1, 'https:': 1, 'ftp:': 1, 'gopher:': 1, 'file:': 1, 'ws:': 1, 'wss:': 1 };
var HOSTLESS = { 'javascript:': 1 };
var UNSAFE = { 'javascript:': 1 };
var AUTO_ESCAPE = /[\t\n\r "'<>\\^`{|}]/g;

function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

function decodeAuth(s) {
  try { return decodeURIComponent(s); } catch (e) { return s; }
}

// Node's url.parse(), the legacy parser: no validation, the parts as written.
function urlParse(url, parseQueryString, slashesDenoteHost) {
  if (url instanceof Url) return url;
  if (typeof url !== 'string') {
    var e = new TypeError('The "url" argument must be of type string. Received ' + typeof url);
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  var u = new Url();
  var rest = url.trim();
  // Backslashes before the query are slashes, as browsers have them.
  var qpos = rest.search(/[?#]/);
  if (qpos < 0) qpos = rest.length;
  rest = rest.slice(0, qpos).replace(/\\/g, '/') + rest.slice(qpos);

  if (!slashesDenoteHost && !/#/.test(rest)) {
    var simple = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/.exec(rest);
    if (simple) {
      u.path = rest;
      u.href = rest;
      u.pathname = simple[1];
      if (simple[2]) {
        u.search = simple[2];
        u.query = parseQueryString ? querystring.parse(u.search.slice(1)) : u.search.slice(1);
      } else if (parseQueryString) {
        u.search = null;
        u.query = Object.create(null);
      }
      return u;
    }
  }

  var proto = /^[a-z0-9.+-]+:/i.exec(rest), lowerProto;
  if (proto) {
    proto = proto[0];
    lowerProto = proto.toLowerCase();
    u.protocol = lowerProto;
    rest = rest.slice(proto.length);
  }
  var slashes;
  if (slashesDenoteHost || proto || /^\/\/[^@\/]+@[^@\/]+/.test(rest)) {
    slashes = rest.slice(0, 2) === '//';
    if (slashes && !(proto && HOSTLESS[lowerProto])) {
      rest = rest.slice(2);
      u.slashes = true;
    }
  }
  if (!HOSTLESS[lowerProto] && (slashes || (proto && !SLASHED[lowerProto]))) {
    // The host ends at the first of these; an '@' before it ends the auth.
    var hostEnd = rest.search(/[\/?#]/);
    var atSign = hostEnd < 0 ? rest.lastIndexOf('@') : rest.lastIndexOf('@', hostEnd);
    if (atSign >= 0) {
      u.auth = decodeAuth(rest.slice(0, atSign));
      rest = rest.slice(atSign + 1);
    }
    hostEnd = rest.search(/[\/?#\t\n\r "<>`{}|\\^']/);
    if (hostEnd < 0) hostEnd = rest.length;
    var host = rest.slice(0, hostEnd);
    rest = rest.slice(hostEnd);
    var portMatch = /:[0-9]*$/.exec(host);
    if (portMatch) {
      if (portMatch[0] !== ':') u.port = portMatch[0].slice(1);
      host = host.slice(0, host.length - portMatch[0].length);
    }
    var hostname = host;
    var ipv6 = hostname.charAt(0) === '[' && hostname.charAt(hostname.length - 1) === ']';
    if (!ipv6) {
      // A character a host cannot hold starts the path.
      var bad = hostname.search(/[^A-Za-z0-9._+\-\u0080-\uffff]/);
      if (bad >= 0) {
        rest = '/' + hostname.slice(bad) + rest;
        hostname = hostname.slice(0, bad);
      }
    }
    hostname = hostname.length > 255 ? '' : hostname.toLowerCase();
    if (!ipv6 && /[^\u0000-\u007f]/.test(hostname)) hostname = domainToASCII(hostname) || '';
    u.host = hostname + (u.port ? ':' + u.port : '');
    u.hostname = ipv6 ? hostname.slice(1, -1) : hostname;
    if (ipv6 && rest.charAt(0) !== '/') rest = '/' + rest;
  }
  if (!UNSAFE[lowerProto]) {
    rest = rest.replace(AUTO_ESCAPE, function (c) { return pctByte(c.charCodeAt(0)); });
  }
  var hash = rest.indexOf('#');
  if (hash >= 0) {
    u.hash = rest.slice(hash);
    rest = rest.slice(0, hash);
  }
  var qm = rest.indexOf('?');
  if (qm >= 0) {
    u.search = rest.slice(qm);
    u.query = rest.slice(qm + 1);
    if (parseQueryString) u.query = querystring.parse(u.query);
    rest = rest.slice(0, qm);
  } else if (parseQueryString) {
    u.search = null;
    u.query = Object.create(null);
  }
  if (rest) u.pathname = rest;
  if (SLASHED[lowerProto] && u.hostname && !u.pathname) u.pathname = '/';
  if (u.pathname || u.search) u.path = (u.pathname || '') + (u.search || '');
  u.href = u.format();
  return u;
}

Url.prototype.format = function () {
  var auth = this.auth || '';
  if (auth) auth = encodeURIComponent(auth).replace(/%3A/i, ':') + '@';
  var protocol = this.protocol || '', pathname = this.pathname || '', hash = this.hash || '';
  var host = '', query = '';
  if (this.host) host = auth + this.host;
  else if (this.hostname) {
    host = auth + (this.hostname.indexOf(':') >= 0 && this.hostname.charAt(0) !== '['
      ? '[' + this.hostname + ']' : this.hostname);
    if (this.port) host += ':' + this.port;
  }
  if (this.query !== null && typeof this.query === 'object') query = querystring.stringify(this.query);
  var search = this.search || (query && '?' + query) || '';
  if (protocol && protocol.charAt(protocol.length - 1) !== ':') protocol += ':';
  pathname = pathname.replace(/[?#]/g, encodeURIComponent);
  if (this.slashes || SLASHED[protocol]) {
    if (this.slashes || host) {
      if (pathname && pathname.charAt(0) !== '/') pathname = '/' + pathname;
      host = '//' + host;
    } else if (protocol === 'file:') {
      host = '//';
    }
  }
  search = search.replace(/#/g, '%23');
  if (hash && hash.charAt(0) !== '#') hash = '#' + hash;
  if (search && search.charAt(0) !== '?') search = '?' + search;
  return protocol + host + pathname + search + hash;
};

Url.prototype.resolve = function (relative) {
  return urlResolve(this.format(), relative);
};

function urlFormat(obj, options) {
  if (typeof obj === 'string') return urlParse(obj).format();
  if (obj instanceof URL) {
    var r = copyRecord(rec(obj));
    options = options || {};
    if (options.auth === false) { r.username = ''; r.password = ''; }
    if (options.search === false) r.query = null;
    return serialize(r, options.fragment === false);
  }
  if (obj === null || typeof obj !== 'object') {
    var e = new TypeError('The "urlObject" argument must be one of type object or string.');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  return Url.prototype.format.call(obj);
}

// Node documents this WHATWG form of url.resolve(); a relative base stays relative.
function urlResolve(from, to) {
  var resolved = new URL(to, new URL(from, 'resolve://'));
  if (resolved.protocol === 'resolve:') {
    var p = resolved.pathname + resolved.search + resolved.hash;
    if (from.charAt(0) !== '/' && p.charAt(0) === '/' && String(to).charAt(0) !== '/') p = p.slice(1);
    return p;
  }
  return resolved.toString();
}

function fileURLToPath(u) {
  if (typeof u === 'string') u = new URL(u);
  else if (!(u instanceof URL)) {
    var t = new TypeError('The "path" argument must be of type string or an instance of URL');
    t.code = 'ERR_INVALID_ARG_TYPE';
    throw t;
  }
  if (u.protocol !== 'file:') {
    var e = new TypeError('The URL must be of scheme file');
    e.code = 'ERR_INVALID_URL_SCHEME';
    throw e;
  }
  if (u.hostname !== '') {
    var h = new TypeError('File URL host must be "localhost" or empty on linux');
    h.code = 'ERR_INVALID_FILE_URL_HOST';
    throw h;
  }
  var p = u.pathname;
  if (/%2f/i.test(p)) {
    var s = new TypeError('File URL path must not include encoded / characters');
    s.code = 'ERR_INVALID_FILE_URL_PATH';
    throw s;
  }
  return pctDecode(p);
}

function pathToFileURL(filepath) {
  var path = require('path');
  var resolved = path.resolve(filepath);
  if (/\/$/.test(filepath) && resolved !== '/') resolved += '/';
  var u = new URL('file://');
  u.pathname = resolved.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\n/g, '%0A')
    .replace(/\r/g, '%0D').replace(/\t/g, '%09');
  return u;
}

function urlToHttpOptions(u) {
  var o = {
    protocol: u.protocol,
    hostname: u.hostname.charAt(0) === '[' ? u.hostname.slice(1, -1) : u.hostname,
    hash: u.hash,
    search: u.search,
    pathname: u.pathname,
    path: u.pathname + u.search,
    href: u.href
  };
  if (u.port !== '') o.port = Number(u.port);
  if (u.username || u.password) o.auth = decodeURIComponent(u.username) + ':' + decodeURIComponent(u.password);
  return o;
}

module.exports = {
  URL: URL,
  URLSearchParams: URLSearchParams,
  Url: Url,
  parse: urlParse,
  format: urlFormat,
  resolve: urlResolve,
  resolveObject: function (from, to) { return urlParse(urlResolve(from, to)); },
  fileURLToPath: fileURLToPath,
  pathToFileURL: pathToFileURL,
  urlToHttpOptions: urlToHttpOptions,
  domainToASCII: function (d) {
    var h = parseHost(String(d), true);
    return h === null ? '' : h;
  },
  domainToUnicode: function (d) { return String(d).toLowerCase(); }
};
