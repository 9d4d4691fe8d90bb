// RegExp micro-benchmark (issue 17): each operation timed in a loop, in
// microseconds per operation, under Node and under `eider run` alike.
// Prints one JSON object {name: us_per_op}. Plain ES5: under eider its
// literals are Duktape's objects, run on PCRE2 (prelude_regexp.js).
var KB = new Array(103).join('lorem a ip');          // 1020 chars, 102 'a'
var ALL_A = new Array(1025).join('a');               // 1024 'a'
var EMAIL = 'first.last+tag@example-mail.com';
var LOG = '2024-05-17T10:20:30Z GET /api/users/42 200 1234ms';
var dateRe;
try {   // Duktape's own engine (eider before issue 17) refuses named groups
  dateRe = new RegExp('(?<y>\\d{4})-(?<m>\\d\\d)-(?<d>\\d\\d)');
} catch (e) {
  dateRe = null;
}

var OPS = {
  'replace /a/g 1 KB (102 matches)': function () { return KB.replace(/a/g, 'b'); },
  'replace /a/g 1 KB of a (1024 matches)': function () { return ALL_A.replace(/a/g, 'b'); },
  'email test /i': function () { return /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(EMAIL); },
  'exec 4 groups': function () { return /^(\S+) (GET|POST) (\S+) (\d{3})/.exec(LOG); },
  'named groups exec': function () { return dateRe.exec(LOG).groups.y; },
  'split /\\s*,\\s*/ 20 items': function () { return 'a, b,c ,d , e,f,g, h,i ,j,k,l, m,n,o ,p,q,r,s , t'.split(/\s*,\s*/); },
  'match /\\d+/g': function () { return LOG.match(/\d+/g); },
  'replace fn /-(\\w)/g': function () { return 'kebab-case-string-here'.replace(/-(\w)/g, function (m, c) { return c.toUpperCase(); }); },
  'new RegExp(same source)': function () { return new RegExp('^/users/(\\d+)$'); }
};

function now() {
  if (typeof process !== 'undefined' && process.hrtime && process.hrtime.bigint === undefined) {
    var t = process.hrtime();
    return t[0] * 1e3 + t[1] / 1e6;
  }
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function time(fn) {
  var n = 1, t0, el;
  for (;;) {
    t0 = now();
    for (var i = 0; i < n; i++) fn();
    el = now() - t0;
    if (el > 200) break;
    n *= el < 20 ? 10 : 2;
  }
  return el * 1000 / n;
}

var out = {};
Object.keys(OPS).forEach(function (k) {
  try {
    OPS[k]();
  } catch (e) {
    out[k] = null;      // not supported by this engine
    return;
  }
  out[k] = Math.round(time(OPS[k]) * 1000) / 1000;
});
console.log(JSON.stringify(out));
