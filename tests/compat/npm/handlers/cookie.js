// cookie: parse a Cookie header, serialize Set-Cookie values with options.
// @request GET /cookie
// @header Cookie: sid=abc123; theme=dark%20mode; empty=; flag
var cookie = require('cookie');
module.exports = function (req, res) {
    var parsed = cookie.parse(req.headers.cookie || '');
    res.setHeader('Set-Cookie', [
        cookie.serialize('sid', 'new value', { httpOnly: true, path: '/', maxAge: 3600, sameSite: 'lax' }),
        cookie.serialize('pref', 'x;y', { expires: new Date(Date.UTC(2030, 0, 1)), secure: true, domain: 'example.com' })
    ]);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ parsed: parsed, keys: Object.keys(parsed) }));
};
