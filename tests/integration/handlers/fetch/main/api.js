// GET /api: Headers, Response and fetch argument checks that need no
// network; answers {name: result} where result is a value or "Error: msg".
function attempt(fn) {
  try {
    return fn();
  } catch (e) {
    return e.name + ': ' + e.message;
  }
}

function settled(p) {
  return p.then(function (v) { return { value: v }; },
                function (e) { return { error: e.name + ': ' + e.message }; });
}

module.exports = function (req, res) {
  var out = {};
  var h = new Headers({ 'Content-Type': 'text/plain', 'X-Multi': 'a' });
  h.append('x-multi', 'b');
  h.append('Set-Cookie', 'a=1');
  h.append('Set-Cookie', 'b=2');
  out.get = h.get('CONTENT-TYPE');
  out.multi = h.get('X-MULTI');
  out.missing = h.get('x-none');
  out.has = [h.has('content-type'), h.has('x-none')];
  out.setCookie = h.getSetCookie();
  var seen = [];
  h.forEach(function (value, name) { seen.push(name + '=' + value); });
  out.forEach = seen;
  h.set('x-multi', 'c');
  h['delete']('content-type');
  out.afterSet = [h.get('x-multi'), h.has('content-type')];
  out.fromPairs = new Headers([['A', '1'], ['a', '2']]).get('a');
  out.copy = new Headers(h).get('x-multi');
  var keys = [], it = h.keys(), step;
  for (step = it.next(); !step.done; step = it.next()) keys.push(step.value);
  out.keys = keys;
  out.badName = attempt(function () { return new Headers({ 'bad name': 'x' }); });
  out.badValue = attempt(function () { return new Headers({ 'x-a': 'a\r\nb' }); });
  out.noNew = attempt(function () { return Headers(); });

  var r = new Response('h\u00e9llo', { status: 201, statusText: 'Made', headers: { 'X-A': '1' } });
  out.response = [r.status, r.statusText, r.ok, r.headers.get('x-a'), r.headers.get('content-type'), r.bodyUsed];
  out.notOk = new Response(null, { status: 404 }).ok;
  out.badStatus = attempt(function () { return new Response('', { status: 99 }); });

  var checks = {
    text: r.text(),
    textAgain: r.text(),
    json: new Response('{"a":[1,2]}').json(),
    badJson: new Response('{nope').json(),
    bytes: new Response(new Uint8Array([1, 2, 255])).arrayBuffer().then(function (ab) {
      return [ab instanceof ArrayBuffer, Buffer.from(ab).toString('hex')];
    }),
    clone: (function () {
      var a = new Response('twice');
      var b = a.clone();
      return a.text().then(function (t) { return b.text().then(function (u) { return t + '+' + u; }); });
    })(),
    getWithBody: fetch('http://127.0.0.1:1/', { method: 'GET', body: 'x' }),
    badRedirect: fetch('http://127.0.0.1:1/', { redirect: 'sometimes' }),
    badUrl: fetch('not a url'),
    badScheme: fetch('ftp://127.0.0.1/'),
    badMethod: fetch('http://127.0.0.1:1/', { method: 'GE T' }),
    badTimeout: fetch('http://127.0.0.1:1/', { timeout: -5 }),
    credentials: fetch('http://user:pw@127.0.0.1:1/'),
    isPromise: (function () {
      var p = fetch('http://127.0.0.1:1/');
      return p.then(function () { return 'resolved'; }, function () { return p instanceof Promise; });
    })()
  };
  var names = Object.keys(checks);
  Promise.all(names.map(function (n) { return settled(checks[n]); })).then(function (results) {
    for (var i = 0; i < names.length; i++) out[names[i]] = results[i];
    out.globals = [typeof fetch, typeof Headers, typeof Response];
    res.json(out);
  });
};
