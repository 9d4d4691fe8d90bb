module.exports = function (req, res) {
  console.log('HANDLER-HIT ' + req.url);
  res.end('index');
};
