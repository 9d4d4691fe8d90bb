// answers MB megabytes at once (default 8): for clients that do not read
module.exports = function (req, res) {
  res.end(Buffer.alloc((Number(req.query.mb) || 8) * 1048576, 'x'));
};
