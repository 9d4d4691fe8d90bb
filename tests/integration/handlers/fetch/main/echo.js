// Any method: answers the request as JSON (an upstream for fetch).
module.exports = function (req, res) {
  res.json({ method: req.method, url: req.url, headers: req.headers,
             body: req.body === undefined ? null : req.body.toString('hex') });
};
