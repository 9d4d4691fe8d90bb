/*
 * require('assert'): Node's assert in plain ES5, with the deep equality of
 * require('util') (the same isDeepStrictEqual).  Failures throw an
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
var isDeepEqual = util._isDeepEqual;

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

module.exports = assert;
