// waits ?ms (default 200) on a timer; keeps a string of ~16 KB or more,
// unique per ?c and ?n, alive with the waiting request so that a leaked
// exchange shows in the worker's RSS
module.exports = function (req, res) {
  var ms = Number(req.query.ms) || 200;
  req.blob = ((req.query.c || '') + (req.query.n || '') + '|').repeat(4096);
  setTimeout(function () {
    res.end('waited ' + ms + (req.blob.length >= 4096 * 2 ? ' big' : ' small'));
  }, ms);
};
