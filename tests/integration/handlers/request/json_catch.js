module.exports = function (req, res) {
  try {
    req.json();
    res.end('parsed');
  } catch (e) {
    res.statusCode = 422;
    res.end('caught ' + (e && e.name));
  }
};
