// an exception in a timer callback is logged; the handler still answers
function timerBoom() {
  throw new Error('timer-throw-marker-5521');
}
module.exports = function (req, res) {
  setTimeout(timerBoom, 5);
  setTimeout(function () { res.end('survived'); }, 40);
};
