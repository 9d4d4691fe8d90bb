// Node's order inside an I/O callback: sync code, microtasks (in order),
// setImmediate, then setTimeout(0)
module.exports = function (req, res) {
  var log = [];
  log.push('sync1');
  setTimeout(function () { log.push('timeout0'); }, 0);
  setImmediate(function () { log.push('immediate'); });
  Promise.resolve().then(function () { log.push('then1'); })
    .then(function () { log.push('then2'); });
  Promise.resolve().then(function () { log.push('thenB'); });
  new Promise(function (resolve) { log.push('executor'); resolve(); })
    .then(function () { log.push('thenC'); });
  log.push('sync2');
  setTimeout(function () { res.json(log); }, 50);
};
