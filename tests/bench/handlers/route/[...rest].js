// tests/bench scenario "route": GET /route/api/v2/users/12345/orders/678?fields=id,total&sort=-date
// with the usual headers. The handler does what a router and its
// middleware do with regular expressions: match the path and take its
// parameters, check the query's values, parse the User-Agent, Accept,
// Accept-Language and a request id, and answer what it found. Runs
// unchanged under Node (tests/bench/node/hello.js).
var PATH = /^\/route\/api\/v(\d+)\/users\/(\d+)\/orders(?:\/(\d+))?\/?$/;
var FIELDS = /^[a-z_]+(?:,[a-z_]+)*$/;
var SORT = /^(-?)(date|total|id)$/;
var UA = /\b(Mozilla|curl|wrk|python-requests|Go-http-client)\/([\d.]+)/;
var ACCEPT_JSON = /(?:^|,)\s*application\/(?:json|\*)|\*\/\*/;
var LANG = /^\s*([a-z]{2,3})(?:-([A-Z]{2}))?/;
var REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function query(url) {
  var q = {}, i = url.indexOf('?');
  if (i < 0) return q;
  url.slice(i + 1).split('&').forEach(function (kv) {
    var eq = kv.indexOf('=');
    if (eq > 0) q[decodeURIComponent(kv.slice(0, eq))] = decodeURIComponent(kv.slice(eq + 1));
  });
  return q;
}

module.exports = function (req, res) {
  var url = req.url, q = query(url);
  var m = PATH.exec(url.split('?')[0]);
  var h = req.headers;
  if (!m) return res.json({ error: 'no route' }, 404);
  if (q.fields !== undefined && !FIELDS.test(q.fields)) return res.json({ error: 'bad fields' }, 400);
  var sort = SORT.exec(q.sort || 'date');
  if (!sort) return res.json({ error: 'bad sort' }, 400);
  if (!ACCEPT_JSON.test(h.accept || '*/*')) return res.json({ error: 'not acceptable' }, 406);
  var ua = UA.exec(h['user-agent'] || ''), lang = LANG.exec(h['accept-language'] || '');
  var rid = h['x-request-id'] || '';
  res.json({
    version: Number(m[1]), user: Number(m[2]), order: m[3] ? Number(m[3]) : null,
    fields: q.fields ? q.fields.split(',') : [], sort: { by: sort[2], desc: sort[1] === '-' },
    client: ua ? { name: ua[1], version: ua[2] } : null,
    lang: lang ? lang[1] + (lang[2] ? '-' + lang[2] : '') : null,
    requestId: REQUEST_ID.test(rid) ? rid.toLowerCase() : null
  });
};
