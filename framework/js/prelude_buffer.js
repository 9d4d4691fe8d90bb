/*
 * eider prelude, part 3: Buffer as Node has it, on top of Duktape's
 * Node-v6-style Buffer (a Uint8Array with readUInt*, write*, slice, copy,
 * fill, equals, compare, toJSON, Buffer.concat/compare/isBuffer).
 * Duktape's Buffer ignores encodings: this adds Buffer.from, alloc,
 * allocUnsafe, the encodings (utf8, hex, base64, base64url, latin1/binary,
 * ascii, utf16le/ucs2) in from/toString/write/byteLength/indexOf/fill,
 * done in C (native.buffer, framework/js_buffer.c and encoding.c), with
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
  var nativeSlice = proto.slice, nativeFill = proto.fill;
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

  // The encodings themselves are C (framework/js_buffer.c, encoding.c):
  // native.buffer.from(string, enc) makes the bytes of a string (proper
  // UTF-8 outside the BMP, not Duktape's CESU-8; Node's lenient hex and
  // base64), toString(bytes, enc, start, end) the string of bytes.
  var B = native.buffer;

  // The bytes of a needle or fill value: string (in enc), number, bytes.
  function bytesOf(value, enc) {
    if (typeof value === 'string') return B.from(value, enc);
    if (typeof value === 'number') return new Uint8Array([value & 255]);
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw new TypeError('The "value" argument must be one of type number or string or an instance of Buffer or Uint8Array.');
  }

  // Buffer.from(string[, encoding]) is C itself (native.buffer.fromMethod);
  // the other forms come back here.
  B.setFrom(function from(value, encOrOffset, length) {
    if (typeof value === 'string') return B.from(value, encOrOffset);
    if (value instanceof ArrayBuffer) {
      var start = encOrOffset === undefined ? 0 : toInteger(encOrOffset);
      return view(value, start, length === undefined ? value.byteLength - start : toInteger(length));
    }
    if (value !== null && typeof value === 'object' && value.type === 'Buffer' && Array.isArray(value.data)) {
      return new NodeBuffer(value.data);   // what toJSON() gave
    }
    return new NodeBuffer(value);
  });

  // Node's ERR_INVALID_ARG_TYPE and ERR_OUT_OF_RANGE for the C methods
  // (js_buffer_ops.c): what was received, as Node prints it.
  function received(v) {
    if (v === null || v === undefined) return ' Received ' + v;
    if (typeof v === 'function') return ' Received function ' + (v.name || '<anonymous>');
    if (typeof v === 'object') {
      var ctor = v.constructor;
      return ' Received ' + (ctor && ctor.name ? 'an instance of ' + ctor.name : 'an object');
    }
    var shown = typeof v === 'string' ? "'" + v + "'" : String(v);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return ' Received type ' + typeof v + ' (' + shown + ')';
  }
  B.setArgError(function (kind, name, value, range) {
    var err;
    if (kind === 'type') {
      err = new TypeError('The "' + name + '" argument must be ' + range + '.' + received(value));
      err.code = 'ERR_INVALID_ARG_TYPE';
    } else {
      err = new RangeError('The value of "' + name + '" is out of range. It must be ' + range + '. Received ' + value);
      err.code = 'ERR_OUT_OF_RANGE';
    }
    throw err;
  });

  install(NodeBuffer, {
    from: B.fromMethod,
    concat: B.concat,      // (list, totalLength), in C
    compare: B.compare,    // (buf1, buf2), in C
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
      if (typeof value === 'string') return B.byteLength(value, enc);
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
    return B.indexOf(b, bytesOf(value, enc), off < 0 ? (last ? -1 : 0) : off, last);
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
    toString: B.toStringMethod,   // (enc, start, end), in C
    equals: B.equalsMethod,       // (otherBuffer), in C
    compare: B.compareMethod,     // (target, targetStart, targetEnd, sourceStart, sourceEnd), in C
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
      encodingOf(enc);
      offset = offset === undefined ? 0 : toInteger(offset);
      if (offset < 0 || offset > this.length) throw new RangeError('The value of "offset" is out of range.');
      var room = this.length - offset;
      length = length === undefined ? room : Math.min(Math.max(toInteger(length), 0), room);
      return B.write(this, String(string), offset, length, enc);
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
      if (offset === undefined) {
        offset = 0;
        end = n;
      } else {
        fillBound(offset, 'offset', 9007199254740991);
        end = end === undefined ? n : fillBound(end, 'end', n);
        if (offset >= end) return this;
      }
      if (typeof value === 'number' || typeof value === 'boolean') return nativeFill.call(this, Number(value) & 255, offset, end);
      var bytes = bytesOf(value, enc), k = bytes.length;
      if (k === 0) return nativeFill.call(this, 0, offset, end);
      if (k === 1) return nativeFill.call(this, bytes[0], offset, end);
      // The pattern once, then copies of what is filled so far: log2(n)
      // native copies instead of a loop over every byte (16 MB of 'ab' was
      // seconds in the interpreter).
      var done = Math.min(k, end - offset);
      for (var i = 0; i < done; i++) this[offset + i] = bytes[i];
      while (done < end - offset) {
        var take = Math.min(done, end - offset - done);
        this.set(this.subarray(offset, offset + take), offset + done);
        done += take;
      }
      return this;
    }
  });

  // fill's offset and end, checked as Node does: an integer in [0, max].
  function fillBound(v, name, max) {
    if (typeof v !== 'number')
      throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "' + name + '" argument must be of type number.' + received(v));
    if (v !== Math.floor(v) || v < 0 || v > max)
      throw codeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "' + name + '" is out of range. It must be ' +
        (v !== Math.floor(v) ? 'an integer' : '>= 0 && <= ' + max) + '. Received ' + v);
    return v;
  }

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
