// schedules an answer, then throws: 500 now, the timer's res.end is a no-op
var state = { ran: 0, errors: [] };
module.exports = function (req, res) {
  if (req.query.status) {
    res.json(state);
    return;
  }
  setTimeout(function () {
    try { res.end('late after 500'); } catch (e) { state.errors.push(String(e)); }
    state.ran++;
  }, 50);
  throw new Error('sync-throw-marker-9034');
};
