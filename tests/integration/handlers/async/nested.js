// timers created inside timer callbacks, several levels deep
module.exports = function (req, res) {
  var log = [];
  setTimeout(function () {
    log.push('t1');
    setTimeout(function () {
      log.push('t2');
      setImmediate(function () {
        log.push('imm3');
        var iv = setInterval(function () {
          log.push('iv4');
          clearInterval(iv);
          Promise.resolve().then(function () {
            log.push('micro5');
            setTimeout(function () {
              log.push('t6');
              res.json(log);
            }, 5);
          });
        }, 5);
      });
    }, 5);
  }, 5);
};
