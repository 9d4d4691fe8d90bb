// Lengths of the body text as Node counts them (UTF-16 code units), and
// of its UTF-8 encoding through TextEncoder.
module.exports = function (req, res) {
  var text = req.text();
  res.end(JSON.stringify({ length: text.length, bytes: new TextEncoder().encode(text).length,
                           query: req.query.q || '', qlength: (req.query.q || '').length }));
};
