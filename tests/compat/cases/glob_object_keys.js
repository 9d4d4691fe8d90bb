// Object.keys (eider's from the property table for a plain object;
// Duktape's for the rest) against Node: insertion order after a delete
// and re-add, symbols and non-enumerable keys left out, enumerable
// accessors in, array-index keys first, arrays, strings, functions,
// inherited keys, JSON.parse's objects, null prototypes, a 40-key object
// (a hash part), the errors on null and undefined.
module.exports = function (req, res) {
  var o = {b: 1, a: 2}; o.c = 3; delete o.a; o.a = 4;
  var sym = typeof Symbol === 'function' ? Symbol('s') : 's';
  var w = {x: 1}; w[sym] = 2; Object.defineProperty(w, 'hid', {value: 1, enumerable: false}); Object.defineProperty(w, 'acc', {get: function () { return 1; }, enumerable: true});
  var cases = [o, w, {}, {2: 'a', 1: 'b', z: 1}, [1, 2, 3], 'str', Object.create({inh: 1}), function f() {}, new Date(0), /re/g, {length: 1}, JSON.parse('{"q":1,"p":2,"10":3}'), Object.create(null)];
  var out = cases.map(function (c) { return Object.keys(c); });
  try { Object.keys(null); out.push('no'); } catch (e) { out.push(e.name); }
  try { Object.keys(undefined); out.push('no'); } catch (e) { out.push(e.name); }
  out.push(Object.keys(5), Object.keys.length, Object.keys.name, Object.prototype.propertyIsEnumerable.call(Object, 'keys'));
  var big = {}; for (var i = 0; i < 40; i++) big['k' + i] = i; delete big.k5; out.push(Object.keys(big).join(','));
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
