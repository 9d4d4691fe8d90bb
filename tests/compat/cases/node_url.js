// require('url'): the WHATWG URL class (parts, setters, relative
// resolution, percent-encoding, an invalid URL throwing TypeError),
// url.format and fileURLToPath.
const url = require('url');
const URL = url.URL;

module.exports = function (req, res) {
    const u = new URL('https://user:pw@Example.COM:8443/a/b/../c?x=1&y=two#frag');
    const parts = ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
                   'pathname', 'search', 'hash', 'origin'].map(function (k) { return k + '=' + u[k]; });
    const v = new URL('/api/v1/items?q=a b&q=c', 'http://localhost:3000');
    v.searchParams.append('page', '2');
    v.hash = 'top';
    const d = new URL('http://example.com:80/\u00e9t\u00e9');
    var invalid;
    try { new URL('not a url'); } catch (e) { invalid = e.name + ' ' + (e instanceof TypeError) + ' ' + e.code; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        parts, relative: v.href, q: v.searchParams.getAll('q'), defaultPort: d.port, host: d.host,
        encoded: d.pathname, json: JSON.stringify({ u: new URL('http://a/b') }), invalid,
        dotdot: new URL('../x', 'http://h/a/b/c').href, isGlobal: URL === globalThis.URL,
        fileUrl: url.fileURLToPath('file:///srv/data/a%20b.txt'),
        format: url.format(new URL('http://h/p?q=1#f'), { fragment: false }),
    }));
};
