/*
 * require('assert'): Node's assert in plain ES5.  Its deep equality is
 * also util.isDeepStrictEqual's.  Failures throw an
 * AssertionError with code 'ERR_ASSERTION', actual, expected, operator and
 * generatedMessage, as in Node.  The generated messages follow Node's
 * first lines; where Node prints a line diff of the two values (deepEqual
 * and friends), this prints both values whole, marked + actual and
 * - expected.  assert.ok(false) cannot quote the source of the call as
 * Node does.  require('assert/strict') and assert.strict are the strict
 * variant (equal is strictEqual, deepEqual is deepStrictEqual).
 */
'use strict';

var util = require('util');
var types = require('util/types');
var toStr = Object.prototype.toString;

function tagOf(value) {
  return toStr.call(value).slice(8, -1);
}

function isTypedArray(v) {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

// ---- deep equality (util.isDeepStrictEqual uses it too) ----------------------
// isDeepEqual(a, b, strict): Node's comparison for assert.deepStrictEqual
// (strict) and assert.deepEqual (loose: == for primitives, prototypes
// ignored).
function isDeepEqual(a, b, strict, memo) {
  if (a === b) return a !== 0 || !strict || 1 / a === 1 / b;
  if (strict) {
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
      return typeof a === 'number' && typeof b === 'number' && a !== a && b !== b;
    }
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  } else {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') return a == b || (a !== a && b !== b);   // eslint-disable-line eqeqeq
      return false;
    }
    if (b === null || typeof b !== 'object') return false;
  }
  var tagA = tagOf(a), tagB = tagOf(b);
  if (tagA !== tagB) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (tagA === 'Date') {
    if (a.getTime() !== b.getTime()) return false;
  } else if (tagA === 'RegExp') {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (tagA === 'Error' || a instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (isTypedArray(a)) {
    if (a.length !== b.length) return false;
    for (var t = 0; t < a.length; t++) {
      if (!(strict ? a[t] === b[t] || (a[t] !== a[t] && b[t] !== b[t]) : a[t] == b[t])) return false;   // eslint-disable-line eqeqeq
    }
  } else if (a instanceof ArrayBuffer) {
    if (!isDeepEqual(new Uint8Array(a), new Uint8Array(b), strict, memo)) return false;
  } else if (types.isBoxedPrimitive(a)) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  memo = memo || {a: [], b: []};
  for (var m = 0; m < memo.a.length; m++) {
    if (memo.a[m] === a) return memo.b[m] === b;
  }
  memo.a.push(a);
  memo.b.push(b);
  try {
    return equalEntries(a, b, strict, memo);
  } finally {
    memo.a.pop();
    memo.b.pop();
  }
}

function ownKeysOf(v, strict) {
  var keys = Object.keys(v);
  if (isTypedArray(v)) keys = keys.filter(function (k) { return !/^\d+$/.test(k); });
  if (strict) {
    Object.getOwnPropertySymbols(v).forEach(function (s) {
      if (Object.getOwnPropertyDescriptor(v, s).enumerable) keys.push(s);
    });
  }
  return keys;
}

function equalEntries(a, b, strict, memo) {
  var i;
  if (Array.isArray(a) && a.length !== b.length) return false;
  var ka = ownKeysOf(a, strict), kb = ownKeysOf(b, strict);
  if (ka.length !== kb.length) return false;
  for (i = 0; i < ka.length; i++) {
    if (!Object.prototype.propertyIsEnumerable.call(b, ka[i])) return false;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    var mapOk = true;
    a.forEach(function (va, k) {
      if (!mapOk) return;
      if (b.has(k)) {
        mapOk = isDeepEqual(va, b.get(k), strict, memo);
        return;
      }
      if (k === null || typeof k !== 'object') {
        mapOk = false;
        return;
      }
      var found = false;
      b.forEach(function (vb, kb2) {
        if (!found && kb2 !== null && typeof kb2 === 'object' && isDeepEqual(k, kb2, strict, memo) &&
            isDeepEqual(va, vb, strict, memo)) found = true;
      });
      mapOk = found;
    });
    if (!mapOk) return false;
  } else if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    var setOk = true;
    a.forEach(function (va) {
      if (!setOk || b.has(va)) return;
      if (va === null || typeof va !== 'object') {
        setOk = false;
        return;
      }
      var found = false;
      b.forEach(function (vb) {
        if (!found && vb !== null && typeof vb === 'object' && isDeepEqual(va, vb, strict, memo)) found = true;
      });
      setOk = found;
    });
    if (!setOk) return false;
  }
  for (i = 0; i < ka.length; i++) {
    if (!isDeepEqual(a[ka[i]], b[ka[i]], strict, memo)) return false;
  }
  return true;
}




function inspect(v) {
  return util.inspect(v, {depth: 1000, customInspect: false, compact: false, breakLength: Infinity, sorted: true});
}

// AssertionError({message, actual, expected, operator, stackStartFn})
function AssertionError(options) {
  if (options === null || typeof options !== 'object') {
    var e = new TypeError('The "options" argument must be of type object');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  var message = options.message;
  var generated = message == null;
  if (generated) message = defaultMessage(options.actual, options.expected, options.operator);
  var err = new Error(String(message));
  Object.setPrototypeOf(err, new.target && new.target !== AssertionError ? new.target.prototype : AssertionError.prototype);
  err.generatedMessage = generated;
  err.code = 'ERR_ASSERTION';
  err.actual = options.actual;
  err.expected = options.expected;
  err.operator = options.operator;
  return err;
}
AssertionError.prototype = Object.create(Error.prototype, {
  constructor: {value: AssertionError, writable: true, configurable: true},
  name: {value: 'AssertionError', writable: true, configurable: true}
});

var KINDS = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:'
};

function defaultMessage(actual, expected, operator) {
  var a = inspect(actual), e = inspect(expected);
  switch (operator) {
  case 'strictEqual':
    if (a.indexOf('\n') < 0 && e.indexOf('\n') < 0) {
      if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null &&
          a === e) {
        return 'Values have same structure but are not reference-equal:\n\n' + a + '\n';
      }
      return KINDS.strictEqual + '\n\n' + a + ' !== ' + e + '\n';
    }
    return KINDS.strictEqual + '\n+ actual - expected\n\n' + plusMinus(a, e);
  case 'deepStrictEqual': case 'deepEqual':
    return KINDS[operator] + '\n+ actual - expected\n\n' + plusMinus(a, e);
  case 'notStrictEqual': case 'notDeepStrictEqual': case 'notDeepEqual':
    return KINDS[operator] + (a.indexOf('\n') < 0 ? ' ' + a : '\n\n' + a + '\n');
  case '==': case '!=':
    return a + ' ' + operator + ' ' + e;
  default:
    return a + ' ' + operator + ' ' + e;
  }
}

function plusMinus(a, e) {
  return a.split('\n').map(function (l) { return '+ ' + l; }).join('\n') + '\n' +
    e.split('\n').map(function (l) { return '- ' + l; }).join('\n');
}

// Throws message itself if it is an Error, else an AssertionError.
function fail(actual, expected, message, operator) {
  if (message instanceof Error) throw message;
  throw new AssertionError({actual: actual, expected: expected, message: message, operator: operator});
}

function innerOk(args, value, message) {
  if (value) return;
  if (args === 0) {
    message = 'No value argument passed to `assert.ok()`';
  } else if (message == null) {
    message = 'The expression evaluated to a falsy value:\n\n  assert.ok(' + inspect(value) + ')\n';
  } else if (message instanceof Error) {
    throw message;
  }
  var err = new AssertionError({actual: value, expected: true, message: message, operator: '=='});
  err.generatedMessage = args === 0 || arguments[2] == null;
  throw err;
}

function assert(value, message) {
  innerOk(arguments.length, value, message);
}

assert.ok = function ok(value, message) {
  innerOk(arguments.length, value, message);
};
assert.AssertionError = AssertionError;

assert.fail = function (message) {
  if (arguments.length >= 2) {   // the legacy fail(actual, expected, message, operator)
    fail(arguments[0], arguments[1], arguments[2] === undefined ? arguments[0] + ' ' + (arguments[3] || '!=') + ' ' + arguments[1] : arguments[2], arguments[3] || 'fail');
  }
  if (message instanceof Error) throw message;
  var err = new AssertionError({message: message === undefined ? 'Failed' : message, operator: 'fail'});
  err.generatedMessage = message === undefined;
  throw err;
};

assert.equal = function equal(actual, expected, message) {
  if (!(actual == expected || (actual !== actual && expected !== expected))) fail(actual, expected, message, '==');   // eslint-disable-line eqeqeq
};
assert.notEqual = function notEqual(actual, expected, message) {
  if (actual == expected || (actual !== actual && expected !== expected)) fail(actual, expected, message, '!=');   // eslint-disable-line eqeqeq
};
assert.strictEqual = function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) fail(actual, expected, message, 'strictEqual');
};
assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) fail(actual, expected, message, 'notStrictEqual');
};
assert.deepEqual = function deepEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected, false)) fail(actual, expected, message, 'deepEqual');
};
assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected, false)) fail(actual, expected, message, 'notDeepEqual');
};
assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected, true)) fail(actual, expected, message, 'deepStrictEqual');
};
assert.notDeepStrictEqual = function notDeepStrictEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected, true)) fail(actual, expected, message, 'notDeepStrictEqual');
};

assert.ifError = function ifError(value) {
  if (value === null || value === undefined) return;
  var message = 'ifError got unwanted exception: ';
  message += typeof value === 'object' && typeof value.message === 'string' ?
    (value.message.length === 0 && value.constructor ? value.constructor.name : value.message) : inspect(value);
  var err = new AssertionError({actual: value, expected: null, operator: 'ifError', message: message});
  err.generatedMessage = false;
  if (value instanceof Error) err.origin = value;
  throw err;
};

function invalidArg(name, what, value) {
  var e = new TypeError('The "' + name + '" argument must be ' + what + '. Received ' + inspect(value));
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}

// Whether the thrown err fits expected: a constructor (instanceof), a
// RegExp (tested on String(err)), an object of properties (each deeply
// equal, RegExp values tested) or a validation function.  Throws the
// AssertionError when an object or RegExp does not fit.
function checkError(err, expected, message, fn) {
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && err instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    var res = expected.call({}, err);
    if (res !== true) {
      throw new AssertionError({actual: err, expected: expected, operator: fn,
        message: message || 'The ' + (expected.name ? '"' + expected.name + '" ' : '') + 'validation function is expected to return "true". Received ' + inspect(res)});
    }
    return true;
  }
  if (expected instanceof RegExp) {
    if (expected.test(String(err))) return true;
    throw new AssertionError({actual: err, expected: expected, operator: fn,
      message: message || 'The input did not match the regular expression ' + inspect(expected) + '. Input:\n\n' + inspect(String(err)) + '\n'});
  }
  if (expected !== null && typeof expected === 'object') {
    var keys = Object.keys(expected);
    if (expected instanceof Error) keys.push('name', 'message');
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i], want = expected[k], got = err == null ? undefined : err[k];
      var same = want instanceof RegExp && typeof got === 'string' ? want.test(got) : isDeepEqual(got, want, true);
      if (!same) {
        throw new AssertionError({actual: err, expected: expected, operator: fn,
          message: message || 'Expected values to be strictly deep-equal:\n+ actual - expected\n\n' +
            plusMinus(k + ': ' + inspect(got), k + ': ' + inspect(want))});
      }
    }
    return true;
  }
  throw invalidArg('expected', 'of type function or an instance of Error, RegExp, or Object', expected);
}

var NO_EXCEPTION = {};

function getActual(fn) {
  if (typeof fn !== 'function') throw invalidArg('fn', 'of type function', fn);
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION;
}

function expectsError(fn, actual, expected, message) {
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  if (actual === NO_EXCEPTION) {
    var details = '';
    if (expected && expected.name) details += ' (' + expected.name + ')';
    details += message ? ': ' + message : '.';
    var kind = fn === 'rejects' ? 'rejection' : 'exception';
    throw new AssertionError({actual: undefined, expected: expected, operator: fn,
      message: 'Missing expected ' + kind + details});
  }
  if (expected !== undefined && !checkError(actual, expected, message, fn)) throw actual;
}

function expectsNoError(fn, actual, expected, message) {
  if (actual === NO_EXCEPTION) return;
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  if (!expected || (typeof expected === 'function' && expected.prototype !== undefined && actual instanceof expected)) {
    var details = message ? ': ' + message : '.';
    var kind = fn === 'doesNotReject' ? 'rejection' : 'exception';
    throw new AssertionError({actual: actual, expected: expected, operator: fn,
      message: 'Got unwanted ' + kind + details + '\nActual message: "' + (actual && actual.message) + '"'});
  }
  throw actual;
}

assert.throws = function throws(fn, expected, message) {
  expectsError('throws', getActual(fn), expected, message);
};
assert.doesNotThrow = function doesNotThrow(fn, expected, message) {
  expectsNoError('doesNotThrow', getActual(fn), expected, message);
};

// The rejection reason of promiseOrFn (a promise, or a function returning
// one), or NO_EXCEPTION, as a promise.
function waitForActual(promiseOrFn) {
  return Promise.resolve().then(function () {
    var p = promiseOrFn;
    if (typeof promiseOrFn === 'function') {
      p = promiseOrFn();
      if (p === null || typeof p !== 'object' || typeof p.then !== 'function') {
        throw invalidArg('promiseFn', 'a function returning a Promise', p);
      }
    } else if (p === null || typeof p !== 'object' || typeof p.then !== 'function') {
      throw invalidArg('promiseFn', 'of type function or an instance of Promise', p);
    }
    return p.then(function () { return NO_EXCEPTION; }, function (e) { return e; });
  });
}

assert.rejects = function rejects(promiseOrFn, expected, message) {
  return waitForActual(promiseOrFn).then(function (actual) {
    expectsError('rejects', actual, expected, message);
  });
};
assert.doesNotReject = function doesNotReject(promiseOrFn, expected, message) {
  return waitForActual(promiseOrFn).then(function (actual) {
    expectsNoError('doesNotReject', actual, expected, message);
  });
};

function match(string, regexp, message, fn, negate) {
  if (!(regexp instanceof RegExp)) throw invalidArg('regexp', 'an instance of RegExp', regexp);
  if (typeof string !== 'string' || regexp.test(string) === negate) {
    if (message instanceof Error) throw message;
    var generated = !message;
    message = message || (typeof string !== 'string' ?
      'The "string" argument must be of type string. Received type ' + typeof string + ' (' + inspect(string) + ')' :
      (negate ? 'The input was expected to not match the regular expression ' :
        'The input did not match the regular expression ') + inspect(regexp) + '. Input:\n\n' + inspect(string) + '\n');
    var err = new AssertionError({actual: string, expected: regexp, message: message, operator: fn});
    err.generatedMessage = generated;
    throw err;
  }
}

assert.match = function (string, regexp, message) {
  match(string, regexp, message, 'match', false);
};
assert.doesNotMatch = function (string, regexp, message) {
  match(string, regexp, message, 'doesNotMatch', true);
};

// assert.strict: the same, with the loose comparisons made strict.
function strict(value, message) {
  innerOk(arguments.length, value, message);
}
Object.keys(assert).forEach(function (k) { strict[k] = assert[k]; });
strict.equal = assert.strictEqual;
strict.notEqual = assert.notStrictEqual;
strict.deepEqual = assert.deepStrictEqual;
strict.notDeepEqual = assert.notDeepStrictEqual;
strict.strict = strict;
assert.strict = strict;

// For util.isDeepStrictEqual: not in Node's assert, so hidden.
Object.defineProperty(assert, '_isDeepEqual', {value: isDeepEqual});

module.exports = assert;
