// Streams ?mb= MiB in 64 KiB writes, as a Node handler that honours
// back-pressure does: stops when res.write() returns false, goes on at
// 'drain'. Ends with how often each happened.
module.exports = function (req, res) {
  var total = Number(req.query.mb || 4) * 1024 * 1024, sent = 0, falses = 0, drains = 0;
  var chunk = new Array(64 * 1024 + 1).join('y');
  function pump() {
    while (sent < total) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        falses++;
        res.once('drain', function () { drains++; pump(); });
        return;
      }
    }
    res.end('\nfalses=' + falses + ' drains=' + drains + '\n');
  }
  pump();
};
