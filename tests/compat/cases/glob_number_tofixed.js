// Number#toFixed (eider's in C for a primitive number, 0..20 digits,
// |x| < 1e21; Duktape's for the rest) against Node: exact ties, which
// round up in magnitude (0.5, 2.5, 1.125, -2.5), values just off a tie
// (1.005 is 1.00499...), carries (9.5, 99.95 -> 99.95 is below the tie),
// negatives, -0, tiny values, large ones, every digit count 0..20, and
// what falls back: digits that are no integer, undefined, a Number
// object, NaN, Infinity, 1e21 and more.
module.exports = function (req, res) {
  var xs = [0, -0, 0.5, 1.5, 2.5, -2.5, 1.125, 1.375, -1.125, 1.005, 1.045, 9.5, 99.5, 0.95, 9.995,
    99.95, 123.456, -123.456, 1e-7, -1e-7, 0.000001, 1 / 3, 2 / 3, 1e15 + 0.5, 123456789012345680000,
    4.35, 8.345, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 1e21, -1e21, 12.99, 0.99, 3.14159];
  var out = xs.map(function (x) {
    var row = [];
    for (var d = 0; d <= 20; d++) row.push(x.toFixed(d));
    row.push(x.toFixed(), x.toFixed(2.7), x.toFixed(undefined), x.toFixed('3'), x.toFixed(null));
    return row;
  });
  out.push([NaN.toFixed(2), Infinity.toFixed(1), (-Infinity).toFixed(0), new Number(2.5).toFixed(0),
    Number.prototype.toFixed.call(7.25, 1), (1.45).toFixed(1), (0.5).toFixed(0)]);
  var errors = [];
  [-1, 101, Infinity].forEach(function (d) {
    try { (1).toFixed(d); errors.push('no error'); } catch (e) { errors.push(e.name); }
  });
  try { Number.prototype.toFixed.call('1', 1); errors.push('no error'); } catch (e) { errors.push(e.name); }
  out.push(errors);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
