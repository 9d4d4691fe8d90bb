// like wait.js, but the timer callback is a module-level function that
// gets req and res as arguments (no closure per request)
function finish(req, res, ms) {
  res.end('waited ' + ms + (req.blob.length >= 4096 * 2 ? ' big' : ' small'));
}
module.exports = function (req, res) {
  var ms = Number(req.query.ms) || 200;
  req.blob = ((req.query.c || '') + (req.query.n || '') + '|').repeat(4096);
  setTimeout(finish, ms, req, res, ms);
};
