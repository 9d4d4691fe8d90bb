// clearInterval from another timer stops further runs
module.exports = function (req, res) {
  var n = 0;
  var id = setInterval(function () { n++; }, 10);
  setTimeout(function () {
    clearInterval(id);
    var at = n;
    setTimeout(function () { res.json({ atClear: at, after: n }); }, 80);
  }, 75);
};
