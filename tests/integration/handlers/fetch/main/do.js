// POST /do with a JSON spec: runs fetch(spec.url, spec.init) and answers
// what the handler saw. spec.bodyHex (+ bodyKind "uint8") sends bytes;
// spec.read is "text" (default), "json", "arrayBuffer" or "none";
// spec.get lists header names to look up; spec.readTwice reads again.
module.exports = function (req, res) {
  var spec = req.json();
  var init = spec.init || {};
  if (spec.bodyHex !== undefined) {
    var bytes = Buffer.from(spec.bodyHex, 'hex');
    init.body = spec.bodyKind === 'uint8' ? new Uint8Array(bytes) : bytes;
  }
  var t0 = Date.now();
  fetch(spec.url, init).then(function (r) {
    var out = { status: r.status, statusText: r.statusText, ok: r.ok, url: r.url,
                redirected: r.redirected, headers: {}, get: {}, has: {} };
    r.headers.forEach(function (value, name) { out.headers[name] = value; });
    (spec.get || []).forEach(function (name) {
      out.get[name] = r.headers.get(name);
      out.has[name] = r.headers.has(name);
    });
    var read = spec.read || 'text';
    var p = read === 'json' ? r.json() : read === 'arrayBuffer' ? r.arrayBuffer()
          : read === 'none' ? Promise.resolve() : r.text();
    return p.then(function (value) {
      if (read === 'arrayBuffer') {
        out.isArrayBuffer = value instanceof ArrayBuffer;
        out.byteLength = value.byteLength;
        out.hex = Buffer.from(value).toString('hex');
      } else if (read !== 'none') {
        out.body = value;
      }
      out.bodyUsed = r.bodyUsed;
      if (spec.readTwice) {
        return r.text().then(function () { out.second = 'read again'; },
                             function (e) { out.second = e.name + ': ' + e.message; });
      }
    }, function (e) {
      out.readError = { name: e.name, message: e.message };
    }).then(function () {
      out.ms = Date.now() - t0;
      res.json(out);
    });
  }, function (e) {
    res.json({ error: { name: e.name, message: e.message, isTypeError: e instanceof TypeError },
               ms: Date.now() - t0 });
  });
};
