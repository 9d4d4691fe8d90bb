// JSON.parse and req.json() define own elements and keys: setters that a
// handler put on Array.prototype or Object.prototype must not run.
module.exports = function (req, res) {
  var hit = false, a, o, b;
  function trap(proto, key) {
    Object.defineProperty(proto, key, {
      set: function () { hit = true; }, get: function () { return 'inherited'; }, configurable: true
    });
  }
  trap(Array.prototype, '0');
  trap(Object.prototype, 'k');
  try {
    a = JSON.parse('[5, 6]');
    o = JSON.parse('{"k": 1}');
    b = req.json();
  } finally {
    delete Array.prototype[0];
    delete Object.prototype.k;
  }
  res.json({ hit: hit, a: [a[0], a.length, a.hasOwnProperty(0)], o: [o.k, o.hasOwnProperty('k')],
             b: [b[0], b.hasOwnProperty(0)] });
};
