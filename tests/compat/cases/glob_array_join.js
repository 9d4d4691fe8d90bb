// Array#join (eider's own path for an array of strings, numbers,
// booleans, null and undefined with no hole; Duktape's for the rest):
// the default separator, empty and long ones, numbers written as
// ToString does, null and undefined as empty, holes (read through the
// prototype chain), objects and nested arrays, a length past the
// elements, array-likes and a string as this, and a separator that is
// no string.
module.exports = function (req, res) {
  var big = [];
  for (var i = 0; i < 5000; i++) big.push(i % 7);
  var holey = [1, , 3];
  var long = ['a', 'b'];
  long.length = 4;
  var obj = { toString: function () { return 'O'; } };
  Array.prototype[1] = 'from the prototype';
  var viaProto = holey.join('-');
  delete Array.prototype[1];
  var out = [
    [].join(), ['only'].join(), ['a', 'b', 'c'].join(), ['a', 'b', 'c'].join(''), ['a', 'b'].join(' -- '),
    [1, 2.5, -0, 1e21, 1e-7, 0.1 + 0.2, NaN, Infinity, -Infinity, 255].join(' '),
    [true, false, null, undefined, 'x'].join('|'), [null].join(), [undefined, undefined].join(),
    ['caf\u00e9', '\u20ac', 'x\ud83d\ude00'].join('\u00b7'), holey.join(), viaProto, long.join('+'),
    [[1, 2], [3, [4, 5]]].join(';'), [obj, 'x', { a: 1 }].join(), big.join('').length, big.join(',').slice(0, 30),
    Array.prototype.join.call({ length: 3, 0: 'a', 2: 'c' }, '/'), Array.prototype.join.call('abc', '-'),
    ['a', 'b'].join(1), ['a', 'b'].join(null), ['a', 'b'].join(undefined), ['a', 'b'].join(obj),
    ['x', 'y'].toString(), String(['p', 'q']), [req.url, req.method].join(' ')
  ];
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
