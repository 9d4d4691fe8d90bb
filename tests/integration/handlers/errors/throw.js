function inner() {
  throw new Error('boom-marker-7731');
}
module.exports = function (req, res) {
  inner();
};
