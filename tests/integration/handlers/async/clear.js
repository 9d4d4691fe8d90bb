// clearTimeout / clearImmediate before the timer fires: it never runs
module.exports = function (req, res) {
  var ran = [];
  var t = setTimeout(function () { ran.push('timeout'); }, 10);
  var i = setImmediate(function () { ran.push('immediate'); });
  var t2 = setTimeout(function () { ran.push('timeout2'); }, 20);
  clearTimeout(t);
  clearImmediate(i);
  setTimeout(function () { clearTimeout(t2); }, 1);
  // clearing nonsense is harmless
  clearTimeout(undefined);
  clearTimeout(null);
  clearTimeout(123456789);
  clearInterval('x');
  setTimeout(function () { res.json({ ran: ran }); }, 80);
};
