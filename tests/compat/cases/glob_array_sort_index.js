// Array#sort without a comparator (eider sorts an array of strings in C,
// in place) and Array#indexOf without fromIndex (eider searches an array
// without holes in C): strings with duplicates, case, empty and non-ASCII
// ones, numbers and mixed values (compared as strings), undefined and
// holes, a comparator (stable), frozen, sealed and read-only elements,
// array-likes; indexOf of NaN, -0, a string against a number, objects,
// with fromIndex and on a holey array.
module.exports = function (req, res) {
  function tryIt(f) { try { return f(); } catch (e) { return e.name; } }
  var a = ['pear', 'Apple', 'apple', '', 'banana', 'pear', '\u00e9clair', 'Zebra', 'z', 'a b', 'ab'];
  var same = a.sort();
  var holey = ['b', , 'a'];
  var ro = ['b', 'a'];
  Object.defineProperty(ro, 0, { writable: false });
  var people = [{ n: 'x', k: 2 }, { n: 'y', k: 1 }, { n: 'z', k: 2 }, { n: 'w', k: 1 }];
  var obj = { o: 1 };
  var out = [
    a, same === a, ['b', 'a', 'c'].sort(), [].sort(), ['only'].sort(), [10, 9, 1, 100].sort(),
    ['b', 1, 'a', true, null].sort(), ['b', undefined, 'a'].sort(), holey.sort(), holey.length, 1 in holey,
    people.sort(function (x, y) { return x.k - y.k; }).map(function (p) { return p.n; }),
    tryIt(function () { return Object.freeze(['b', 'a']).sort(); }), tryIt(function () { return Object.seal(['b', 'a']).sort(); }),
    tryIt(function () { return ro.sort(); }), ro, Array.prototype.sort.call({ length: 2, 0: 'b', 1: 'a' }),
    tryIt(function () { return ['b', 'a'].sort(1); }),
    [1, 2, 3].indexOf(2), [1, 2, 3].indexOf(4), [NaN].indexOf(NaN), [0].indexOf(-0), [-0].indexOf(0), ['1'].indexOf(1),
    [1].indexOf('1'), [obj, { o: 1 }].indexOf(obj), [{ o: 1 }].indexOf({ o: 1 }), [null, undefined].indexOf(undefined),
    [undefined].indexOf(), [].indexOf(undefined), ['a', 'b', 'a'].indexOf('a', 1), ['a', 'b'].indexOf('a', -1),
    [, 'x'].indexOf(undefined), [, 'x'].indexOf('x'), Array.prototype.indexOf.call({ length: 2, 1: 'q' }, 'q'),
    Array.prototype.indexOf.call('abc', 'c'), [true, false].indexOf(false), ['caf\u00e9'].indexOf('caf\u00e9'),
    [].indexOf.length, [req.url].indexOf(req.url)
  ];
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
