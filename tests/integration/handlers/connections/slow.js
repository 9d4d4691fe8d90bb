// Answers after ?ms= milliseconds: a connection busy with a request.
module.exports = function (req, res) {
  setTimeout(function () { res.end('slow'); }, Number(req.query.ms || 1000));
};
