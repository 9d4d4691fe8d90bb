// req.headers as a handler uses it: read twice, enumerated, stringified,
// then modified and read again (the same object, with the changes kept).
module.exports = function (req, res) {
  var h = req.headers;
  var keys = Object.keys(h);
  var json = JSON.stringify(h);
  var same = req.headers === h;
  h['x-added'] = 'yes';
  h['x-change'] = 'changed';
  delete h['x-gone'];
  var again = req.headers;
  res.json({ keys: keys, json: json, same: same && again === h, after: again });
};
