// setInterval fires repeatedly until clearInterval (from its own callback)
module.exports = function (req, res) {
  var n = 0;
  var id = setInterval(function () {
    n++;
    if (n === 3) {
      clearInterval(id);
      setTimeout(function () { res.json({ n: n, idType: typeof id }); }, 80);
    }
  }, 10);
};
