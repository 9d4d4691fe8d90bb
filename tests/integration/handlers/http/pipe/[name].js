module.exports = function (req, res) {
  console.log('HANDLER-HIT ' + req.url);
  res.end(req.params.name + ':' + req.method + ':' + req.text());
};
