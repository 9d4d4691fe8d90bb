// microtasks queued inside a timer callback run before the next timer
// callback, even when that one is already due; equal delays fire in the
// order they were set
function spin(ms) {
  var end = Date.now() + ms;
  while (Date.now() < end) { }
}
module.exports = function (req, res) {
  var log = [];
  setTimeout(function () {
    log.push('t1');
    Promise.resolve().then(function () { log.push('t1-micro'); })
      .then(function () { log.push('t1-micro2'); });
    spin(30);   // t2 is overdue when t1 returns
  }, 5);
  setTimeout(function () { log.push('t2'); }, 10);
  'abcdefgh'.split('').forEach(function (name) {
    setTimeout(function () { log.push(name); }, 60);
  });
  setTimeout(function () { res.json(log); }, 120);
};
