// Reports every req member; each lookup is guarded so one missing member
// does not hide the others.
function safe(f) {
  try { return { v: f() }; } catch (e) { return { err: String(e) }; }
}
function hex(buf) {
  var s = '';
  for (var i = 0; i < buf.length; i++) s += ('0' + buf[i].toString(16)).slice(-2);
  return s;
}
module.exports = function (req, res) {
  var out = {
    method: safe(function () { return req.method; }),
    url: safe(function () { return req.url; }),
    path: safe(function () { return req.path; }),
    query: safe(function () { return req.query; }),
    params: safe(function () { return req.params; }),
    headers: safe(function () { return req.headers; }),
    bodyType: safe(function () {
      if (req.body === undefined) return 'undefined';
      return Buffer.isBuffer(req.body) ? 'Buffer' : typeof req.body;
    }),
    bodyHex: safe(function () { return req.body === undefined ? null : hex(req.body); }),
    bodyLength: safe(function () { return req.body === undefined ? null : req.body.length; }),
    text: safe(function () { return req.text(); }),
    ip: safe(function () { return req.ip; }),
    protocol: safe(function () { return req.protocol; }),
    id: safe(function () { return req.id; })
  };
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
