// GET /proxy?u=URL: answers the upstream's status and body.
module.exports = function (req, res) {
  return fetch(req.query.u).then(function (r) {
    return r.text().then(function (text) {
      res.statusCode = r.status;
      res.end(text);
    });
  });
};
