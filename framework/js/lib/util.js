/*
 * require('util'): format, inspect, promisify, callbackify, inherits,
 * deprecate, isDeepStrictEqual (assert's comparison), types
 * (lib/util/types.js), TextEncoder/TextDecoder, and the old util.isX
 * predicates.  Plain ES5.  console.log() and its siblings
 * (framework/js_console.c) call this module's formatWithOptions for every
 * line that is not plain strings, so console and util.format are one
 * implementation.
 *
 * inspect() follows Node 20's output for the common values (the same
 * line-breaking rule: an object goes on one line when its entries fit in
 * breakLength 80 and at most 3 levels of nesting are inside it); not
 * done: colors (accepted, ignored), showProxy, getters: true, sorted,
 * numericSeparator, [class X] (a class lowered to ES5 is a function), and
 * the grouping of long arrays of numbers into columns.
 */
'use strict';

var hasOwn = Object.prototype.hasOwnProperty;
var toStr = Object.prototype.toString;
var customInspect = Symbol['for']('nodejs.util.inspect.custom');
var customPromisify = Symbol['for']('nodejs.util.promisify.custom');

var defaultOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false
};

function tagOf(value) {
  return toStr.call(value).slice(8, -1);
}

// ---- types (lib/util/types.js) ------------------------------------------------
var types = require('util/types');
var TYPED = /^(?:Uint8|Uint8Clamped|Uint16|Uint32|Int8|Int16|Int32|Float32|Float64|BigInt64|BigUint64)Array$/;

function isTypedArray(v) {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

// ---- inspect ------------------------------------------------------------------
var META = ['\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07', '\\b', '\\t', '\\n',
  '\\x0B', '\\f', '\\r', '\\x0E', '\\x0F', '\\x10', '\\x11', '\\x12', '\\x13', '\\x14', '\\x15', '\\x16',
  '\\x17', '\\x18', '\\x19', '\\x1A', '\\x1B', '\\x1C', '\\x1D', '\\x1E', '\\x1F'];
var NEEDS_ESCAPE = /[\x00-\x1f\x27\x5c\x7f-\x9f]/;

// str quoted as Node quotes it: single quotes, or double quotes when it
// holds single ones but no double ones, or backticks when it holds both.
function strEscape(str) {
  var quote = "'";
  if (str.indexOf("'") >= 0) {
    if (str.indexOf('"') < 0) quote = '"';
    else if (str.indexOf('`') < 0 && str.indexOf('${') < 0) quote = '`';
  }
  if (!NEEDS_ESCAPE.test(str) || quote !== "'" && !/[\x00-\x1f\x5c\x7f-\x9f]/.test(str)) {
    return quote + str + quote;
  }
  var out = '';
  for (var i = 0; i < str.length; i++) {
    var c = str.charCodeAt(i);
    if (c === 39 && quote === "'") out += "\\'";
    else if (c === 92) out += '\\\\';
    else if (c < 32) out += META[c];
    else if (c >= 0x7f && c <= 0x9f) out += '\\x' + c.toString(16).toUpperCase();
    else out += str.charAt(i);
  }
  return quote + out + quote;
}

var IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

function formatKey(key) {
  if (typeof key === 'symbol') return '[' + String(key) + ']';
  return IDENTIFIER.test(key) ? key : strEscape(key);
}

function formatNumber(n) {
  return n === 0 && 1 / n < 0 ? '-0' : String(n);
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
  case 'string':
    var trailer = '';
    if (value.length > ctx.maxStringLength) {
      var remaining = value.length - ctx.maxStringLength;
      value = value.slice(0, ctx.maxStringLength);
      trailer = '... ' + remaining + ' more character' + (remaining > 1 ? 's' : '');
    }
    if (ctx.compact !== true && value.length > 16 && value.length > ctx.breakLength - ctx.indentationLvl - 4) {
      // Long strings are split after each newline.
      var lines = value.match(/[^\n]*\n|[^\n]+$/g) || [value];
      return lines.map(strEscape).join(' +\n' + new Array(ctx.indentationLvl + 3).join(' ')) + trailer;
    }
    return strEscape(value) + trailer;
  case 'number': return formatNumber(value);
  case 'symbol': return String(value);
  default: return String(value);   // undefined, boolean
  }
}

// The name of the constructor of the first prototype of value that has an
// own one, or null (null prototype); Node's getConstructorName.
function constructorName(value) {
  var obj = value;
  while (obj !== null && obj !== undefined) {
    var desc = Object.getOwnPropertyDescriptor(obj, 'constructor');
    if (desc !== undefined && typeof desc.value === 'function' && desc.value.name !== '') {
      return desc.value.name;
    }
    obj = Object.getPrototypeOf(obj);
  }
  return null;
}

// "Foo " / "[Foo: null prototype] " style prefix.
function prefix(constructor, tag, fallback, size) {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return '[' + fallback + (size || '') + ': null prototype] [' + tag + '] ';
    return '[' + fallback + (size || '') + ': null prototype] ';
  }
  if (tag !== '' && constructor !== tag) return constructor + (size || '') + ' [' + tag + '] ';
  return constructor + (size || '') + ' ';
}

// The keys to show: own enumerable string keys and (with showHidden, all)
// own symbols that are enumerable.
function getKeys(value, showHidden) {
  var keys = showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value);
  var symbols = Object.getOwnPropertySymbols(value);
  for (var i = 0; i < symbols.length; i++) {
    var d = Object.getOwnPropertyDescriptor(value, symbols[i]);
    if (d && (showHidden || d.enumerable)) keys.push(symbols[i]);
  }
  return keys;
}

function formatProperty(ctx, value, recurseTimes, key, arrayType) {
  var desc = Object.getOwnPropertyDescriptor(value, key) || {value: value[key], enumerable: true};
  var str;
  if (desc.value !== undefined || !('get' in desc || 'set' in desc)) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else {
    str = desc.set !== undefined ? '[Setter]' : 'undefined';
  }
  if (arrayType) return str;
  var name = formatKey(key);
  if (desc.enumerable === false) name = '[' + name + ']';
  return name + ': ' + str;
}

function formatArrayLike(ctx, value, recurseTimes, length) {
  var output = [], max = Math.min(ctx.maxArrayLength, length), holes = 0, i;
  for (i = 0; i < length && output.length < max; i++) {
    if (!hasOwn.call(value, i)) {
      holes++;
      continue;
    }
    if (holes > 0) {
      output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
      holes = 0;
      if (output.length >= max) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, i, true));
  }
  if (holes > 0 && output.length < max) {
    output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
    holes = 0;
  }
  var remaining = length - i + holes;
  if (remaining > 0) output.push('... ' + remaining + ' more item' + (remaining > 1 ? 's' : ''));
  return output;
}

function formatTypedArray(ctx, value, recurseTimes) {
  var output = [], max = Math.min(ctx.maxArrayLength, value.length);
  for (var i = 0; i < max; i++) output.push(formatNumber(value[i]));
  if (value.length > max) {
    var remaining = value.length - max;
    output.push('... ' + remaining + ' more item' + (remaining > 1 ? 's' : ''));
  }
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    output.push('[BYTES_PER_ELEMENT]: ' + value.BYTES_PER_ELEMENT,
      '[length]: ' + value.length, '[byteLength]: ' + value.byteLength,
      '[byteOffset]: ' + value.byteOffset, '[buffer]: ' + formatValue(ctx, value.buffer, recurseTimes, true));
    ctx.indentationLvl -= 2;
  }
  return output;
}

function hexBytes(bytes, max) {
  var out = [];
  for (var i = 0; i < Math.min(max, bytes.length); i++) out.push((bytes[i] < 16 ? '0' : '') + bytes[i].toString(16));
  var s = out.join(' ');
  if (bytes.length > max) s += ' ... ' + (bytes.length - max) + ' more byte' + (bytes.length - max > 1 ? 's' : '');
  return s;
}

// [state, value] of one of the prelude's promises (0 pending, 1 fulfilled,
// 2 rejected), from the hook prelude.js puts on Promise; null if unknown.
var promiseStateKey = Symbol['for']('eider.promiseState');
function promiseState(p) {
  var hook = Promise[promiseStateKey];
  var st = typeof hook === 'function' ? hook(p) : undefined;
  return st === undefined ? null : {state: st[0], result: st[1]};
}

function formatError(err, constructor, tag, ctx, keys) {
  var name = err.name != null ? String(err.name) : 'Error';
  var stack;
  try {
    stack = err.stack;
  } catch (e) { /* a throwing getter */ }
  stack = typeof stack === 'string' && stack !== '' ? stack : Error.prototype.toString.call(err);
  // Duktape's frames carry flags Node does not print.
  stack = stack.replace(/ (?:preventsyield|directeval|strict|construct|native|internal|tailcall|varargs)+(?= |$)/gm, '');
  // An error whose stack has no frames is shown in brackets, as Node does.
  var frameAt = stack.search(/\n\s+at /);
  if (frameAt < 0) stack = '[' + stack + ']';
  if (ctx.indentationLvl !== 0) {
    stack = stack.split('\n').join('\n' + new Array(ctx.indentationLvl + 1).join(' '));
  }
  // Keep name and message out of the keys shown after the stack.
  for (var k = keys.length - 1; k >= 0; k--) {
    if ((keys[k] === 'message' || keys[k] === 'name' || keys[k] === 'stack') && typeof err[keys[k]] === 'string' &&
        stack.indexOf(err[keys[k]]) >= 0) {
      keys.splice(k, 1);
    }
  }
  if (constructor === null) stack = '[' + name + ': null prototype] ' + stack;
  return stack;
}

function formatValue(ctx, value, recurseTimes, typedArrayBuffer) {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
  if (value === null) return 'null';
  if (ctx.customInspect) {
    var maybeCustom;
    try {
      maybeCustom = value[customInspect];
    } catch (e) { /* ignore */ }
    if (typeof maybeCustom === 'function' && maybeCustom !== inspect) {
      var depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      var opts = {};
      for (var k in ctx) if (hasOwn.call(defaultOptions, k)) opts[k] = ctx[k];
      opts.depth = depth;
      var ret = maybeCustom.call(value, depth, opts, inspect);
      if (ret !== value) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.split('\n').join('\n' + new Array(ctx.indentationLvl + 1).join(' '));
      }
    }
  }
  if (ctx.seen.indexOf(value) >= 0) {
    var index = ctx.circular.indexOf(value);
    if (index < 0) {
      ctx.circular.push(value);
      index = ctx.circular.length - 1;
    }
    return '[Circular *' + (index + 1) + ']';
  }
  return formatRaw(ctx, value, recurseTimes, typedArrayBuffer);
}

function formatRaw(ctx, value, recurseTimes, typedArrayBuffer) {
  var constructor = constructorName(value);
  var tag = value[Symbol.toStringTag];
  tag = typeof tag === 'string' && tag !== '' ? tag : '';
  var keys = getKeys(value, ctx.showHidden);
  var base = '', braces = ['{', '}'], formatter = null, extras = 0, noIterator = false, i;
  var rawTag = tagOf(value);
  var output;

  if (Array.isArray(value)) {
    keys = keys.filter(function (key) {
      return !(typeof key === 'string' && /^(?:0|[1-9][0-9]*)$/.test(key)) && (key !== 'length' || ctx.showHidden);
    });
    var arrPrefix = constructor !== 'Array' || tag !== '' ? prefix(constructor, tag, 'Array', '(' + value.length + ')') : '';
    braces = [arrPrefix + '[', ']'];
    if (value.length === 0 && keys.length === 0) return braces[0] + ']';
    extras = 1;
    formatter = function () { return formatArrayLike(ctx, value, recurseTimes, value.length); };
  } else if (value instanceof Set) {
    var setPrefix = prefix(constructor, tag === 'Set' ? '' : tag, 'Set', '(' + value.size + ')');
    if (value.size === 0 && keys.length === 0) return setPrefix + '{}';
    braces = [setPrefix + '{', '}'];
    formatter = function () {
      var out = [];
      ctx.indentationLvl += 2;
      value.forEach(function (v) { out.push(formatValue(ctx, v, recurseTimes)); });
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (value instanceof Map) {
    var mapPrefix = prefix(constructor, tag === 'Map' ? '' : tag, 'Map', '(' + value.size + ')');
    if (value.size === 0 && keys.length === 0) return mapPrefix + '{}';
    braces = [mapPrefix + '{', '}'];
    formatter = function () {
      var out = [];
      ctx.indentationLvl += 2;
      value.forEach(function (v, k) { out.push(formatValue(ctx, k, recurseTimes) + ' => ' + formatValue(ctx, v, recurseTimes)); });
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (isTypedArray(value)) {
    var isBuf = typeof Buffer === 'function' && value instanceof Buffer;
    if (isBuf) {
      var str = hexBytes(value, 50);
      var bufKeys = keys.filter(function (key) { return !(typeof key === 'string' && /^\d+$/.test(key)); });
      if (bufKeys.length === 0) return '<Buffer' + (str ? ' ' + str : '') + '>';
    }
    var typedName = constructor || rawTag;
    keys = keys.filter(function (key) { return !(typeof key === 'string' && /^\d+$/.test(key)); });
    var taPrefix = prefix(constructor, tag === typedName || TYPED.test(tag) ? '' : tag, typedName, '(' + value.length + ')');
    if (value.length === 0 && keys.length === 0 && !ctx.showHidden) return taPrefix + '[]';
    braces = [taPrefix + '[', ']'];
    extras = 1;
    formatter = function () { return formatTypedArray(ctx, value, recurseTimes); };
  } else if (typeof value === 'function') {
    base = '[Function' + (value.name ? ': ' + value.name : ' (anonymous)') + ']';
    if (constructor === null) base = '[Function (null prototype)' + (value.name ? ': ' + value.name : '') + ']';
    if (tag !== '' && constructor !== tag) base += ' [' + tag + ']';
    keys = keys.filter(function (key) { return key !== 'prototype' || ctx.showHidden; });
    if (keys.length === 0) return base;
  } else if (rawTag === 'RegExp') {
    base = RegExp.prototype.toString.call(value);
    if (constructor !== 'RegExp') base = prefix(constructor, tag, 'RegExp') + base;
    keys = keys.filter(function (key) { return key !== 'lastIndex' || ctx.showHidden; });
    if (keys.length === 0) return base;
  } else if (rawTag === 'Date') {
    var t = value.getTime();
    base = t !== t ? 'Invalid Date' : Date.prototype.toISOString.call(value);
    if (constructor !== 'Date') base = prefix(constructor, tag, 'Date') + base;
    if (keys.length === 0) return base;
  } else if (rawTag === 'Error' || value instanceof Error) {
    base = formatError(value, constructor, tag, ctx, keys);
    if (keys.length === 0) return base;
  } else if (value instanceof ArrayBuffer) {
    if (recurseTimes > ctx.depth && ctx.depth !== null) return '[ArrayBuffer]';
    braces[0] = prefix(constructor, tag, 'ArrayBuffer') + '{';
    formatter = function () {
      return ['[Uint8Contents]: <' + hexBytes(new Uint8Array(value), 50) + '>', 'byteLength: ' + formatNumber(value.byteLength)];
    };
    if (typedArrayBuffer) keys = [];
  } else if (value instanceof Promise) {
    braces[0] = prefix(constructor, tag === 'Promise' ? '' : tag, 'Promise') + '{';
    formatter = function () {
      var st = promiseState(value);
      if (st === null || st.state === 0) return ['<pending>'];
      ctx.indentationLvl += 2;
      var shown = formatValue(ctx, st.result, recurseTimes);
      ctx.indentationLvl -= 2;
      return [st.state === 2 ? '<rejected> ' + shown : shown];
    };
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    braces[0] = prefix(constructor, '', value instanceof WeakMap ? 'WeakMap' : 'WeakSet') + '{';
    formatter = function () { return ['<items unknown>']; };
  } else if (rawTag === 'Arguments') {
    // Node 20 shows an arguments object as an object of its indices.
    if (keys.length === 0) return '[Arguments] {}';
    braces = ['[Arguments] {', '}'];
  } else if (rawTag === 'Number' || rawTag === 'String' || rawTag === 'Boolean' || rawTag === 'Symbol') {
    var prim = value.valueOf();
    base = '[' + rawTag + (constructor === null ? ' (null prototype)' : constructor !== rawTag ? ' (' + constructor + ')' : '') +
      ': ' + formatPrimitive(Object.create(ctx, {compact: {value: true}}), prim) + ']';
    if (rawTag === 'String') keys = keys.filter(function (key) { return !(typeof key === 'string' && /^\d+$/.test(key)) && key !== 'length'; });
    if (keys.length === 0) return base;
  } else {
    noIterator = true;
  }
  if (noIterator) {
    if (constructor === 'Object' && (tag === '' || tag === 'Object')) {
      if (keys.length === 0) return '{}';
    } else {
      var objPrefix = prefix(constructor, tag, 'Object');
      if (keys.length === 0) return objPrefix + '{}';
      braces[0] = objPrefix + '{';
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    var shortName = constructor === null ? 'Object' : constructor;
    if (Array.isArray(value)) return '[' + (constructor || 'Array') + ']';
    return '[' + (tag !== '' && tag !== shortName ? shortName + ' [' + tag + ']' : shortName) + ']';
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  try {
    output = formatter ? formatter() : [];
    for (i = 0; i < keys.length; i++) output.push(formatProperty(ctx, value, recurseTimes, keys[i], false));
  } finally {
    ctx.seen.pop();
  }
  var ref = ctx.circular.indexOf(value);
  if (ref >= 0) {
    var refMark = '<ref *' + (ref + 1) + '> ';
    if (base === '') braces[0] = refMark + braces[0];
    else base = refMark + base;
  }
  return reduceToSingleString(ctx, output, base, braces, extras, recurseTimes, value);
}

// Node's rule: entries on one line if they fit and the value holds at most
// `compact` levels of objects; else one entry per line.
function reduceToSingleString(ctx, output, base, braces, extras, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      var entries = output.length;
      if (extras === 1 && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        var start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          var joined = output.join(', ');
          if (joined.indexOf('\n') < 0) {
            return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
          }
        }
      }
    }
    var indentation = '\n' + new Array(ctx.indentationLvl + 1).join(' ');
    return (base ? base + ' ' : '') + braces[0] + indentation + '  ' + output.join(',' + indentation + '  ') +
      indentation + braces[1];
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return braces[0] + (base ? ' ' + base : '') + ' ' + output.join(', ') + ' ' + braces[1];
  }
  var ind = new Array(ctx.indentationLvl + 1).join(' ');
  var ln = base === '' && braces[0].length === 1 ? ' ' : (base ? ' ' + base : '') + '\n' + ind + '  ';
  return braces[0] + ln + output.join(',\n' + ind + '  ') + ' ' + braces[1];
}

function repeat(s, n) {
  return n > 0 ? new Array(Math.floor(n) + 1).join(s) : '';
}

// Node's columns for arrays of more than 6 short entries: as many columns
// as make the block about square, numbers right-aligned.
function groupArrayElements(ctx, output, value) {
  var totalLength = 0, maxLength = 0, i, j, outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;   // "... n more items"
  var separatorSpace = 2, dataLen = new Array(outputLength);
  for (i = 0; i < outputLength; i++) {
    var len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  var actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    var averageBias = Math.sqrt(actualMax - totalLength / output.length);
    var biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    var columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax), ctx.compact * 4, 15);
    if (columns <= 1) return output;
    var tmp = [], maxLineLength = [];
    for (i = 0; i < columns; i++) {
      var lineLength = 0;
      for (j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    var padStart = true;
    if (value !== undefined) {
      for (i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number') {
          padStart = false;
          break;
        }
      }
    }
    for (i = 0; i < outputLength; i += columns) {
      var max = Math.min(i + columns, outputLength), str = '';
      for (j = i; j < max - 1; j++) {
        var cell = output[j] + ', ';
        str += padStart ? repeat(' ', maxLineLength[j - i] - cell.length) + cell : cell + repeat(' ', maxLineLength[j - i] - cell.length);
      }
      str += padStart ? repeat(' ', maxLineLength[j - i] - separatorSpace - output[j].length) + output[j] : output[j];
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function isBelowBreakLength(ctx, output, start, base) {
  var total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (var i = 0; i < output.length; i++) {
    total += output[i].length;
    if (total > ctx.breakLength) return false;
  }
  return base === '' || base.indexOf('\n') < 0;
}

// inspect(value[, options]) or the legacy inspect(value, showHidden,
// depth, colors).
function inspect(value, opts) {
  var ctx = {seen: [], circular: [], indentationLvl: 0, currentDepth: 0};
  for (var k in defaultOptions) ctx[k] = defaultOptions[k];
  if (arguments.length > 1 && (typeof opts !== 'object' || opts === null)) {
    if (opts !== undefined) ctx.showHidden = !!opts;
    if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
    if (arguments.length > 3) ctx.colors = !!arguments[3];
  } else if (opts) {
    for (var o in opts) if (hasOwn.call(defaultOptions, o)) ctx[o] = opts[o];
  }
  if (ctx.depth === Infinity) ctx.depth = null;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspect;
inspect.defaultOptions = defaultOptions;
inspect.colors = {};
inspect.styles = {};

// ---- format ---------------------------------------------------------------------
var BUILTIN_CONSTRUCTORS = {Object: 1, Error: 1, TypeError: 1, RangeError: 1, SyntaxError: 1, ReferenceError: 1,
  EvalError: 1, URIError: 1, AggregateError: 1, Array: 1, Date: 1, RegExp: 1, Map: 1, Set: 1, Promise: 1,
  WeakMap: 1, WeakSet: 1, Function: 1, Number: 1, String: 1, Boolean: 1, Symbol: 1};

// Whether value's toString is a built-in one (%s inspects those).
function hasBuiltInToString(value) {
  if (typeof value.toString !== 'function') return true;
  if (hasOwn.call(value, 'toString')) return false;
  var pointer = value;
  do {
    pointer = Object.getPrototypeOf(pointer);
  } while (pointer !== null && !hasOwn.call(pointer, 'toString'));
  if (pointer === null) return true;
  var desc = Object.getOwnPropertyDescriptor(pointer, 'constructor');
  return desc !== undefined && typeof desc.value === 'function' && hasOwn.call(BUILTIN_CONSTRUCTORS, desc.value.name);
}

function tryStringify(value) {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) return '[Circular]';
    throw err;
  }
}

function assignOptions(base, extra) {
  var out = {};
  for (var k in base) out[k] = base[k];
  for (var j in extra) out[j] = extra[j];
  return out;
}

// format() with inspect options for the non-string values.
function formatWithOptions(inspectOptions, args) {
  var first = args[0], a = 0, str = '', join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    var tempStr, lastPos = 0;
    for (var i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue;   // '%'
      var next = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        switch (next) {
        case 115: // 's'
          var s = args[++a];
          if (typeof s === 'number') tempStr = formatNumber(s);
          else if (typeof s !== 'object' || s === null || !hasBuiltInToString(s)) tempStr = String(s);
          else tempStr = inspect(s, assignOptions(inspectOptions, {depth: 0, colors: false, compact: 3}));
          break;
        case 106: // 'j'
          tempStr = tryStringify(args[++a]);
          break;
        case 100: // 'd'
          var d = args[++a];
          tempStr = typeof d === 'symbol' ? 'NaN' : typeof d === 'object' && d !== null ? formatNumber(Number(d)) : formatNumber(Number(d));
          break;
        case 79: // 'O'
          tempStr = inspect(args[++a], inspectOptions);
          break;
        case 111: // 'o'
          tempStr = inspect(args[++a], assignOptions(inspectOptions, {showHidden: true, showProxy: true, depth: 4}));
          break;
        case 105: // 'i'
          var n = args[++a];
          tempStr = typeof n === 'symbol' ? 'NaN' : formatNumber(parseInt(n));
          break;
        case 102: // 'f'
          var f = args[++a];
          tempStr = typeof f === 'symbol' ? 'NaN' : formatNumber(parseFloat(f));
          break;
        case 99: // 'c'
          a += 1;
          tempStr = '';
          break;
        case 37: // '%'
          str += first.slice(lastPos, i);
          lastPos = i + 1;
          continue;
        default:
          continue;
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += tempStr;
        lastPos = i + 1;
      } else if (next === 37) {
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    var value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

function format() {
  return formatWithOptions(undefined, Array.prototype.slice.call(arguments));
}

// Node's comparison, which lives with assert (lib/assert.js): loaded on
// first use.
function isDeepStrictEqual(a, b) {
  return require('assert')._isDeepEqual(a, b, true);
}

// ---- promisify, callbackify, inherits, deprecate ------------------------------------
function promisify(original) {
  if (typeof original !== 'function') {
    var e = new TypeError('The "original" argument must be of type function');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (original[customPromisify]) {
    var fn = original[customPromisify];
    if (typeof fn !== 'function') {
      var ec = new TypeError('The "util.promisify.custom" argument must be of type function');
      ec.code = 'ERR_INVALID_ARG_TYPE';
      throw ec;
    }
    return fn;
  }
  function promisified() {
    var self = this, args = Array.prototype.slice.call(arguments);
    return new Promise(function (resolve, reject) {
      args.push(function (err, value) {
        if (err) reject(err);
        else resolve(value);
      });
      original.apply(self, args);
    });
  }
  Object.setPrototypeOf(promisified, Object.getPrototypeOf(original));
  Object.defineProperty(promisified, customPromisify, {value: promisified, configurable: true});
  return Object.defineProperties(promisified, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = customPromisify;

function callbackify(original) {
  if (typeof original !== 'function') {
    var e = new TypeError('The "original" argument must be of type function');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  function callbackified() {
    var args = Array.prototype.slice.call(arguments);
    var cb = args.pop();
    if (typeof cb !== 'function') {
      var ec = new TypeError('The last argument must be of type function');
      ec.code = 'ERR_INVALID_ARG_TYPE';
      throw ec;
    }
    var self = this;
    original.apply(this, args).then(function (value) {
      process.nextTick(function () { cb.call(self, null, value); });
    }, function (reason) {
      if (!reason) {
        var wrapped = new Error('Promise was rejected with a falsy value');
        wrapped.code = 'ERR_FALSY_VALUE_REJECTION';
        wrapped.reason = reason;
        reason = wrapped;
      }
      process.nextTick(function () { cb.call(self, reason); });
    });
  }
  var descriptors = Object.getOwnPropertyDescriptors(original);
  delete descriptors.prototype;
  Object.defineProperties(callbackified, descriptors);
  return callbackified;
}

function inherits(ctor, superCtor) {
  if (ctor === undefined || ctor === null) throw new TypeError('The "ctor" argument must be of type function');
  if (superCtor === undefined || superCtor === null) throw new TypeError('The "superCtor" argument must be of type function');
  if (superCtor.prototype === undefined) throw new TypeError('The "superCtor.prototype" property must be of type object');
  Object.defineProperty(ctor, 'super_', {value: superCtor, writable: true, configurable: true});
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

var warnedCodes = {};

function deprecate(fn, msg, code) {
  var warned = false;
  function deprecated() {
    if (!warned) {
      warned = true;
      if (code === undefined || !warnedCodes[code]) {
        if (code !== undefined) warnedCodes[code] = true;
        process.emitWarning(msg, 'DeprecationWarning', code);
      }
    }
    return new.target ? construct(fn, arguments, new.target) : fn.apply(this, arguments);
  }
  Object.setPrototypeOf(deprecated, fn);
  if (fn.prototype) deprecated.prototype = fn.prototype;
  return deprecated;
}

function construct(fn, args, newTarget) {
  return Reflect.construct(fn, Array.prototype.slice.call(args), newTarget);
}

function debuglog() {
  function log() {}
  log.enabled = false;
  return log;
}

function stripVTControlCharacters(str) {
  return String(str).replace(/[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d\/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d\/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g, '');
}

// ---- exports -------------------------------------------------------------------------
exports.format = format;
exports.formatWithOptions = function (inspectOptions) {
  return formatWithOptions(inspectOptions, Array.prototype.slice.call(arguments, 1));
};
exports.inspect = inspect;
exports.isDeepStrictEqual = isDeepStrictEqual;
exports.promisify = promisify;
exports.callbackify = callbackify;
exports.inherits = inherits;
exports.deprecate = deprecate;
exports.debuglog = debuglog;
exports.debug = debuglog;
exports.stripVTControlCharacters = stripVTControlCharacters;
exports.types = types;
exports.TextEncoder = TextEncoder;
exports.TextDecoder = TextDecoder;
exports.toUSVString = function (s) {
  return String(s).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, function (m, pre) {
    return (pre || '') + '\uFFFD';
  });
};
// The old predicates, still in Node 20.
exports.isArray = Array.isArray;
exports.isBoolean = function (v) { return typeof v === 'boolean'; };
exports.isNull = function (v) { return v === null; };
exports.isNullOrUndefined = function (v) { return v == null; };
exports.isNumber = function (v) { return typeof v === 'number'; };
exports.isString = function (v) { return typeof v === 'string'; };
exports.isSymbol = function (v) { return typeof v === 'symbol'; };
exports.isUndefined = function (v) { return v === undefined; };
exports.isRegExp = types.isRegExp;
exports.isObject = function (v) { return v !== null && typeof v === 'object'; };
exports.isDate = types.isDate;
exports.isError = function (v) { return types.isNativeError(v) || v instanceof Error; };
exports.isFunction = function (v) { return typeof v === 'function'; };
exports.isPrimitive = function (v) { return v === null || typeof v !== 'object' && typeof v !== 'function'; };
exports.isBuffer = function (v) { return typeof Buffer === 'function' && Buffer.isBuffer(v); };
// For console (js_console.c): not in Node's util, so hidden.
Object.defineProperty(exports, '_formatArgs', {value: function (args) { return formatWithOptions(undefined, args); }});
