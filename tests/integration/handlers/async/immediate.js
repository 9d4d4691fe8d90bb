// setImmediate answers on the next loop turn
module.exports = function (req, res) {
  var sync = true;
  setImmediate(function (what) {
    res.json({ what: what, wasSync: sync });
  }, 'imm');
  sync = false;
};
