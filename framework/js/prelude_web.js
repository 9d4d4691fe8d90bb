/*
 * eider prelude, part 3: the web platform's globals that handlers and npm
 * packages use on Node: DOMException, Event, EventTarget,
 * AbortController, AbortSignal (abort, timeout, any), structuredClone,
 * atob, btoa, TextEncoder#encodeInto.  Same contract as prelude.js (one function expression,
 * called once per heap as prelude(global, native), after prelude.js and
 * prelude_es.js), and the same rule: only what is missing is defined.
 * native.hiddenSymbol(name), when the host provides it, makes a key that
 * no script can list; else Symbol(name).
 */
(function (global, native) {
  'use strict';

  var hasOwn = Object.prototype.hasOwnProperty;
  var toStr = Object.prototype.toString;
  var hiddenKey = typeof native.hiddenSymbol === 'function' ? native.hiddenSymbol : Symbol;

  var install = native.lib.install;   // shared with prelude.js, which ran first

  // DOMException, for what the web platform throws (AbortError,
  // DataCloneError, InvalidCharacterError).
  var DOM_CODES = {IndexSizeError: 1, HierarchyRequestError: 3, InvalidCharacterError: 5, NotSupportedError: 9,
    InvalidStateError: 11, SyntaxError: 12, NetworkError: 19, AbortError: 20, TimeoutError: 23, DataCloneError: 25};
  function DOMException(message, name) {
    var err = new Error(message === undefined ? '' : String(message));
    Object.setPrototypeOf(err, DOMException.prototype);
    name = name === undefined ? 'Error' : String(name);
    Object.defineProperty(err, 'name', {value: name, writable: true, configurable: true});
    Object.defineProperty(err, 'code', {value: DOM_CODES[name] || 0, writable: true, configurable: true});
    return err;
  }
  DOMException.prototype = Object.create(Error.prototype, {
    constructor: {value: DOMException, writable: true, configurable: true}
  });
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {value: 'DOMException', configurable: true});
  install(global, {DOMException: DOMException});


  // ---- Event, EventTarget, AbortController, AbortSignal ----------------------------
  // Enough of the DOM's event model for AbortSignal: listeners (functions
  // or {handleEvent}) with the once and signal options, dispatched in
  // order and synchronously.
  var LISTENERS = hiddenKey('listeners');

  function Event(type, init) {
    if (!(this instanceof Event)) throw new TypeError("Class constructor Event cannot be invoked without 'new'");
    if (arguments.length === 0) throw new TypeError('The "type" argument must be specified');
    init = init || {};
    Object.defineProperties(this, {
      type: {value: String(type), enumerable: true},
      bubbles: {value: !!init.bubbles, enumerable: true},
      cancelable: {value: !!init.cancelable, enumerable: true},
      composed: {value: !!init.composed, enumerable: true},
      timeStamp: {value: typeof performance === 'object' ? performance.now() : Date.now(), enumerable: true},
      isTrusted: {value: false, enumerable: true, writable: true},
      defaultPrevented: {value: false, enumerable: true, writable: true},
      target: {value: null, enumerable: true, writable: true},
      currentTarget: {value: null, enumerable: true, writable: true},
      _stop: {value: false, writable: true}
    });
  }
  install(Event.prototype, {
    preventDefault: function preventDefault() {
      if (this.cancelable) this.defaultPrevented = true;
    },
    stopImmediatePropagation: function stopImmediatePropagation() { this._stop = true; },
    stopPropagation: function stopPropagation() {},
    composedPath: function composedPath() { return this.currentTarget ? [this.currentTarget] : []; }
  });
  Object.defineProperty(Event.prototype, Symbol.toStringTag, {value: 'Event', configurable: true});

  function EventTarget() {
    Object.defineProperty(this, LISTENERS, {value: {}});
  }
  function listenersOf(target) {
    if (!hasOwn.call(target, LISTENERS)) Object.defineProperty(target, LISTENERS, {value: {}});
    return target[LISTENERS];
  }
  install(EventTarget.prototype, {
    addEventListener: function addEventListener(type, listener, options) {
      if (listener == null) return;
      var once = false, signal;
      if (typeof options === 'object' && options !== null) {
        once = !!options.once;
        signal = options.signal;
      }
      if (signal && signal.aborted) return;
      var all = listenersOf(this), list = all[type] || (all[type] = []);
      for (var i = 0; i < list.length; i++) {
        if (list[i].listener === listener) return;
      }
      var entry = {listener: listener, once: once, removed: false};
      list.push(entry);
      if (signal) {
        var target = this;
        signal.addEventListener('abort', function () { target.removeEventListener(type, listener); }, {once: true});
      }
    },
    removeEventListener: function removeEventListener(type, listener) {
      var list = listenersOf(this)[type];
      if (!list) return;
      for (var i = 0; i < list.length; i++) {
        if (list[i].listener === listener) {
          list[i].removed = true;
          list.splice(i, 1);
          return;
        }
      }
    },
    // Calls the listeners of event.type in order; one that throws is
    // reported as a microtask error would be, and the others still run.
    dispatchEvent: function dispatchEvent(event) {
      if (!(event instanceof Event)) throw new TypeError('The "event" argument must be an instance of Event');
      event.target = event.currentTarget = this;
      var list = (listenersOf(this)[event.type] || []).slice();
      var handler = this['on' + event.type];
      for (var i = 0; i < list.length && !event._stop; i++) {
        var entry = list[i];
        if (entry.removed) continue;
        if (entry.once) this.removeEventListener(event.type, entry.listener);
        try {
          var l = entry.listener;
          if (typeof l === 'function') l.call(this, event);
          else if (l && typeof l.handleEvent === 'function') l.handleEvent(event);
        } catch (err) {
          if (typeof native.reportError === 'function') native.reportError(err);
        }
      }
      if (typeof handler === 'function' && !event._stop) {
        try {
          handler.call(this, event);
        } catch (err) {
          if (typeof native.reportError === 'function') native.reportError(err);
        }
      }
      event.currentTarget = null;
      return !event.defaultPrevented;
    }
  });
  Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, {value: 'EventTarget', configurable: true});

  var MAKING_SIGNAL = {};
  function AbortSignal(key) {
    if (key !== MAKING_SIGNAL) throw new TypeError('Illegal constructor');
    EventTarget.call(this);
    Object.defineProperty(this, '_reason', {value: undefined, writable: true});
    Object.defineProperty(this, '_aborted', {value: false, writable: true});
    this.onabort = null;
  }
  AbortSignal.prototype = Object.create(EventTarget.prototype, {
    constructor: {value: AbortSignal, writable: true, configurable: true}
  });
  Object.defineProperty(AbortSignal.prototype, 'aborted', {get: function () { return this._aborted; }, configurable: true});
  Object.defineProperty(AbortSignal.prototype, 'reason', {get: function () { return this._reason; }, configurable: true});
  Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, {value: 'AbortSignal', configurable: true});
  install(AbortSignal.prototype, {
    throwIfAborted: function throwIfAborted() {
      if (this._aborted) throw this._reason;
    }
  });

  function abortSignal(signal, reason) {
    if (signal._aborted) return;
    signal._aborted = true;
    signal._reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    var event = new Event('abort');
    event.isTrusted = true;
    signal.dispatchEvent(event);
  }

  install(AbortSignal, {
    abort: function abort(reason) {
      var signal = new AbortSignal(MAKING_SIGNAL);
      abortSignal(signal, reason);
      return signal;
    },
    // A signal that aborts with a TimeoutError after ms (on a timer that
    // does not keep anything waiting).
    timeout: function timeout(ms) {
      var n = Number(ms);
      if (!(n >= 0 && n <= 4294967295)) throw new RangeError('The value of "delay" is out of range. It must be >= 0 && <= 4294967295. Received ' + ms);
      var signal = new AbortSignal(MAKING_SIGNAL);
      setTimeout(function () {
        abortSignal(signal, new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      }, n);
      return signal;
    },
    // A signal that aborts when the first of signals does.
    any: function any(signals) {
      var signal = new AbortSignal(MAKING_SIGNAL), list = Array.from(signals);
      for (var i = 0; i < list.length; i++) {
        if (list[i].aborted) {
          abortSignal(signal, list[i].reason);
          return signal;
        }
      }
      list.forEach(function (s) {
        s.addEventListener('abort', function () { abortSignal(signal, s.reason); }, {once: true});
      });
      return signal;
    }
  });

  function AbortController() {
    if (!(this instanceof AbortController)) throw new TypeError("Class constructor AbortController cannot be invoked without 'new'");
    Object.defineProperty(this, 'signal', {value: new AbortSignal(MAKING_SIGNAL), enumerable: true});
  }
  install(AbortController.prototype, {
    abort: function abort(reason) {
      abortSignal(this.signal, reason);
    }
  });
  Object.defineProperty(AbortController.prototype, Symbol.toStringTag, {value: 'AbortController', configurable: true});

  install(global, {Event: Event, EventTarget: EventTarget, AbortController: AbortController, AbortSignal: AbortSignal});

  // ---- structuredClone, atob, btoa -------------------------------------------------
  function cloneError(message) {
    return new DOMException(message, 'DataCloneError');
  }

  // The HTML structured clone of value: plain objects and arrays (own
  // enumerable string keys), primitives, Date, RegExp, Map, Set, Error,
  // ArrayBuffer, typed arrays and DataView, with cycles and shared
  // references kept.  Functions, symbols and other host objects throw a
  // DataCloneError, as in Node.
  function structuredClone(value) {
    if (arguments.length === 0) throw new TypeError("The \"value\" argument must be specified");
    var seen = new Map();
    function clone(v) {
      if (typeof v === 'function') throw cloneError(v + ' could not be cloned.');
      if (typeof v === 'symbol') throw cloneError(String(v) + ' could not be cloned.');
      if (v === null || typeof v !== 'object') return v;
      if (seen.has(v)) return seen.get(v);
      var tag = toStr.call(v), out, i, keys;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        seen.set(v, out);
        keys = Object.keys(v);
        for (i = 0; i < keys.length; i++) out[keys[i]] = clone(v[keys[i]]);
        return out;
      }
      if (tag === '[object Date]') out = new Date(v.getTime());
      else if (tag === '[object RegExp]') out = new RegExp(v.source, v.flags);
      else if (tag === '[object Boolean]' || tag === '[object Number]' || tag === '[object String]') out = Object(v.valueOf());
      else if (v instanceof ArrayBuffer) out = v.slice(0);
      if (out !== undefined) {
        seen.set(v, out);
        return out;
      }
      if (ArrayBuffer.isView(v)) {
        var buffer = clone(v.buffer);
        var Ctor = v instanceof DataView ? DataView : typeof Buffer === 'function' && v instanceof Buffer
          ? Uint8Array : v.constructor;
        out = v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength)
          : new Ctor(buffer, v.byteOffset, v.length);
        seen.set(v, out);
        return out;
      }
      if (v instanceof Map) {
        out = new Map();
        seen.set(v, out);
        v.forEach(function (val, key) { out.set(clone(key), clone(val)); });
        return out;
      }
      if (v instanceof Set) {
        out = new Set();
        seen.set(v, out);
        v.forEach(function (val) { out.add(clone(val)); });
        return out;
      }
      if (v instanceof Error || tag === '[object Error]') {
        var names = {EvalError: 1, RangeError: 1, ReferenceError: 1, SyntaxError: 1, TypeError: 1, URIError: 1};
        var name = hasOwn.call(names, v.name) ? v.name : 'Error';
        out = new global[name](v.message);
        seen.set(v, out);
        if (typeof v.stack === 'string') Object.defineProperty(out, 'stack', {value: v.stack, writable: true, configurable: true});
        if ('cause' in v) Object.defineProperty(out, 'cause', {value: clone(v.cause), writable: true, configurable: true});
        return out;
      }
      if (tag !== '[object Object]' || v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) {
        throw cloneError(tag.slice(8, -1) + ' object could not be cloned.');
      }
      out = {};
      seen.set(v, out);
      keys = Object.keys(v);
      for (i = 0; i < keys.length; i++) out[keys[i]] = clone(v[keys[i]]);
      return out;
    }
    return clone(value);
  }

  // Only under Duktape: Node (the test adapter) has its own.
  if (typeof Duktape === 'object') {
    // atob(data) and btoa(data) are C (framework/js_buffer.c), which
    // calls this to throw the DOMException for bad input.
    var B = native.buffer;
    B.setInvalid(function (message) {
      throw new DOMException(message, 'InvalidCharacterError');
    });
    install(global, {structuredClone: structuredClone, btoa: B.btoa, atob: B.atob});
  }

  // TextDecoder#decode is C (native.buffer.textDecode, js_buffer.c) for a
  // whole input of a non-fatal decoder; it hands streaming and fatal to
  // Duktape's decoder here, whose error gets Node's code.
  if (typeof Duktape === 'object' && typeof TextDecoder === 'function') {
    var tdProto = TextDecoder.prototype, engineDecode = tdProto.decode;
    B.setDecodeSlow(function decode(input, options) {
      try {
        return engineDecode.call(this, input, options);
      } catch (e) {
        if (e instanceof TypeError && this.fatal && e.code === undefined) {
          e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA';
          e.message = 'The encoded data was not valid for encoding utf-8';
        }
        throw e;
      }
    });
    Object.defineProperty(tdProto, 'decode', {value: B.textDecode, writable: true, configurable: true});
  }

  // TextEncoder#encodeInto(string, bytes): as much of string as fits, in
  // whole characters, as UTF-8 into bytes; {read: UTF-16 units, written}.
  if (typeof TextEncoder === 'function' && !TextEncoder.prototype.encodeInto) {
    Object.defineProperty(TextEncoder.prototype, 'encodeInto', {
      value: function encodeInto(source, destination) {
        var s = String(source), read = 0, written = 0, room = destination.length;
        while (read < s.length) {
          var c = s.charCodeAt(read), units = 1, cp = c;
          if (c >= 0xd800 && c <= 0xdbff && read + 1 < s.length) {
            var d = s.charCodeAt(read + 1);
            if (d >= 0xdc00 && d <= 0xdfff) {
              cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
              units = 2;
            }
          }
          if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;   // a lone surrogate
          var len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
          if (written + len > room) break;
          if (len === 1) {
            destination[written] = cp;
          } else {
            for (var k = len - 1; k > 0; k--) {
              destination[written + k] = 0x80 | (cp & 0x3f);
              cp >>= 6;
            }
            destination[written] = (len === 2 ? 0xc0 : len === 3 ? 0xe0 : 0xf0) | cp;
          }
          written += len;
          read += units;
        }
        return {read: read, written: written};
      },
      writable: true, configurable: true
    });
  }
})
