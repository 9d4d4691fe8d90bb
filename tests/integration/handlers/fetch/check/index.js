// Fetches while the module loads: under `eider -t` (no event loop) the
// Promise must reject at once with a TypeError.
fetch('http://127.0.0.1:1/').then(function () {
  console.log('FETCH-CHECK resolved');
}, function (e) {
  console.log('FETCH-CHECK ' + e.name + ': ' + e.message);
});
module.exports = function (req, res) {
  res.end('ok');
};
