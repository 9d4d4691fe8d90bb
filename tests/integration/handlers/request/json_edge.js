// req.json() and JSON.parse(req.text()) side by side, numbers shown
// exactly (String(n), -0 marked) and strings by their length.
module.exports = function (req, res) {
  function show(v) {
    return JSON.stringify(v, function (k, x) {
      return typeof x === 'number' ? (x === 0 && 1 / x < 0 ? '-0' : String(x)) : x;
    });
  }
  var a = req.json(), b = JSON.parse(req.text());
  res.json({
    viaJson: show(a),
    viaParse: show(b),
    ownProto: a !== null && typeof a === 'object' && Object.prototype.hasOwnProperty.call(a, '__proto__'),
    protoIsObject: Object.getPrototypeOf(a) === (Array.isArray(a) ? Array.prototype : Object.prototype),
    lengths: Array.isArray(a) ? a.map(function (x) { return typeof x === 'string' ? x.length : null; }) : null
  });
};
