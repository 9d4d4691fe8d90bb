// require('querystring'), as Node's: parse/decode, stringify/encode,
// escape, unescape, unescapeBuffer. Ours rather than Debian's
// querystring-es3, which throws URIError on a malformed '%' where Node
// keeps the text, and has no escape/unescape (lib/README.md).
'use strict';

// escape: Node's table of unescaped characters is encodeURIComponent's
// (A-Z a-z 0-9 - . _ ~ ! ' ( ) *), and a lone surrogate throws URIError.
function qsEscape(str) {
  if (typeof str !== 'string') {
    if (typeof str === 'object') str = String(str);
    else str += '';
  }
  try {
    return encodeURIComponent(str);
  } catch (e) {
    var err = new URIError('URI malformed');   // a lone surrogate
    err.code = 'ERR_INVALID_URI';
    throw err;
  }
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// The bytes of s with each valid %XX decoded (and '+' as a space when
// decodeSpaces); other characters as their low byte, as Node does.
function unescapeBuffer(s, decodeSpaces) {
  s = String(s);
  var out = Buffer.allocUnsafe(s.length), n = 0;
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c === 43 && decodeSpaces) { out[n++] = 32; continue; }
    if (c === 37 && i + 2 < s.length) {
      var hi = hexValue(s.charCodeAt(i + 1)), lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) { out[n++] = hi * 16 + lo; i += 2; continue; }
    }
    out[n++] = c & 255;
  }
  return out.slice(0, n);
}

function qsUnescape(s, decodeSpaces) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return unescapeBuffer(s, decodeSpaces).toString();
  }
}

function stringifyPrimitive(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && isFinite(v)) return '' + v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

// What Node does with the default encoder: numbers below 1e21 need none.
function encodeDefault(v, encode) {
  if (typeof v === 'string') return v.length ? encode(v) : '';
  if (typeof v === 'number' && isFinite(v)) return Math.abs(v) < 1e21 ? '' + v : encode('' + v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return '';
}

function encodeCustom(v, encode) {
  return encode(stringifyPrimitive(v));
}

function stringify(obj, sep, eq, options) {
  sep = sep || '&';
  eq = eq || '=';
  var encode = exports.escape;
  if (options && typeof options.encodeURIComponent === 'function') encode = options.encodeURIComponent;
  var convert = encode === qsEscape ? encodeDefault : encodeCustom;
  if (obj === null || typeof obj !== 'object') return '';
  var keys = Object.keys(obj), fields = '';
  for (var i = 0; i < keys.length; i++) {
    var v = obj[keys[i]];
    var ks = convert(keys[i], encode) + eq;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      if (fields) fields += sep;
      for (var j = 0; j < v.length; j++) {
        if (j) fields += sep;
        fields += ks + convert(v[j], encode);
      }
    } else {
      if (fields) fields += sep;
      fields += ks + convert(v, encode);
    }
  }
  return fields;
}

// Node calls the default decoder only on text with a '%', a custom one always.
function decodeStr(s, decoder) {
  if (decoder === qsUnescape && s.indexOf('%') < 0) return s;
  try {
    return decoder(s);
  } catch (e) {
    return qsUnescape(s, true);
  }
}

function parse(qs, sep, eq, options) {
  var obj = Object.create(null);
  if (typeof qs !== 'string' || qs.length === 0) return obj;
  sep = sep ? String(sep) : '&';
  eq = eq ? String(eq) : '=';
  var maxKeys = 1000;
  if (options && typeof options.maxKeys === 'number') maxKeys = options.maxKeys;
  var decode = exports.unescape;
  if (options && typeof options.decodeURIComponent === 'function') decode = options.decodeURIComponent;
  var pairs = qs.split(sep);
  if (maxKeys > 0 && pairs.length > maxKeys) pairs.length = maxKeys;
  for (var i = 0; i < pairs.length; i++) {
    var x = pairs[i];
    if (x.length === 0) continue;
    x = x.replace(/\+/g, ' ');
    var at = x.indexOf(eq), k, v;
    if (at >= 0) {
      k = x.slice(0, at);
      v = x.slice(at + eq.length);
    } else {
      k = x;
      v = '';
    }
    k = decodeStr(k, decode);
    v = decodeStr(v, decode);
    if (!Object.prototype.hasOwnProperty.call(obj, k)) obj[k] = v;
    else if (Array.isArray(obj[k])) obj[k].push(v);
    else obj[k] = [obj[k], v];
  }
  return obj;
}

exports.unescapeBuffer = unescapeBuffer;
exports.unescape = qsUnescape;
exports.escape = qsEscape;
exports.stringify = exports.encode = stringify;
exports.parse = exports.decode = parse;
