/*
 * Runs tests/js/prelude_test.js under Node, in a fresh V8 context where the
 * prelude's parts run as they do in Duktape: what V8 has natively (Map,
 * Array#flat, WeakMap, Error.captureStackTrace, Promise...) stays, so the
 * checks test V8's behaviour against the same expectations.  eider's
 * Promise core is C (framework/js_promise.c), which V8 cannot load: the
 * context keeps V8's Promise, with a microtask queue of its own
 * (microtaskMode 'afterEvaluate') that drain() runs synchronously by
 * evaluating an empty script, and a queueMicrotask on it.  The host
 * hooks' checks need the core, so they run in Duktape only (no native is
 * passed).  The web globals a V8 context lacks (structuredClone, atob,
 * btoa, DOMException) come from Node.
 *
 *   node tests/js/prelude_node.js framework/js/prelude.js [part.js ...] tests/js/prelude_test.js
 *
 * Prints each failure, then "N passed, N failed"; exit status 0 only when
 * nothing failed.
 */
'use strict';

var fs = require('fs');
var vm = require('vm');

var files = process.argv.slice(2);
if (files.length < 2) {
  console.error('usage: node prelude_node.js prelude.js [part.js ...] prelude_test.js');
  process.exit(2);
}
var context = vm.createContext({}, {microtaskMode: 'afterEvaluate'});
vm.runInContext('globalThis.queueMicrotask = function queueMicrotask(fn) {\n' +
  '  if (typeof fn !== "function") throw new TypeError("queueMicrotask: callback is not a function");\n' +
  '  Promise.resolve().then(function () { fn(); });\n};', context);
['structuredClone', 'atob', 'btoa', 'DOMException'].forEach(function (name) {
  context[name] = global[name];
});

var unexpected = 0;
var native = {
  reportError: function (err) {
    console.error('unexpected microtask error: ' + (err && err.stack || err));
    unexpected++;
  },
  unhandledRejection: function (reason) {
    console.error('unexpected unhandled rejection: ' + (reason && reason.stack || reason));
    unexpected++;
  }
};
files.slice(0, -1).forEach(function (path) {
  var part = vm.runInContext(fs.readFileSync(path, 'utf8'), context, {filename: path});
  part(vm.runInContext('globalThis', context), native);
});
vm.runInContext(fs.readFileSync(files[files.length - 1], 'utf8'), context, {filename: files[files.length - 1]});
var result = context.runPreludeTests(function () { vm.runInContext('', context); });
result.passes.forEach(function (p) { console.log('ok ' + p); });
result.failures.forEach(function (f) { console.log('FAIL ' + f); });
console.log(result.passed + ' passed, ' + (result.failed + unexpected) + ' failed');
process.exit(result.failed + unexpected === 0 ? 0 : 1);
