// Dates in HTTP: toUTCString in RFC 7231 form, Date.parse of the three HTTP
// date forms and of ISO strings, toISOString, Last-Modified and
// If-Modified-Since handling.
// @request GET /glob_dates
// @request GET /glob_dates
// @header If-Modified-Since: Sat, 01 Feb 2020 10:00:00 GMT
const modified = new Date(Date.UTC(2020, 1, 1, 9, 30, 5));

module.exports = function (req, res) {
    const since = req.headers['if-modified-since'];
    res.setHeader('Last-Modified', modified.toUTCString());
    if (since && Date.parse(since) >= modified.getTime()) {
        res.statusCode = 304;
        return res.end();
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        utc: [new Date(0).toUTCString(), new Date(Date.UTC(1999, 11, 31, 23, 59, 59)).toUTCString()],
        parse: [Date.parse('Sun, 06 Nov 1994 08:49:37 GMT'), Date.parse('Sunday, 06-Nov-94 08:49:37 GMT'),
                Date.parse('Sun Nov  6 08:49:37 1994 GMT'), Date.parse('2020-02-01T09:30:05Z'),
                Date.parse('2020-02-01T09:30:05.123+02:00'), Date.parse('2020-02-01')],
        invalid: [String(Date.parse('not a date')), String(new Date('nope'))],
        iso: modified.toISOString(), json: JSON.stringify({ d: modified }),
        parts: [modified.getUTCDay(), modified.getUTCFullYear(), modified.getUTCMonth()],
    }));
};
