// answers with the status in ?s=, and a body: 1xx must be refused (not a
// final answer), 304 must go without the body and its length
module.exports = function (req, res) {
  res.statusCode = Number(req.query.s);
  res.end('some body');
};
