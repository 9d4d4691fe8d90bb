// returns a Promise resolved from a timer after writing the answer
module.exports = function (req, res) {
  return new Promise(function (resolve) {
    setTimeout(function () {
      res.json({ resolved: true });
      resolve('ignored value');
    }, 30);
  });
};
