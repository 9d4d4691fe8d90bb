// What eider made of the connection and the forwarded headers.
module.exports = function (req, res) {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('X-Echo-Marker', 'proxied-through');
  res.end(JSON.stringify({
    ip: req.ip,
    protocol: req.protocol,
    id: req.id,
    xff: req.headers['x-forwarded-for'] === undefined ? null : req.headers['x-forwarded-for'],
    headers: req.headers
  }));
};
