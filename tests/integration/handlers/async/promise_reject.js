// returns a Promise rejected later from a timer: 500
function failLater(reject) {
  reject(new Error('async-reject-marker-4411'));
}
module.exports = function (req, res) {
  return new Promise(function (resolve, reject) {
    setTimeout(function () { failLater(reject); }, 30);
  });
};
