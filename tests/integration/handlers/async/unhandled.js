// an unhandled rejection is logged; the answer is unaffected
module.exports = function (req, res) {
  Promise.reject(new Error('unhandled-marker-8812'));
  setTimeout(function () {
    new Promise(function (resolve, reject) { reject(new Error('unhandled-late-marker-8813')); });
    res.end('ok');
  }, 10);
};
