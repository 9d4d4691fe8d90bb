/*
 * eider prelude, first part: RegExp on PCRE2 (framework/js_regexp.c).
 * Same contract as prelude.js: one function expression, called once per
 * heap as prelude(global, native). Without the native engine (under Node,
 * the test adapter) it does nothing. It runs first so that the parts
 * after it, which keep Object.prototype.toString to tell a RegExp, keep
 * the one that knows the PCRE2 kind too.
 *
 * The global RegExp becomes a function whose prototype is Duktape's own
 * RegExp.prototype, so that regex literals Duktape compiled in an ES5 file
 * (its RegExp objects), objects made by new RegExp, and the literals the
 * lowering rewrote (__eiderRegExp(source, flags), lower.js) are all
 * `instanceof RegExp` and share exec, test, the flag getters and
 * toString; exec and test run PCRE2 for all of them. Duktape 2.7 has no
 * Symbol.replace and friends: String.prototype.match, replace, search
 * and split take a regexp here directly.
 *
 * Compiled patterns are cached per heap by flags and source (up to
 * CACHE_MAX; then the cache starts over, and code objects still held by a
 * RegExp stay alive until it is collected).
 */
(function (global, native) {
  'use strict';

  if (typeof native.hiddenSymbol !== 'function') return;
  var R = global[native.hiddenSymbol('regexp')];
  if (!R) return;
  var OrigRegExp = global.RegExp, proto = OrigRegExp.prototype;
  // The compiled code of a RegExp object (js_regexp.c reads the same
  // key); the code object also carries the source as a literal writes it
  // (s) and the flags in their canonical order (f).
  var CODE = native.hiddenSymbol('reCode');
  var CACHE_MAX = 1000;
  var origToString = Object.prototype.toString;
  var origExec = proto.exec, origTest = proto.test;
  var strProto = String.prototype;
  var getters = {};
  ['source', 'flags', 'global', 'ignoreCase', 'multiline'].forEach(function (k) {
    getters[k] = Object.getOwnPropertyDescriptor(proto, k).get;
  });

  var cache = Object.create(null), cached = 0;

  function compile(source, flags) {
    var key = flags + '/' + source, c = cache[key];
    if (c !== undefined) return c;
    if (cached >= CACHE_MAX) { cache = Object.create(null); cached = 0; }
    c = R.compile(source, flags);
    c.s = escapeSource(source);
    c.f = canonicalFlags(flags);
    cache[key] = c;
    cached++;
    return c;
  }

  var FLAG_ORDER = 'dgimsuy';

  function canonicalFlags(fl) {
    var canon = '';
    for (var i = 0; i < FLAG_ORDER.length; i++) {
      if (fl.indexOf(FLAG_ORDER[i]) >= 0) canon += FLAG_ORDER[i];
    }
    return canon;
  }

  // A RegExp object Duktape made itself (a literal of an ES5 file).
  function isNative(re) {
    return origToString.call(re) === '[object RegExp]';
  }

  function isRegExp(x) {
    return x !== null && typeof x === 'object' && (x[CODE] !== undefined || isNative(x));
  }

  // The code of X as a regexp (js_regexp.c calls this when X has none
  // yet): for Duktape's own RegExp objects made on first use; null where
  // PCRE2 refused a pattern Duktape's engine took, which then keeps
  // running it; undefined for what is no RegExp.
  function codeFor(x) {
    var c = x[CODE];
    if (c !== undefined) return c;
    if (!isNative(x)) return undefined;
    try {
      c = compile(getters.source.call(x), getters.flags.call(x));
    } catch (e) {
      c = null;
    }
    x[CODE] = c;
    return c;
  }

  // EscapeRegExpPattern: source as it would be written in a literal.
  function escapeSource(src) {
    // No regexp here: compile() calls this.
    if (src === '') return '(?:)';
    var out = '', inClass = false;
    for (var i = 0; i < src.length; i++) {
      var c = src[i];
      if (c === '\\') { out += c + (i + 1 < src.length ? src[++i] : ''); continue; }
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      out += c === '/' && !inClass ? '\\/' : c === '\n' ? '\\n' : c === '\r' ? '\\r'
        : c === '\u2028' ? '\\u2028' : c === '\u2029' ? '\\u2029' : c;
    }
    return out;
  }

  function RegExp(pattern, flags) {
    var patternIsRe = isRegExp(pattern), src, fl;
    if (!(this instanceof RegExp) && patternIsRe && flags === undefined
        && pattern.constructor === RegExp) return pattern;
    if (patternIsRe) {
      src = pattern.source;
      fl = flags === undefined ? pattern.flags : String(flags);
    } else {
      src = pattern === undefined ? '' : String(pattern);
      fl = flags === undefined ? '' : String(flags);
    }
    // A subclass's object (new.target other than RegExp) is this; else
    // the object is made in C (js_regexp.c, make()).
    if (!(this instanceof RegExp) || Object.getPrototypeOf(this) === proto) return R.make(src, fl);
    this[CODE] = compile(src, fl);
    Object.defineProperty(this, 'lastIndex', { value: 0, writable: true, enumerable: false, configurable: false });
    return this;
  }
  RegExp.prototype = proto;
  Object.defineProperty(proto, 'constructor', { value: RegExp, writable: true, configurable: true });

  // Flag getters for both kinds of object.
  function flagGetter(name, letter) {
    return function () {
      var c = this === null || this === undefined ? undefined : this[CODE];
      if (c) return letter === null ? c.f : c.f.indexOf(letter) >= 0;
      if (this === proto) return undefined;
      if (getters[name]) return getters[name].call(this);
      if (isNative(this)) return false;       // Duktape knows no s, u, y, d
      throw new TypeError('RegExp.prototype.' + name + ' getter called on a non-RegExp');
    };
  }
  var FLAG_PROPS = { flags: null, global: 'g', ignoreCase: 'i', multiline: 'm', dotAll: 's',
                     unicode: 'u', sticky: 'y', hasIndices: 'd' };
  Object.keys(FLAG_PROPS).forEach(function (name) {
    Object.defineProperty(proto, name, { get: flagGetter(name, FLAG_PROPS[name]), configurable: true });
  });
  Object.defineProperty(proto, 'source', { configurable: true, get: function () {
    var c = this === null || this === undefined ? undefined : this[CODE];
    if (c) return c.s;
    return this === proto ? '(?:)' : getters.source.call(this);
  } });

  function install(obj, methods) {
    Object.keys(methods).forEach(function (k) {
      Object.defineProperty(obj, k, { value: methods[k], writable: true, configurable: true });
    });
  }

  install(proto, { exec: R.protoExec, test: R.protoTest });
  install(proto, {
    toString: function toString() {
      return '/' + this.source + '/' + this.flags;
    },
    compile: function compile(pattern, flags) {
      var re = new RegExp(pattern, flags);
      this[CODE] = re[CODE];
      this.lastIndex = 0;
      return this;
    }
  });

  // Objects of the PCRE2 kind say they are RegExps, as Duktape's do
  // (util.types.isRegExp, lodash's isRegExp, structuredClone read this).
  install(Object.prototype, {
    toString: function toString() {
      if (this !== null && this !== undefined && this[CODE] !== undefined) return '[object RegExp]';
      return origToString.call(this);
    }
  });

  // The methods that take a regexp are C (js_regexp.c), falling back to
  // Duktape's own for what is no RegExp.
  R.setup({ codeFor: codeFor, compile: compile, RegExp: RegExp, proto: proto, exec: origExec, test: origTest,
            replace: strProto.replace, split: strProto.split, match: strProto.match,
            search: strProto.search });
  install(strProto, { replace: R.strReplace, split: R.strSplit, match: R.strMatch,
                      search: R.strSearch });

  global.RegExp = RegExp;
  // What the lowering writes for a regex literal (lower.js).
  Object.defineProperty(global, '__eiderRegExp', {
    value: R.make,
    writable: false, enumerable: false, configurable: false
  });
  Object.defineProperty(global, 'RegExp', { enumerable: false });
});
