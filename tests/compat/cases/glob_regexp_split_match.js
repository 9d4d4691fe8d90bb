// String#split by a regexp and String#match with the g flag, whose
// arrays eider gathers on the value stack a thousand elements at a time:
// results below, at and past those sizes, limits that cut inside the
// captured groups, groups that did not take part (undefined), empty
// matches, non-ASCII pieces, and no match at all (null from match).
module.exports = function (req, res) {
  function many(n, sep) { var a = []; for (var i = 0; i < n; i++) a.push('w' + i); return a.join(sep); }
  var out = [];
  [1, 999, 1000, 1001, 2500].forEach(function (n) {
    var s = many(n, ', ');
    var parts = s.split(/,\s*/), words = s.match(/w\d+/g), withSep = s.split(/(,)\s*/);
    out.push([parts.length, parts[0], parts[parts.length - 1], words.length, words[n - 1],
      withSep.length, withSep[1], withSep[withSep.length - 1], s.split(/,\s*/, 1000).length,
      s.split(/,\s*/, 1001).length]);
  });
  out.push('a1b2c3'.split(/(\d)/), 'a1b2c3'.split(/(\d)/, 2), 'a1b2c3'.split(/(\d)/, 3), 'abc'.split(/(x)?b/),
    'abc'.split(/(?:)/), ''.split(/x/), ''.split(/(?:)/), 'caf\u00e9 na\u00efve  r\u00e9sum\u00e9'.split(/\s+/),
    '  lead and trail  '.split(/\s+/), 'a,b;c d'.split(/[,; ]/, 0), 'x'.match(/y/g), 'aaa'.match(/a*?/g),
    'caf\u00e9 \u00e9t\u00e9'.match(/\u00e9/g), 'A1b2C3'.match(/[a-z]\d/gi), req.url.split(/\//));
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
