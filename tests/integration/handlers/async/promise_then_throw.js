// a then-callback of the returned chain throws: 500
function explode() {
  throw new TypeError('then-throw-marker-3307');
}
module.exports = function (req, res) {
  return Promise.resolve().then(function () { explode(); });
};
