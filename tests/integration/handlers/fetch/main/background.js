// GET /background?u=URL: starts a fetch it does not wait for, answers at
// once (the fetch may still run when the worker stops).
module.exports = function (req, res) {
  fetch(req.query.u).then(function (r) {
    console.log('background fetch answered ' + r.status);
  }, function (e) {
    console.log('background fetch failed: ' + e.message);
  });
  res.end('started');
};
