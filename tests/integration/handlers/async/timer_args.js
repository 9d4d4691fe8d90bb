// setTimeout / setInterval / setImmediate pass extra arguments
module.exports = function (req, res) {
  var out = {};
  setImmediate(function (a, b) { out.immediate = [a, b]; }, 'i', 1);
  var iv = setInterval(function (a, b) {
    clearInterval(iv);
    out.interval = [a, b];
  }, 5, 'v', { k: 2 });
  setTimeout(function (a, b, c) {
    out.timeout = [a, b, c];
    res.json(out);
  }, 40, 'x', 42, [1, 2]);
};
