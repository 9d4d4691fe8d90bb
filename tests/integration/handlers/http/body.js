module.exports = function (req, res) {
  console.log('HANDLER-HIT ' + req.url);
  var b = req.body;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ length: b === undefined ? null : b.length, text: req.text() }));
};
