/*
 * Runs the official Promises/A+ compliance suite (promises-aplus-tests,
 * 872 tests) against eider's Promise, in eider's Duktape build: the C
 * Promise core (framework/js_promise.c, js_microtask.c) with the
 * prelude's parts on top, as tests/js/prelude_harness sets them up.
 *
 * The suite's test files are plain CommonJS written for mocha and sinon;
 * this file is the little of both that they use (describe, specify,
 * beforeEach, afterEach, a done callback with a timeout; sinon's spy,
 * stub().returns/throws, match.same, assert.calledWith/notCalled/
 * callOrder) plus assert(), assert.strictEqual/notStrictEqual and setTimeout on a
 * virtual clock: a test waits for its done() while the loop drains the
 * microtasks and fires the timers in order, without sleeping.
 *
 * tests/js/test_js.py appends the suite's files to this one, each as
 *   APLUS_FILES['lib/tests/2.1.2.js'] = function (exports, require, module) {...};
 * and runs prelude_harness with the prelude's parts and the result, which
 * calls runPreludeTests(drain, native) below: an "ok NAME" or "FAIL NAME"
 * line per test, then "N passed, N failed".
 */
var APLUS_FILES = {};

function runPreludeTests(drain, native) {
  'use strict';
  var TIMEOUT = 5000;   // virtual ms a test may wait for done()
  var global = Function('return this')();
  global.global = global;   // the suite reads global.adapter

  // The suite leaves some rejections unhandled on purpose (a handler
  // that throws, with no one after it): not a failure here.
  native.unhandledRejection = function () {};

  // ---- virtual timers ----
  var now = 0, timers = [], lastTimer = 0, uncaught = [];
  global.setTimeout = function (fn, ms) {
    var args = Array.prototype.slice.call(arguments, 2);
    timers.push({id: ++lastTimer, at: now + Math.max(0, Number(ms) || 0), fn: fn, args: args});
    return lastTimer;
  };
  global.clearTimeout = function (id) {
    timers = timers.filter(function (t) { return t.id !== id; });
  };
  // Fires the earliest timer due by DEADLINE; false if none is.
  function fireTimer(deadline) {
    var next = null;
    timers.forEach(function (t) {
      if (next === null || t.at < next.at || (t.at === next.at && t.id < next.id)) next = t;
    });
    if (next === null || next.at > deadline) return false;
    timers.splice(timers.indexOf(next), 1);
    now = next.at;
    try {
      next.fn.apply(undefined, next.args);
    } catch (e) {
      uncaught.push(e);
    }
    return true;
  }

  // ---- the modules the suite requires ----
  function AssertionError(message) {
    this.message = message;
  }
  AssertionError.prototype = Object.create(Error.prototype);
  AssertionError.prototype.name = 'AssertionError';

  function assert(ok, msg) {
    if (!ok) throw new AssertionError(msg || 'assertion failed');
  }
  assert.strictEqual = function (a, b, msg) {
    if (a !== b) throw new AssertionError(msg || String(a) + ' !== ' + String(b));
  };
  assert.notStrictEqual = function (a, b, msg) {
    if (a === b) throw new AssertionError(msg || String(a) + ' === ' + String(b));
  };

  var callCount = 0;   // sinon's callOrder compares the order of first calls
  function spy(behaviour) {
    var fn = function () {
      fn.calls.push({args: Array.prototype.slice.call(arguments), order: ++callCount});
      return behaviour ? behaviour() : undefined;
    };
    fn.calls = [];
    return fn;
  }
  var sinon = {
    spy: function () { return spy(null); },
    stub: function () {
      var behaviour = null, fn = spy(function () { return behaviour && behaviour(); });
      fn.returns = function (v) { behaviour = function () { return v; }; return fn; };
      fn.throws = function (e) { behaviour = function () { throw e; }; return fn; };
      return fn;
    },
    match: {
      same: function (v) { return {matchSame: v}; }
    },
    assert: {
      calledWith: function (s) {
        var want = Array.prototype.slice.call(arguments, 1);
        var ok = s.calls.some(function (c) {
          return want.every(function (w, i) {
            return w && typeof w === 'object' && 'matchSame' in w ? c.args[i] === w.matchSame : c.args[i] === w;
          });
        });
        if (!ok) throw new AssertionError('expected the spy to be called with the arguments');
      },
      notCalled: function (s) {
        if (s.calls.length) throw new AssertionError('expected the spy not to be called');
      },
      callOrder: function () {
        var spies = Array.prototype.slice.call(arguments);
        for (var i = 0; i < spies.length; i++) {
          if (!spies[i].calls.length) throw new AssertionError('spy ' + i + ' was not called');
          if (i && spies[i].calls[0].order < spies[i - 1].calls[0].order) {
            throw new AssertionError('spy ' + i + ' was called before spy ' + (i - 1));
          }
        }
      }
    }
  };

  var modules = {}, builtins = {assert: assert, sinon: sinon};
  function resolvePath(from, id) {
    var parts = from.split('/').slice(0, -1);
    id.split('/').forEach(function (p) {
      if (p === '..') parts.pop();
      else if (p !== '.') parts.push(p);
    });
    var path = parts.join('/');
    return /\.js$/.test(path) ? path : path + '.js';
  }
  function requireFrom(from) {
    return function (id) {
      if (builtins[id]) return builtins[id];
      var path = resolvePath(from, id);
      if (!modules[path]) {
        if (!APLUS_FILES[path]) throw new Error('aplus_runner: no module ' + path + ' (from ' + from + ')');
        var module = {exports: {}};
        modules[path] = module;
        APLUS_FILES[path](module.exports, requireFrom(path), module);
      }
      return modules[path].exports;
    };
  }

  // ---- the adapter: eider's Promise ----
  global.adapter = {
    resolved: function (value) { return Promise.resolve(value); },
    rejected: function (reason) { return Promise.reject(reason); },
    deferred: function () {
      var d = {};
      d.promise = new Promise(function (resolve, reject) {
        d.resolve = resolve;
        d.reject = reject;
      });
      return d;
    }
  };

  // ---- mocha's describe/specify, collected, then run in order ----
  var root = {title: '', suites: [], tests: [], before: [], after: []}, suite = root;
  global.describe = function (title, fn) {
    var child = {title: title, suites: [], tests: [], before: [], after: [], parent: suite};
    suite.suites.push(child);
    var outer = suite;
    suite = child;
    fn();
    suite = outer;
  };
  global.specify = global.it = function (title, fn) {
    suite.tests.push({title: title, fn: fn, suite: suite});
  };
  global.beforeEach = function (fn) { suite.before.push(fn); };
  global.afterEach = function (fn) { suite.after.push(fn); };

  Object.keys(APLUS_FILES).sort().forEach(function (path) {
    if (/^lib\/tests\/[^/]+\.js$/.test(path)) requireFrom(path)('./' + path.split('/').pop());
  });

  var passed = 0, failed = 0, passes = [], failures = [];
  function fullTitle(test) {
    var names = [test.title];
    for (var s = test.suite; s && s.title; s = s.parent) names.unshift(s.title);
    return names.join(' / ').replace(/: /g, ' - ');
  }
  function hooks(test, kind) {
    var list = [];
    for (var s = test.suite; s; s = s.parent) {
      list = kind === 'before' ? s.before.concat(list) : list.concat(s.after);
    }
    return list;
  }
  function runTest(test) {
    var calls = 0, error = null;
    function done(err) {
      if (++calls > 1) error = error || new Error('done() called multiple times');
      else if (err) error = err;
    }
    try {
      hooks(test, 'before').forEach(function (h) { h(); });
      if (test.fn.length) {
        test.fn(done);
      } else {
        test.fn();
        calls = 1;
      }
    } catch (e) {
      error = e;
    }
    var deadline = now + TIMEOUT;
    for (;;) {
      drain();
      if (uncaught.length) error = error || uncaught[0];
      uncaught = [];
      if (error || calls > 0 || !fireTimer(deadline)) break;
    }
    if (!error && calls === 0) error = new Error('timed out after ' + TIMEOUT + ' virtual ms');
    try {
      hooks(test, 'after').forEach(function (h) { h(); });
    } catch (e) {
      error = error || e;
    }
    drain();
    return error;
  }
  function runSuite(s) {
    s.tests.forEach(function (test) {
      var error = runTest(test);
      if (error) {
        failed++;
        failures.push(fullTitle(test) + ': ' + (error && error.message || error));
      } else {
        passed++;
        passes.push(fullTitle(test));
      }
    });
    s.suites.forEach(runSuite);
  }
  runSuite(root);
  return {passed: passed, failed: failed, passes: passes, failures: failures};
}
