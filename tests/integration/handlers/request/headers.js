// req.headers as a handler uses it: read twice, enumerated, stringified,
// then modified and read again (the same object, with the changes kept);
// a plain object, as Node's.
module.exports = function (req, res) {
  var h = req.headers;
  var keys = Object.keys(h);
  var json = JSON.stringify(h);
  var same = req.headers === h;
  var plain = Object.getPrototypeOf(h) === Object.prototype && h.hasOwnProperty('host');
  h['x-added'] = 'yes';
  h['x-change'] = 'changed';
  delete h['x-gone'];
  var again = req.headers;
  res.json({ keys: keys, json: json, same: same && again === h, plain: plain, after: again });
};
