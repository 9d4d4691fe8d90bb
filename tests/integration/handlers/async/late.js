// answers only after request_timeout (1s in the test config): the 504
// goes first, then res.write/end/json must be harmless no-ops
var state = { started: 0, ran: 0, errors: [] };
module.exports = function (req, res) {
  if (req.query.status) {
    res.json(state);
    return;
  }
  state.started++;
  setTimeout(function () {
    var calls = [
      function () { res.statusCode = 200; },
      function () { res.write('late chunk'); },
      function () { res.end('too late'); },
      function () { res.json({ late: true }); },
      function () { res.end(); }
    ];
    for (var i = 0; i < calls.length; i++) {
      try { calls[i](); } catch (e) { state.errors.push(String(e)); }
    }
    state.ran++;
  }, Number(req.query.ms) || 1600);
};
