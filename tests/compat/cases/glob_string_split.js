// String#split by a string (eider's own path for a non-empty separator
// and no limit) and the cases left to Duktape: the leftmost,
// non-overlapping matches, empty pieces at the ends, an empty subject,
// non-ASCII and astral characters on both sides, a NUL, and the
// separators and limits that are no plain string.
module.exports = function (req, res) {
  var cases = [['a.b.c', '.'], ['', '.'], ['...', '.'], ['abc', 'abc'], ['aXXbXXXc', 'XX'],
    ['h\u00e9llo w\u00f6rld', '\u00f6'], ['x\ud83d\ude00y\ud83d\ude00', '\ud83d\ude00'], ['aaa', 'aa'],
    ['a,b,', ','], [',', ','], ['abc', 'd'], ['a\u0000b', '\u0000'], ['\u20ac1\u20ac2', '\u20ac'],
    ['a\ud83d\ude00b', '\ud83d'], [req.url, '/']];
  // Pieces as UTF-16 codes where they hold a lone surrogate (which
  // JSON.stringify writes differently: Duktape's is not ES2019's).
  function codes(s) {
    return /[\ud800-\udfff]/.test(s) ? s.split('').map(function (c) { return c.charCodeAt(0); }) : s;
  }
  var out = cases.map(function (c) { return c[0].split(c[1]).map(codes); });
  out.push('a.b.c'.split('.', 2), 'a.b'.split('.', 0), 'abc'.split(''), 'a1b'.split(1),
    'ab'.split(undefined), 'a.b'.split({ toString: function () { return '.'; } }),
    String.prototype.split.call(12.5, '.'), 'a,b'.split(',', undefined));
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
