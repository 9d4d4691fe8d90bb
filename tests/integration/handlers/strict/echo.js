// Counts the requests that reach it, so a test can show that a rejected
// request never did. GET /echo?peek answers the count without adding one.
var hits = 0;
module.exports = function (req, res) {
  if (req.url === '/echo?peek') {
    res.end(String(hits));
    return;
  }
  hits++;
  console.log('HANDLER-HIT ' + req.url);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ hits: hits, method: req.method, url: req.url,
                           headers: req.headers, text: req.text() }));
};
