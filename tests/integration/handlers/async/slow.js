// answers from a timer; ?status reports how many timers fired and whether
// res.end threw (used after the client went away)
var state = { started: 0, ran: 0, errors: [] };
module.exports = function (req, res) {
  if (req.query.status) {
    res.json(state);
    return;
  }
  state.started++;
  var ms = Number(req.query.ms) || 300;
  setTimeout(function () {
    try {
      res.write('partial ');
      res.end('slow done');
    } catch (e) {
      state.errors.push(String(e));
    }
    state.ran++;
  }, ms);
};
