/*
 * eider prelude, part 3: Buffer as Node has it, on top of Duktape's
 * Node-v6-style Buffer (a Uint8Array with readUInt*, write*, slice, copy,
 * fill, equals, compare, toJSON, Buffer.concat/compare/isBuffer).
 * Duktape's Buffer ignores encodings: this adds Buffer.from, alloc,
 * allocUnsafe, the encodings (utf8, hex, base64, base64url, latin1/binary,
 * ascii, utf16le/ucs2) in from/toString/write/byteLength/indexOf/fill,
 * proper UTF-8 for characters outside the BMP (not CESU-8),
 * indexOf/lastIndexOf/includes, a subarray that is a Buffer, and Node's
 * offset checks and "Uint" aliases on the integer reads and writes.  Same
 * contract as prelude.js; does nothing outside Duktape (the Node test
 * adapter has a Buffer of its own).
 */
(function (global, native) {
  'use strict';

  if (typeof Duktape !== 'object' || typeof global.Buffer !== 'function') return;
  var NodeBuffer = global.Buffer;
  var proto = NodeBuffer.prototype;
  var nativeSlice = proto.slice, nativeWrite = proto.write, nativeFill = proto.fill;
  var ENCODINGS = {utf8: 'utf8', 'utf-8': 'utf8', hex: 'hex', base64: 'base64', base64url: 'base64url',
    latin1: 'latin1', binary: 'latin1', ascii: 'ascii', utf16le: 'utf16le', 'utf-16le': 'utf16le',
    ucs2: 'utf16le', 'ucs-2': 'utf16le'};

  var toInteger = native.lib.toInteger;   // shared with prelude.js, which ran first

  function install(obj, props) {
    for (var name in props) {
      Object.defineProperty(obj, name, {value: props[name], writable: true, configurable: true});
    }
  }

  // The canonical name of encoding enc (utf8 when undefined); an unknown
  // one throws, as in Node.
  function encodingOf(enc) {
    if (enc === undefined || enc === null) return 'utf8';
    var e = ENCODINGS[String(enc).toLowerCase()];
    if (e === undefined) {
      var err = new TypeError('Unknown encoding: ' + enc);
      err.code = 'ERR_UNKNOWN_ENCODING';
      throw err;
    }
    return e;
  }

  // A Buffer over bytes (a Uint8Array or ArrayBuffer), sharing its memory.
  function view(buffer, offset, length) {
    var u = new Uint8Array(buffer, offset, length);
    Object.setPrototypeOf(u, proto);
    return u;
  }

  // The UTF-8 bytes of s as a Buffer. Duktape's own Buffer(string) writes a
  // character outside the BMP as two 3-byte surrogates (CESU-8); a string
  // with surrogates goes through TextEncoder, which joins pairs into one
  // 4-byte sequence and makes a lone surrogate U+FFFD, as Node does.
  var SURROGATE = /[\uD800-\uDFFF]/, encoder = null;
  function utf8Bytes(s) {
    if (!SURROGATE.test(s)) return new NodeBuffer(s);
    if (encoder === null) encoder = new TextEncoder();
    var u = encoder.encode(s);
    Object.setPrototypeOf(u, proto);
    return u;
  }

  // The bytes of string s in encoding enc, as a Buffer.
  function fromString(s, enc) {
    var b, i;
    switch (encodingOf(enc)) {
    case 'hex':
      s = s.slice(0, s.length - s.length % 2);
      var m = /[^0-9a-fA-F]/.exec(s);      // Node stops at the first bad pair
      if (m) s = s.slice(0, m.index - m.index % 2);
      return new NodeBuffer(Duktape.dec('hex', s));
    case 'base64': case 'base64url':
      s = s.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+\/]/g, '');
      if (s.length % 4 === 1) s = s.slice(0, -1);
      return new NodeBuffer(Duktape.dec('base64', s + '==='.slice((s.length + 3) % 4)));
    case 'latin1': case 'ascii':
      b = new NodeBuffer(s.length);
      for (i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
      return b;
    case 'utf16le':
      b = new NodeBuffer(s.length * 2);
      for (i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        b[2 * i] = c & 255;
        b[2 * i + 1] = c >> 8;
      }
      return b;
    default:
      return utf8Bytes(s);
    }
  }

  // The bytes of a needle or fill value: string (in enc), number, bytes.
  function bytesOf(value, enc) {
    if (typeof value === 'string') return fromString(value, enc);
    if (typeof value === 'number') return [value & 255];
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw new TypeError('The "value" argument must be one of type number or string or an instance of Buffer or Uint8Array.');
  }

  install(NodeBuffer, {
    from: function from(value, encOrOffset, length) {
      if (typeof value === 'string') return fromString(value, encOrOffset);
      if (value instanceof ArrayBuffer) {
        var start = encOrOffset === undefined ? 0 : toInteger(encOrOffset);
        return view(value, start, length === undefined ? value.byteLength - start : toInteger(length));
      }
      if (value !== null && typeof value === 'object' && value.type === 'Buffer' && Array.isArray(value.data)) {
        return new NodeBuffer(value.data);   // what toJSON() gave
      }
      return new NodeBuffer(value);
    },
    alloc: function alloc(size, fill, enc) {
      var b = new NodeBuffer(toInteger(size));
      b.fill(fill === undefined ? 0 : fill, 0, b.length, enc);
      return b;
    },
    allocUnsafe: function allocUnsafe(size) {
      return new NodeBuffer(toInteger(size));
    },
    allocUnsafeSlow: function allocUnsafeSlow(size) {
      return new NodeBuffer(toInteger(size));
    },
    isEncoding: function isEncoding(enc) {
      return typeof enc === 'string' && ENCODINGS[enc.toLowerCase()] !== undefined;
    },
    byteLength: function byteLength(value, enc) {
      if (typeof value === 'string') {
        var e = encodingOf(enc);
        return fromString(value, e).length;
      }
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
      throw new TypeError('The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.');
    }
  });
  NodeBuffer.poolSize = 8192;

  // Index in b of the bytes of needle from byteOffset, searching forward
  // or (last) backward; -1 if absent.
  function search(b, value, byteOffset, enc, last) {
    if (typeof byteOffset === 'string') {
      enc = byteOffset;
      byteOffset = undefined;
    }
    var n = b.length;
    var off = byteOffset === undefined ? (last ? n : 0) : toInteger(byteOffset);
    if (off < 0) off += n;
    var needle = bytesOf(value, enc), k = needle.length;
    if (k === 0) return Math.max(0, Math.min(off, n));
    var i, j;
    if (last) {
      for (i = Math.min(off, n - k); i >= 0; i--) {
        for (j = 0; j < k && b[i + j] === needle[j]; j++);
        if (j === k) return i;
      }
    } else {
      for (i = Math.max(off, 0); i <= n - k; i++) {
        for (j = 0; j < k && b[i + j] === needle[j]; j++);
        if (j === k) return i;
      }
    }
    return -1;
  }

  install(proto, {
    indexOf: function indexOf(value, byteOffset, enc) {
      return search(this, value, byteOffset, enc, false);
    },
    lastIndexOf: function lastIndexOf(value, byteOffset, enc) {
      return search(this, value, byteOffset, enc, true);
    },
    includes: function includes(value, byteOffset, enc) {
      return search(this, value, byteOffset, enc, false) !== -1;
    },
    // Duktape's subarray() of a Buffer is a plain Uint8Array; its slice()
    // shares memory as Node's subarray does.
    subarray: function subarray(start, end) {
      return nativeSlice.call(this, start, end);
    },
    toString: function toString(enc, start, end) {
      var b = this, out = '', i;
      if (start !== undefined || end !== undefined) {
        b = nativeSlice.call(b, start === undefined ? 0 : start, end === undefined ? b.length : end);
      }
      switch (encodingOf(enc)) {
      case 'hex': return Duktape.enc('hex', b);
      case 'base64': return Duktape.enc('base64', b);
      case 'base64url':
        return Duktape.enc('base64', b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      case 'latin1':
        for (i = 0; i < b.length; i++) out += String.fromCharCode(b[i]);
        return out;
      case 'ascii':
        for (i = 0; i < b.length; i++) out += String.fromCharCode(b[i] & 127);
        return out;
      case 'utf16le':
        for (i = 0; i + 1 < b.length; i += 2) out += String.fromCharCode(b[i] | b[i + 1] << 8);
        return out;
      default:
        // Invalid UTF-8 becomes U+FFFD, as in Node.
        return new TextDecoder().decode(b);
      }
    },
    toLocaleString: function toLocaleString(enc, start, end) {
      return this.toString(enc, start, end);
    },
    // write(string[, offset[, length]][, encoding]) -> bytes written.
    write: function write(string, offset, length, enc) {
      if (typeof offset === 'string') {
        enc = offset;
        offset = length = undefined;
      } else if (typeof length === 'string') {
        enc = length;
        length = undefined;
      }
      var e = encodingOf(enc);
      offset = offset === undefined ? 0 : toInteger(offset);
      if (offset < 0 || offset > this.length) throw new RangeError('The value of "offset" is out of range.');
      var room = this.length - offset;
      length = length === undefined ? room : Math.min(Math.max(toInteger(length), 0), room);
      string = String(string);
      if (e === 'utf8' && !SURROGATE.test(string)) return nativeWrite.call(this, string, offset, length);
      var bytes = fromString(string, e), n = Math.min(bytes.length, length);
      for (var i = 0; i < n; i++) this[offset + i] = bytes[i];
      return n;
    },
    // fill(value[, offset[, end]][, encoding])
    fill: function fill(value, offset, end, enc) {
      if (typeof offset === 'string') {
        enc = offset;
        offset = end = undefined;
      } else if (typeof end === 'string') {
        enc = end;
        end = undefined;
      }
      var n = this.length;
      offset = offset === undefined ? 0 : toInteger(offset);
      end = end === undefined ? n : Math.min(toInteger(end), n);
      if (typeof value === 'number' || typeof value === 'boolean') return nativeFill.call(this, Number(value) & 255, offset, end);
      var bytes = bytesOf(value, enc), k = bytes.length;
      if (k === 0) return nativeFill.call(this, 0, offset, end);
      for (var i = offset; i < end; i++) this[i] = bytes[(i - offset) % k];
      return this;
    }
  });

  // Reads check their offset as Node does: RangeError
  // ERR_OUT_OF_RANGE past the end (Duktape's methods throw a RangeError
  // "invalid args"), TypeError ERR_INVALID_ARG_TYPE for an
  // offset that is not a number; lower-case "Uint" aliases as in Node.
  function codeError(Ctor, code, message) {
    var err = new Ctor(message);
    err.code = code;
    return err;
  }
  function checkOffset(buf, offset, size) {
    if (offset === undefined) offset = 0;
    if (typeof offset !== 'number') {
      throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "offset" argument must be of type number. Received type ' +
        typeof offset + (typeof offset === 'string' ? " ('" + offset + "')" : ''));
    }
    if (offset !== Math.floor(offset)) {
      throw codeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "offset" is out of range. It must be an integer. Received ' + offset);
    }
    if (buf.length - size < 0) throw codeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', 'Attempt to access memory outside buffer bounds');
    if (offset < 0 || offset > buf.length - size) {
      throw codeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "offset" is out of range. It must be >= 0 and <= ' +
        (buf.length - size) + '. Received ' + offset);
    }
    return offset;
  }
  var SIZES = {Int8: 1, Int16LE: 2, Int16BE: 2, Int32LE: 4, Int32BE: 4, FloatLE: 4, FloatBE: 4, DoubleLE: 8, DoubleBE: 8};
  ['UInt8', 'UInt16LE', 'UInt16BE', 'UInt32LE', 'UInt32BE'].forEach(function (n) { SIZES[n] = SIZES[n.replace('U', '')] || 1; });
  // Only the reads are wrapped (a closure each costs heap in every
  // worker): a read past the end of untrusted input fails with Node's code
  // and message, which code checks (Duktape's says "invalid args"); writes
  // keep Duktape's checks.
  Object.keys(SIZES).forEach(function (type) {
    var size = SIZES[type], read = proto['read' + type];
    var methods = {};
    methods['read' + type] = function (offset) {
      return read.call(this, checkOffset(this, offset, size));
    };
    if (type.indexOf('UInt') === 0) {
      methods['readUint' + type.slice(4)] = methods['read' + type];
      methods['writeUint' + type.slice(4)] = proto['write' + type];
    }
    install(proto, methods);
  });
  install(proto, {
    readUintLE: proto.readUIntLE, readUintBE: proto.readUIntBE,
    writeUintLE: proto.writeUIntLE, writeUintBE: proto.writeUIntBE
  });
})
