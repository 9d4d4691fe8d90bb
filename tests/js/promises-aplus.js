/*
 * Runs the official Promises/A+ compliance suite (promises-aplus-tests,
 * 872 tests) against the Promise of framework/js/prelude.js, in Node.
 *
 *   npm install --prefix tests/js --no-audit --no-fund
 *   node tests/js/promises-aplus.js [path/to/prelude.js]
 *
 * The suite is found in tests/js/node_modules (the --prefix above) or on
 * NODE_PATH.  Exit status 0 only when every test passes.
 *
 * The prelude is called with a fresh fake global object, so it defines its own
 * Promise there instead of keeping Node's, and a native object whose
 * requestDrain() schedules native.runMicrotasks with setImmediate -- the role
 * the eider worker's event loop plays.
 */
'use strict';

var fs = require('fs');
var path = require('path');
var vm = require('vm');

var preludePath = process.argv[2] || path.join(__dirname, '..', '..', 'framework', 'js', 'prelude.js');
var prelude = vm.runInThisContext(fs.readFileSync(preludePath, 'utf8'), {filename: preludePath});

var fakeGlobal = {};
var native = {
  requestDrain: function () { setImmediate(native.runMicrotasks); },
  reportError: function (err) { console.error('microtask error:', err); }
};
prelude(fakeGlobal, native);
var Promise = fakeGlobal.Promise;

var adapter = {
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

// Node looks in tests/js/node_modules (next to this file), then NODE_PATH.
// mocha's per-test timeout: the suite's default of 200 ms fails a test that
// waits 50 ms on a loaded machine (make check runs 4 files at once); a
// Promise that never settles still fails, after 5 s.
require('promises-aplus-tests')(adapter, {reporter: 'dot', timeout: 5000}, function (err) {
  if (err) {
    console.error('Promises/A+: ' + (err.failures !== undefined ? err.failures + ' failure(s)' : err));
    process.exit(1);
  }
  console.log('Promises/A+: all tests passed');
});
