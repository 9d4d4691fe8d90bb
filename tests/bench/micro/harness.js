// tests/bench/micro: the same harness under `eider run` and `node`.
//
//   eider run harness.js GROUP.js [FILTER]      node harness.js GROUP.js [FILTER]
//
// GROUP.js exports an object of named operations; each is a function that
// does the operation once and returns its result (kept in a sink, so V8
// cannot drop the work). Each operation runs in a loop whose count doubles
// until one batch takes >= 10 ms; then 100 batches of about 2 ms are timed
// and the fastest is kept: the least disturbed by the other processes on
// the machine (on a loaded machine a 20 ms batch is nearly always cut by
// the scheduler; one of a hundred 2 ms batches nearly never). Prints one JSON line per operation: {"name", "ns"} with ns
// per operation. Plain ES5, so that Duktape runs it as it is.
'use strict';
var group = require(process.argv[2]);
var filter = process.argv[3] || '';

function now() {
  var t = process.hrtime();
  return t[0] * 1e9 + t[1];
}

var sink = null;

function batch(fn, n) {
  var t0 = now();
  for (var i = 0; i < n; i++) sink = fn();
  return now() - t0;
}

function measure(fn) {
  var n = 1, t;
  for (;;) {
    t = batch(fn, n);
    if (t >= 10e6 || n >= 1 << 24) break;
    n *= 2;
  }
  n = Math.max(1, Math.round(n * 2e6 / Math.max(t, 1)));
  var best = Infinity;
  for (var k = 0; k < 100; k++) best = Math.min(best, batch(fn, n) / n);
  return best;
}

Object.keys(group).forEach(function (name) {
  if (filter && name.indexOf(filter) < 0) return;
  var ns = measure(group[name]);
  console.log(JSON.stringify({ name: name, ns: Math.round(ns * 10) / 10 }));
});
if (sink === undefined) console.log('');
