// timers created when the module loads (once per worker)
var loads = (global.__asyncModuleLoads = (global.__asyncModuleLoads || 0) + 1);
var ticks = 0;
var onceFired = 0;
setInterval(function () { ticks++; }, 20);
setTimeout(function () { onceFired++; }, 10);
module.exports = function (req, res) {
  res.json({ loads: loads, ticks: ticks, onceFired: onceFired, pid: process.pid });
};
