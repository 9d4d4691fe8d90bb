/*
 * eider prelude, part 2: library members of ES2015-ES2023 that Duktape 2.7
 * lacks, which transpiled TypeScript and npm packages call.  Same contract
 * as prelude.js (one function expression, called once per heap as
 * prelude(global, native) after prelude.js), and the same rule: only what is missing is defined, so under Node (the test
 * adapter) the native members stay.
 *
 *   iteration   [Symbol.iterator] with keys/values/entries on Array,
 *               String and the typed arrays; Symbol.asyncIterator
 *   Object      fromEntries, getOwnPropertyDescriptors, hasOwn
 *   Array       flat, flatMap, fill, at, findLast, findLastIndex, copyWithin,
 *               toReversed, toSorted, toSpliced, with,
 *               a stable sort
 *   String      replaceAll, at, trimStart, trimEnd, matchAll, isWellFormed,
 *               toWellFormed; String.raw
 *   Promise     any, with AggregateError
 *   WeakMap, WeakSet   (approximation, see below)
 *   Error       subclassing from ES5 (what TypeScript emits for
 *               `class E extends Error`), options.cause,
 *               Error.captureStackTrace, Error.stackTraceLimit,
 *               Error.prepareStackTrace with CallSite objects
 *   Date        toUTCString in RFC 7231 form; Date.parse and new Date(string)
 *               read HTTP dates and the other forms V8 reads
 * (the web platform's globals are in prelude_web.js, which follows).
 *
 * native.hiddenSymbol(name), when the host provides it, makes a key that
 * no script can list (Duktape's hidden symbols); else Symbol(name).
 */
(function (global, native) {
  'use strict';

  var hasOwn = Object.prototype.hasOwnProperty;
  var toStr = Object.prototype.toString;
  var ITERATOR = Symbol.iterator;
  var hiddenKey = typeof native.hiddenSymbol === 'function' ? native.hiddenSymbol : Symbol;

  // Shared with prelude.js, which ran first (native.lib).
  var install = native.lib.install, toObject = native.lib.toObject;
  var toInteger = native.lib.toInteger, toLength = native.lib.toLength;

  function installSymbol(obj, sym, value) {
    if (!(sym in obj)) Object.defineProperty(obj, sym, {value: value, writable: true, configurable: true});
  }

  // Relative index (negative counts from the end) clamped to [0, length].
  function relIndex(value, length, dflt) {
    var i = value === undefined ? dflt : toInteger(value);
    return i < 0 ? Math.max(length + i, 0) : Math.min(i, length);
  }

  function callable(fn) {
    if (typeof fn !== 'function') throw new TypeError(fn + ' is not a function');
    return fn;
  }

  // ---- Iterators -----------------------------------------------------------
  // One iterator object per iteration; its prototype is shared, like V8's
  // %ArrayIteratorPrototype% (get-intrinsic reads it through
  // Object.getPrototypeOf([][Symbol.iterator]())).
  var KIND_KEYS = 0, KIND_VALUES = 1, KIND_ENTRIES = 2;

  function ArrayIterator(target, kind) {
    this.target = target;
    this.index = 0;
    this.kind = kind;
  }
  var IteratorPrototype = {};
  installSymbol(IteratorPrototype, ITERATOR, function () { return this; });
  ArrayIterator.prototype = Object.create(IteratorPrototype);
  install(ArrayIterator.prototype, {
    next: function next() {
      var o = this.target;
      if (o === null) return {value: undefined, done: true};
      var i = this.index;
      if (i >= toLength(o.length)) {
        this.target = null;
        return {value: undefined, done: true};
      }
      this.index = i + 1;
      return {value: this.kind === KIND_KEYS ? i : this.kind === KIND_VALUES ? o[i] : [i, o[i]], done: false};
    }
  });
  Object.defineProperty(ArrayIterator.prototype, Symbol.toStringTag, {value: 'Array Iterator', configurable: true});

  var arrayIteration = {
    keys: function keys() { return new ArrayIterator(toObject(this), KIND_KEYS); },
    values: function values() { return new ArrayIterator(toObject(this), KIND_VALUES); },
    entries: function entries() { return new ArrayIterator(toObject(this), KIND_ENTRIES); }
  };
  install(Array.prototype, arrayIteration);
  installSymbol(Array.prototype, ITERATOR, Array.prototype.values);
  // The typed arrays (Buffer included) share one prototype with set() and
  // subarray().
  var TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
  install(TypedArrayPrototype, arrayIteration);
  installSymbol(TypedArrayPrototype, ITERATOR, TypedArrayPrototype.values);

  // Strings iterate by code point.
  function StringIterator(s) {
    this.s = s;
    this.index = 0;
  }
  StringIterator.prototype = Object.create(IteratorPrototype);
  install(StringIterator.prototype, {
    next: function next() {
      var s = this.s, i = this.index;
      if (s === null || i >= s.length) {
        this.s = null;
        return {value: undefined, done: true};
      }
      var c = s.charCodeAt(i), n = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) n = 2;
      }
      this.index = i + n;
      return {value: s.substr(i, n), done: false};
    }
  });
  Object.defineProperty(StringIterator.prototype, Symbol.toStringTag, {value: 'String Iterator', configurable: true});
  installSymbol(String.prototype, ITERATOR, function () {
    return new StringIterator(String(toObject(this)));
  });

  if (!Symbol.asyncIterator) {
    Object.defineProperty(Symbol, 'asyncIterator', {value: Symbol('Symbol.asyncIterator')});
  }

  // ---- Object, Array, String -------------------------------------------------
  install(Object, {
    fromEntries: function fromEntries(iterable) {
      var out = {};
      Array.from(toObject(iterable)).forEach(function (entry) {
        if (Object(entry) !== entry) throw new TypeError('Iterator value ' + entry + ' is not an entry object');
        out[entry[0]] = entry[1];
      });
      return out;
    },
    getOwnPropertyDescriptors: function getOwnPropertyDescriptors(object) {
      var o = toObject(object), out = {};
      Reflect.ownKeys(o).forEach(function (key) {
        var d = Object.getOwnPropertyDescriptor(o, key);
        if (d !== undefined) out[key] = d;
      });
      return out;
    }
  });

  // Appends the elements of source to out, flattening arrays depth deep.
  function flatten(out, source, depth) {
    for (var i = 0, n = toLength(source.length); i < n; i++) {
      if (!(i in source)) continue;
      var v = source[i];
      if (depth > 0 && Array.isArray(v)) flatten(out, v, depth - 1);
      else out.push(v);
    }
    return out;
  }

  // Index of the last element for which pred is true, or -1.
  function findLastIndex(arrayLike, pred, thisArg) {
    var o = toObject(arrayLike);
    callable(pred);
    for (var i = toLength(o.length) - 1; i >= 0; i--) {
      if (pred.call(thisArg, o[i], i, o)) return i;
    }
    return -1;
  }

  install(Array.prototype, {
    flat: function flat(depth) {
      return flatten([], toObject(this), depth === undefined ? 1 : toInteger(depth));
    },
    flatMap: function flatMap(fn, thisArg) {
      callable(fn);
      var o = toObject(this), out = [];
      for (var i = 0, n = toLength(o.length); i < n; i++) {
        if (!(i in o)) continue;
        var v = fn.call(thisArg, o[i], i, o);
        if (Array.isArray(v)) flatten(out, v, 0);
        else out.push(v);
      }
      return out;
    },
    fill: function fill(value, start, end) {
      var o = toObject(this), n = toLength(o.length);
      for (var i = relIndex(start, n, 0), e = relIndex(end, n, n); i < e; i++) o[i] = value;
      return o;
    },
    at: function at(index) {
      var o = toObject(this), n = toLength(o.length), i = toInteger(index);
      if (i < 0) i += n;
      return i < 0 || i >= n ? undefined : o[i];
    },
    findLast: function findLast(pred, thisArg) {
      var i = findLastIndex(this, pred, thisArg);
      return i < 0 ? undefined : this[i];
    },
    findLastIndex: function (pred, thisArg) {
      return findLastIndex(this, pred, thisArg);
    },
    // copyWithin(target, start[, end]): copies this[start..end) to target,
    // as if through a temporary copy (the ranges may overlap).
    copyWithin: function copyWithin(target, start, end) {
      var o = toObject(this), n = toLength(o.length);
      var to = relIndex(target, n, 0), from = relIndex(start, n, 0), last = relIndex(end, n, n);
      var count = Math.min(last - from, n - to), dir = 1;
      if (from < to && to < from + count) {
        dir = -1;
        from += count - 1;
        to += count - 1;
      }
      for (; count > 0; count--, from += dir, to += dir) {
        if (from in o) o[to] = o[from];
        else delete o[to];
      }
      return o;
    }
  });
  install(TypedArrayPrototype, {at: Array.prototype.at});

  // ES2022-2023: Object.hasOwn, and arrays changed by copy. A copy reads
  // every index, so holes become undefined, as the spec says.
  install(Object, {hasOwn: function (object, key) { return hasOwn.call(toObject(object), key); }});
  function copyOf(o) {
    var n = toLength(o.length), a = new Array(n);
    for (var i = 0; i < n; i++) a[i] = o[i];
    return a;
  }
  install(Array.prototype, {
    toReversed: function toReversed() { return copyOf(toObject(this)).reverse(); },
    toSorted: function toSorted(compareFn) {
      if (compareFn !== undefined) callable(compareFn);
      return copyOf(toObject(this)).sort(compareFn);
    },
    toSpliced: function toSpliced(start, skipCount) {
      var a = copyOf(toObject(this));
      if (arguments.length > 0) a.splice.apply(a, arguments);   // Duktape's splice() empties
      return a;
    },
    'with': function (index, value) {
      var o = toObject(this), n = toLength(o.length), i = toInteger(index);
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw new RangeError('Invalid index : ' + index);
      var a = copyOf(o);
      a[i] = value;
      return a;
    }
  });

  // Array#sort is stable since ES2019 (V8's is; Duktape's quicksort is
  // not, and code relies on it: sort by one key, then by another). Each
  // element is sorted with its index, which breaks ties, by the native
  // sort; undefined values go last and holes after them, as the spec says.
  var nativeSort = Array.prototype.sort;
  // eider's C sort of an all-string array in place (js_builtins.c).
  var sortStrings = typeof native.hiddenSymbol === 'function' ? global[native.hiddenSymbol('sortStrings')] : undefined;
  var probe = [];
  for (var p = 0; p < 12; p++) probe.push({k: p % 2, i: p});
  nativeSort.call(probe, function (a, b) { return a.k - b.k; });
  var isStable = probe.every(function (e, k) { return k === 0 || probe[k - 1].k !== e.k || probe[k - 1].i < e.i; });
  if (!isStable) {
    Object.defineProperty(Array.prototype, 'sort', {
      value: function sort(compareFn) {
        if (compareFn !== undefined && typeof compareFn !== 'function') {
          throw new TypeError('The comparison function must be either a function or undefined');
        }
        if (compareFn === undefined && sortStrings !== undefined && sortStrings(this)) return this;
        var o = toObject(this), n = toLength(o.length), keyed = [], undef = 0, i;
        for (i = 0; i < n; i++) {
          if (!(i in o)) continue;
          var v = o[i];
          if (v === undefined) undef++;
          else keyed.push({v: v, i: keyed.length, s: compareFn ? null : String(v)});
        }
        nativeSort.call(keyed, compareFn ? function (a, b) {
          var r = Number(compareFn(a.v, b.v));
          return r !== 0 && r === r ? r : a.i - b.i;
        } : function (a, b) {
          return a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i;
        });
        for (i = 0; i < keyed.length; i++) o[i] = keyed[i].v;
        for (var u = 0; u < undef; u++) o[i++] = undefined;
        for (; i < n; i++) delete o[i];
        return o;
      },
      writable: true, configurable: true
    });
  }

  function isRegExp(value) {
    return toStr.call(value) === '[object RegExp]';
  }

  // RegExp source that matches the string s literally.
  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
  }

  // matchAll's iterator: exec() of a global clone of the regexp until null.
  function RegExpStringIterator(re, s) {
    this.re = re;
    this.s = s;
  }
  RegExpStringIterator.prototype = Object.create(IteratorPrototype);
  install(RegExpStringIterator.prototype, {
    next: function next() {
      var re = this.re;
      var m = re === null ? null : re.exec(this.s);
      if (m === null) {
        this.re = null;
        return {value: undefined, done: true};
      }
      if (m[0] === '') re.lastIndex++;   // an empty match must not repeat
      return {value: m, done: false};
    }
  });

  install(String.prototype, {
    replaceAll: function replaceAll(search, replacement) {
      var s = String(toObject(this));
      if (isRegExp(search)) {
        if (search.flags.indexOf('g') < 0) throw new TypeError('replaceAll must be called with a global RegExp');
        return s.replace(search, replacement);
      }
      return s.replace(new RegExp(escapeRegExp(String(search)), 'g'), replacement);
    },
    matchAll: function matchAll(regexp) {
      var s = String(toObject(this)), re;
      if (isRegExp(regexp)) {
        if (regexp.flags.indexOf('g') < 0) throw new TypeError('String.prototype.matchAll called with a non-global RegExp argument');
        re = new RegExp(regexp.source, regexp.flags);
        re.lastIndex = regexp.lastIndex;
      } else {
        re = new RegExp(regexp === undefined ? '(?:)' : String(regexp), 'g');
      }
      return new RegExpStringIterator(re, s);
    },
    at: function at(index) {
      var s = String(toObject(this)), i = toInteger(index);
      if (i < 0) i += s.length;
      return i < 0 || i >= s.length ? undefined : s.charAt(i);
    },
    trimStart: function trimStart() {
      return String(toObject(this)).replace(/^[\s\uFEFF\xA0]+/, '');
    },
    trimEnd: function trimEnd() {
      return String(toObject(this)).replace(/[\s\uFEFF\xA0]+$/, '');
    }
  });
  install(String.prototype, {trimLeft: String.prototype.trimStart, trimRight: String.prototype.trimEnd});

  // A string with each lone surrogate replaced by U+FFFD (FIX), or whether
  // it has none (not FIX): isWellFormed and toWellFormed (ES2024).
  function wellFormed(s, fix) {
    var out = '', last = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i), d = s.charCodeAt(i + 1), lone = c >= 0xDC00 && c <= 0xDFFF;
      if (c >= 0xD800 && c <= 0xDBFF) {
        if (d >= 0xDC00 && d <= 0xDFFF) { i++; continue; }
        lone = true;
      }
      if (!lone) continue;
      if (!fix) return false;
      out += s.slice(last, i) + '\uFFFD';
      last = i + 1;
    }
    return fix ? (last === 0 ? s : out + s.slice(last)) : true;
  }
  install(String.prototype, {
    isWellFormed: function isWellFormed() { return wellFormed(String(toObject(this)), false); },
    toWellFormed: function toWellFormed() { return wellFormed(String(toObject(this)), true); }
  });

  install(String, {
    // String.raw(strings, ...subs): what a tagged template's raw strings
    // and substitutions make (strings.raw, or an object with a raw array).
    raw: function raw(strings) {
      var r = toObject(toObject(strings).raw), n = toLength(r.length), out = '';
      for (var i = 0; i < n; i++) {
        out += String(r[i]);
        if (i + 1 < n && i + 1 < arguments.length) out += String(arguments[i + 1]);
      }
      return out;
    }
  });

  // ---- Error -----------------------------------------------------------------
  // Duktape's Error constructors ignore `this` when called as functions:
  // Error.call(obj, msg) makes and returns a new Error, as in V8.  ES5 code
  // for `class E extends Error` (TypeScript: var _this = _super.call(this,
  // m) || this) then gets a plain Error, so `instanceof E` and E's
  // prototype members are lost.  Each constructor is wrapped: called with
  // a `this` that inherits from its prototype (a subclass instance under
  // construction), it returns a real Error (stack, [object Error]) whose
  // prototype is this's, which the emitted `|| this` code takes as the
  // instance.  The wrappers keep the native prototypes, so errors the
  // engine throws are unchanged and `instanceof TypeError` holds for
  // them; prototype.constructor names the wrapper.
  var NativeError = Error;
  var errorNames = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'];
  var stackGetter = (Object.getOwnPropertyDescriptor(NativeError.prototype, 'stack') || {}).get;
  // A frame of the prelude's own code: in eider the parts are named
  // "prelude_es.js" and so on; the test harness loads them by path.
  var PRELUDE_FRAME = /^\s+at .*\((?:[^()]*\/framework\/js\/|framework\/js\/)?prelude(?:_es|_web|_buffer)?\.js:\d+\).*$\n?/gm;

  // V8's structured stack trace API, which depd (http-errors), callsites
  // and others use: with a function in Error.prepareStackTrace, a stack is
  // prepareStackTrace(error, [CallSite, ...]). Made from Duktape's frames
  // ("    at name (file:line) flags"); Duktape has no column numbers.
  var FRAME = /^\s+at (.*?) \((.*?)(?::(\d+))?\)(.*)$/;
  function CallSite(name, file, line, flags) {
    this.name = name === '[anon]' ? null : name;
    this.file = file === '' ? null : file;
    this.line = line === undefined ? null : Number(line);
    this.flags = flags;
  }
  // Its methods are made on first use: they would cost heap in every
  // worker, and few ever set Error.prepareStackTrace.
  var callSiteReady = false;
  function callSiteMethods() {
    if (callSiteReady) return;
    callSiteReady = true;
    install(CallSite.prototype, {
      getFileName: function () { return this.file; },
      getScriptNameOrSourceURL: function () { return this.file; },
      getLineNumber: function () { return this.line; },
      getColumnNumber: function () { return null; },
      getFunctionName: function () { return this.name; },
      getMethodName: function () { return this.name; },
      getTypeName: function () { return null; },
      getThis: function () { return undefined; },
      getFunction: function () { return undefined; },
      getEvalOrigin: function () { return undefined; },
      isEval: function () { return this.flags.indexOf('eval') >= 0; },
      isNative: function () { return this.flags.indexOf('native') >= 0; },
      isToplevel: function () { return this.name === null; },
      isConstructor: function () { return this.flags.indexOf('construct') >= 0; },
      isAsync: function () { return false; },
      isPromiseAll: function () { return false; },
      getPromiseIndex: function () { return null; },
      toString: function () {
        return (this.name || '<anonymous>') + ' (' + (this.file || 'native') + (this.line !== null ? ':' + this.line : '') + ')';
      }
    });
  }

  // What V8 makes of error's frames (the lines of a stack after its
  // header): prepareStackTrace(error, callSites) when it is set, else the
  // header and the frames.
  function formatStack(error, header, frames) {
    var prepare = global.Error.prepareStackTrace;
    if (typeof prepare !== 'function') return frames ? header + '\n' + frames : header;
    var limit = global.Error.stackTraceLimit, sites = [];
    callSiteMethods();
    frames.split('\n').forEach(function (line) {
      var m = FRAME.exec(line);
      if (m && !(typeof limit === 'number' && sites.length >= limit)) sites.push(new CallSite(m[1], m[2], m[3], m[4]));
    });
    return prepare(error, sites);
  }

  // The stack of err without the wrappers' own frames, read lazily (as
  // Duktape's own stack is) because formatting it costs.
  function ownStack() {
    var s = stackGetter.call(this);
    if (typeof s !== 'string') return s;
    s = s.replace(PRELUDE_FRAME, '');
    if (typeof global.Error.prepareStackTrace !== 'function') return s;
    var at = s.indexOf('\n');
    s = formatStack(this, at < 0 ? s : s.slice(0, at), at < 0 ? '' : s.slice(at + 1));
    setStack.call(this, s);   // prepared once, as V8 does
    return s;
  }
  function setStack(value) {
    Object.defineProperty(this, 'stack', {value: value, writable: true, configurable: true});
  }

  function wrapError(name, Base) {
    var Native = global[name];
    var proto = Native.prototype;
    var Wrapped = function (message, options) {
      var err = message === undefined ? new Native() : new Native(message);
      var target = new.target;
      if (target === undefined && this !== null && typeof this === 'object' && proto.isPrototypeOf(this)) {
        Object.setPrototypeOf(err, Object.getPrototypeOf(this));
      } else if (target !== undefined && target !== Wrapped) {
        Object.setPrototypeOf(err, target.prototype);   // Reflect.construct
      }
      if (options !== null && typeof options === 'object' && 'cause' in options) {
        Object.defineProperty(err, 'cause', {value: options.cause, writable: true, configurable: true});
      }
      if (stackGetter) Object.defineProperty(err, 'stack', {get: ownStack, set: setStack, configurable: true});
      return err;
    };
    Object.defineProperty(Wrapped, 'name', {value: name});
    Object.defineProperty(Wrapped, 'length', {value: 1});
    Wrapped.prototype = proto;
    Object.defineProperty(proto, 'constructor', {value: Wrapped, writable: true, configurable: true});
    if (Base) Object.setPrototypeOf(Wrapped, Base);
    Object.defineProperty(global, name, {value: Wrapped, writable: true, configurable: true});
    return Wrapped;
  }

  // Under V8 (the test adapter) Error.call(this) is what it is there.
  if (typeof Error.captureStackTrace !== 'function') {
    var WrappedError = wrapError('Error', null);
    for (var e = 1; e < errorNames.length; e++) wrapError(errorNames[e], WrappedError);

    // Error.captureStackTrace(obj[, fn]): obj.stack as V8 writes it, a
    // header from String(obj) and the frames of the caller (Duktape cannot
    // drop the frames above fn; it drops this function's own).
    Object.defineProperty(Error, 'captureStackTrace', {
      value: function captureStackTrace(obj) {
        if (obj === null || typeof obj !== 'object' && typeof obj !== 'function') {
          throw new TypeError('Invalid argument: captureStackTrace needs an object');
        }
        var frames = String(new NativeError().stack).split('\n').slice(2).join('\n');
        var header;
        try {
          header = NativeError.prototype.toString.call(obj);
        } catch (err) {
          header = 'Error';
        }
        Object.defineProperty(obj, 'stack', {
          value: formatStack(obj, header, frames.replace(PRELUDE_FRAME, '')),
          writable: true, configurable: true
        });
      },
      writable: true, configurable: true
    });
    Object.defineProperty(Error, 'stackTraceLimit', {value: 10, writable: true, enumerable: true, configurable: true});
  }

  // AggregateError(errors, message): an Error holding several.
  function AggregateError(errors, message, options) {
    var err = new Error(message, options);
    Object.setPrototypeOf(err, new.target && new.target !== AggregateError ? new.target.prototype : AggregateError.prototype);
    Object.defineProperty(err, 'errors', {value: Array.from(errors), writable: true, configurable: true});
    return err;
  }
  AggregateError.prototype = Object.create(Error.prototype, {
    constructor: {value: AggregateError, writable: true, configurable: true},
    name: {value: 'AggregateError', writable: true, configurable: true},
    message: {value: '', writable: true, configurable: true}
  });
  Object.setPrototypeOf(AggregateError, Error);
  install(global, {AggregateError: global.AggregateError || AggregateError});

  // ---- Promise.any -------------------------------------------------------------
  install(Promise, {
    any: function any(iterable) {
      var P = this;
      return new P(function (resolve, reject) {
        var items = Array.from(iterable), errors = [], remaining = items.length;
        if (remaining === 0) reject(new global.AggregateError([], 'All promises were rejected'));
        items.forEach(function (item, i) {
          P.resolve(item).then(resolve, function (reason) {
            errors[i] = reason;
            if (--remaining === 0) reject(new global.AggregateError(errors, 'All promises were rejected'));
          });
        });
      });
    }
  });

  // ---- WeakMap and WeakSet -------------------------------------------------------
  // Approximation: each WeakMap keeps a key's value in a hidden property of
  // the key object itself, under a key of its own, so an entry lives as
  // long as its key does and the map holds no reference to it (what makes
  // it weak).  A non-extensible key (a frozen object) cannot take one: such
  // keys go to a list the map holds strongly, until deleted.
  var lastWeakId = 0;

  function checkKey(key) {
    if (key === null || typeof key !== 'object' && typeof key !== 'function') {
      throw new TypeError('Invalid value used as weak map key');
    }
    return key;
  }

  function WeakMap(iterable) {
    if (!(this instanceof WeakMap)) throw new TypeError("Constructor WeakMap requires 'new'");
    Object.defineProperty(this, '_key', {value: hiddenKey('weak' + ++lastWeakId)});
    Object.defineProperty(this, '_frozen', {value: [], writable: true});
    if (iterable != null) {
      var map = this;
      Array.from(iterable).forEach(function (entry) { map.set(entry[0], entry[1]); });
    }
  }
  function frozenIndex(map, key) {
    for (var i = 0; i < map._frozen.length; i += 2) {
      if (map._frozen[i] === key) return i;
    }
    return -1;
  }
  install(WeakMap.prototype, {
    get: function get(key) {
      if (key === null || typeof key !== 'object' && typeof key !== 'function') return undefined;
      if (hasOwn.call(key, this._key)) return key[this._key];
      var i = frozenIndex(this, key);
      return i < 0 ? undefined : this._frozen[i + 1];
    },
    set: function set(key, value) {
      checkKey(key);
      if (hasOwn.call(key, this._key)) {
        key[this._key] = value;
      } else if (Object.isExtensible(key)) {
        Object.defineProperty(key, this._key, {value: value, writable: true, configurable: true});
      } else {
        var i = frozenIndex(this, key);
        if (i < 0) this._frozen.push(key, value);
        else this._frozen[i + 1] = value;
      }
      return this;
    },
    has: function has(key) {
      if (key === null || typeof key !== 'object' && typeof key !== 'function') return false;
      return hasOwn.call(key, this._key) || frozenIndex(this, key) >= 0;
    },
    'delete': function (key) {
      if (key === null || typeof key !== 'object' && typeof key !== 'function') return false;
      if (hasOwn.call(key, this._key)) return delete key[this._key];
      var i = frozenIndex(this, key);
      if (i < 0) return false;
      this._frozen.splice(i, 2);
      return true;
    }
  });
  Object.defineProperty(WeakMap.prototype, Symbol.toStringTag, {value: 'WeakMap', configurable: true});

  function WeakSet(iterable) {
    if (!(this instanceof WeakSet)) throw new TypeError("Constructor WeakSet requires 'new'");
    Object.defineProperty(this, '_map', {value: new WeakMap()});
    if (iterable != null) {
      var set = this;
      Array.from(iterable).forEach(function (value) { set.add(value); });
    }
  }
  install(WeakSet.prototype, {
    add: function add(value) {
      if (value === null || typeof value !== 'object' && typeof value !== 'function') {
        throw new TypeError('Invalid value used in weak set');
      }
      this._map.set(value, true);
      return this;
    },
    has: function has(value) { return this._map.has(value); },
    'delete': function (value) { return this._map['delete'](value); }
  });
  Object.defineProperty(WeakSet.prototype, Symbol.toStringTag, {value: 'WeakSet', configurable: true});
  install(global, {WeakMap: WeakMap, WeakSet: WeakSet});

  // ---- Date ------------------------------------------------------------------------
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var ZONES = {UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300,
    MST: -420, MDT: -360, PST: -480, PDT: -420};
  var NativeDate = Date;
  var nativeParse = Date.parse;

  function two(n) {
    return n < 10 ? '0' + n : String(n);
  }

  // The legacy forms V8 reads where Duktape reads only ISO 8601 and its
  // own: RFC 7231 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
  // ("Sunday, 06-Nov-94 08:49:37 GMT"), asctime ("Sun Nov  6 08:49:37
  // 1994"), RFC 2822 zones ("+0100", "EST"), "Nov 6, 1994", "1994/11/06",
  // "2020-01-02 03:04:05".  Words that are not a month or a zone are
  // ignored (weekdays); no zone means local time, as in V8.  NaN if it
  // does not read as a date.
  function legacyParse(s) {
    var tokens = s.replace(/,/g, ' ').match(/\d+:\d+(?::\d+(?:\.\d+)?)?|[+-]\d{2}:?\d{2}|\d+|[A-Za-z]+|[\/.-]/g);
    if (tokens === null) return NaN;
    var nums = [], month = -1, time = null, zone = null, pm = null;
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i], up = t.toUpperCase();
      if (/^\d+:/.test(t)) {
        if (time !== null) return NaN;
        time = t.split(':').map(Number);
      } else if (/^[+-]\d/.test(t) && (time !== null || nums.length >= 3 || month >= 0 && nums.length >= 2)) {
        var z = t.replace(':', '');
        zone = (z[0] === '-' ? -1 : 1) * (Number(z.substr(1, 2)) * 60 + Number(z.substr(3, 2)));
      } else if (/^\d/.test(t)) {
        nums.push(t);
      } else if (/^[A-Za-z]/.test(t)) {
        if (hasOwn.call(ZONES, up)) zone = ZONES[up];
        else if (up === 'AM' || up === 'PM') pm = up === 'PM';
        else if (up.length >= 3 && MONTHS.some(function (m, k) {
          if (m.toUpperCase() === up.substr(0, 3)) month = k;
          return month === k;
        })) { /* month found */ }
        else if (!DAYS.some(function (d) { return d.toUpperCase() === up.substr(0, 3); }) && up !== 'T') return NaN;
      }
    }
    var year, day;
    if (month >= 0) {
      if (nums.length !== 2) return NaN;
      // "06 Nov 1994", "Nov 6 1994", "1994 Nov 6"
      if (nums[0].length > 2) {
        year = nums[0];
        day = nums[1];
      } else {
        day = nums[0];
        year = nums[1];
      }
    } else {
      if (nums.length !== 3) return NaN;
      if (nums[0].length > 2) {         // 1994/11/06
        year = nums[0];
        month = Number(nums[1]) - 1;
        day = nums[2];
      } else {                          // 11/06/1994
        month = Number(nums[0]) - 1;
        day = nums[1];
        year = nums[2];
      }
    }
    year = Number(year);
    if (year < 50 && String(year).length <= 2) year += 2000;
    else if (year < 100) year += 1900;
    day = Number(day);
    if (month < 0 || month > 11 || day < 1 || day > 31) return NaN;
    var h = 0, mi = 0, sec = 0;
    if (time !== null) {
      h = time[0];
      mi = time[1];
      sec = time.length > 2 ? time[2] : 0;
      if (pm !== null && h <= 12) h = h % 12 + (pm ? 12 : 0);
      if (h > 24 || mi > 59 || sec >= 60) return NaN;
    }
    if (zone === null) return new NativeDate(year, month, day, h, mi, Math.floor(sec), Math.round(sec % 1 * 1000)).getTime();
    return NativeDate.UTC(year, month, day, h, mi, Math.floor(sec), Math.round(sec % 1 * 1000)) - zone * 60000;
  }

  // An ISO date-time without an offset is local time since ES2016 (V8);
  // Duktape follows ES5.1, which read it as UTC.
  var ISO_LOCAL = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?$/;

  function parseDate(s) {
    s = String(s);
    var m = ISO_LOCAL.exec(s);
    if (m !== null && nativeParse(s) === nativeParse(s)) {
      var ms = m[7] === undefined ? 0 : Math.floor(Number('0.' + m[7]) * 1000);
      return new NativeDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]),
        m[6] === undefined ? 0 : Number(m[6]), ms).getTime();
    }
    var t;
    // Duktape's own parser for ISO forms (and its toString() form); the
    // legacy parser first for the others, as Duktape reads some of them
    // but ignores their zone ("... 1994 GMT" as local time).
    var iso = /^\s*[+-]?\d{4,6}-(\d\d)(?:-(\d\d))?/.exec(s);
    if (iso !== null) {
      // Duktape rolls a month 13 or a day 32 over; V8 refuses them.
      if (Number(iso[1]) < 1 || Number(iso[1]) > 12 || iso[2] !== undefined && (Number(iso[2]) < 1 || Number(iso[2]) > 31)) {
        return NaN;
      }
      t = nativeParse(s);
      if (t === t) return t;
    }
    t = legacyParse(s.trim());
    return t === t ? t : nativeParse(s);
  }

  var nativeToUTCString = NativeDate.prototype.toUTCString;
  if (nativeToUTCString.call(new NativeDate(0)).indexOf('GMT') < 0) {
    var toUTCString = function toUTCString() {
      var t = this.getTime();   // throws for a non-Date, as the native one
      if (t !== t) return 'Invalid Date';
      return DAYS[this.getUTCDay()] + ', ' + two(this.getUTCDate()) + ' ' + MONTHS[this.getUTCMonth()] + ' ' +
        this.getUTCFullYear() + ' ' + two(this.getUTCHours()) + ':' + two(this.getUTCMinutes()) + ':' +
        two(this.getUTCSeconds()) + ' GMT';
    };
    Object.defineProperty(NativeDate.prototype, 'toUTCString', {value: toUTCString, writable: true, configurable: true});
    Object.defineProperty(NativeDate.prototype, 'toGMTString', {value: toUTCString, writable: true, configurable: true});

    // new Date(string) must read what Date.parse reads: wrap the
    // constructor, keeping the prototype so `instanceof Date` holds for
    // every date (those made by the engine too).
    var WrappedDate = function Date(a, b, c, d, e2, f, g) {
      if (new.target === undefined) return new NativeDate().toString();
      var n = arguments.length, date;
      if (n === 0) date = new NativeDate();
      else if (n === 1) date = new NativeDate(typeof a === 'string' ? parseDate(a) : a);
      else if (n === 2) date = new NativeDate(a, b);
      else if (n === 3) date = new NativeDate(a, b, c);
      else if (n === 4) date = new NativeDate(a, b, c, d);
      else if (n === 5) date = new NativeDate(a, b, c, d, e2);
      else if (n === 6) date = new NativeDate(a, b, c, d, e2, f);
      else date = new NativeDate(a, b, c, d, e2, f, g);
      if (new.target !== WrappedDate) Object.setPrototypeOf(date, new.target.prototype);
      return date;
    };
    Object.defineProperty(WrappedDate, 'length', {value: 7});
    WrappedDate.prototype = NativeDate.prototype;
    WrappedDate.now = NativeDate.now;
    WrappedDate.UTC = NativeDate.UTC;
    WrappedDate.parse = function parse(s) { return parseDate(s); };
    Object.defineProperty(NativeDate.prototype, 'constructor', {value: WrappedDate, writable: true, configurable: true});
    Object.defineProperty(global, 'Date', {value: WrappedDate, writable: true, configurable: true});
  }
})
