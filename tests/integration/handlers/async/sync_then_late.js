// answers at once, then calls res again from a timer: no-ops
var state = { ran: 0, errors: [] };
module.exports = function (req, res) {
  if (req.query.status) {
    res.json(state);
    return;
  }
  res.end('now');
  setTimeout(function () {
    var calls = [
      function () { res.statusCode = 500; },
      function () { res.write('late chunk'); },
      function () { res.end('again'); },
      function () { res.json({ late: true }); }
    ];
    for (var i = 0; i < calls.length; i++) {
      try { calls[i](); } catch (e) { state.errors.push(String(e)); }
    }
    state.ran++;
  }, Number(req.query.ms) || 300);
};
