// String#replace with a regexp, the paths eider builds in C: a replacer
// function per match (its arguments, a result longer than the first
// buffer, a replacer that itself replaces, one that throws), a plain
// replacement and one with $ patterns, no match at all, non-ASCII and
// astral text around the matches, lastIndex of a global regexp after a
// replace (0, and a TypeError where it is not writable), and literals
// evaluated in a loop (a new RegExp object each time, the code found
// again), one whose source is an array index.
module.exports = function (req, res) {
  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }
  var out = [];
  ['Product "1" & more', 'Garden', '', '<<>>', "Kids' Toys", 'caf\u00e9 & cr\u00e8me', 'x\ud83d\ude00<y>\ud83d\ude00',
    req.url].forEach(function (s) { out.push(esc(s)); });
  var big = '';
  for (var i = 0; i < 200; i++) big += '<i>' + i + '</i>&';
  out.push(esc(big).length, esc(big).slice(-40));
  out.push('a1b22c333'.replace(/\d+/g, function (m, at, s) { return '[' + m + '@' + at + '/' + s.length + ']'; }));
  out.push('2024-05-17'.replace(/(\d+)-(\d+)-(\d+)/, function (m, y, mo, d, at) { return [d, mo, y, at].join('.'); }));
  out.push('a-b-c'.replace(/-/g, function (m) { return 'x-y'.replace(/-/g, function () { return '+'; }) + m; }));
  var threw = null;
  try { 'abc'.replace(/b/g, function () { throw new Error('from replacer'); }); } catch (e) { threw = e.message; }
  out.push(threw, 'abcb'.replace(/b/g, 'B'));
  var s = 'no match here';
  out.push(s.replace(/\d/g, function () { return 'x'; }) === s, s.replace(/\d/, 'x'), s.replace(/z/g, '$&$&'));
  out.push('\u00e9t\u00e9 \u00e0 Paris'.replace(/\u00e9/g, function (c) { return c.toUpperCase() + '!'; }),
    'a\ud83d\ude00b\ud83d\ude00c'.replace(/b/g, function () { return '\u20ac'; }));
  out.push('aXbXc'.replace(/X/g, '[$&|$`|$\'|$$]'), 'abc'.replace(/(b)/g, '$1$1'));
  var re = /a/g;
  re.lastIndex = 2;
  out.push('banana'.replace(re, 'o'), re.lastIndex);
  var frozen = /a/g;
  Object.defineProperty(frozen, 'lastIndex', { writable: false, value: 0 });
  try { out.push('banana'.replace(frozen, 'o')); } catch (e) { out.push(e instanceof TypeError); }
  var loop = [];
  for (var j = 0; j < 5; j++) {
    loop.push(('x' + j + '1y').replace(/1/g, '!'), ('a' + j).replace(/\d/g, '#'), String(j).replace(/^/g, '>'));
  }
  out.push(loop);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
