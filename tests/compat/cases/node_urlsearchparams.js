// URLSearchParams (from url and as a global): parsing with + and percent
// escapes, repeated names, append/set/delete/has/sort, iteration,
// construction from an object and from pairs, and toString encoding.
// @request GET /node_urlsearchparams?tag=a&tag=b&q=hello+world&amp=%26x%3D1&empty=
const USP = require('url').URLSearchParams;

module.exports = function (req, res) {
    const p = new URLSearchParams(req.url.slice(req.url.indexOf('?')));
    const got = { tag: p.get('tag'), tags: p.getAll('tag'), q: p.get('q'), amp: p.get('amp'),
                  empty: p.get('empty'), none: p.get('none'), has: p.has('q') };
    p.append('z', '1');
    p.set('tag', 'only');
    p.delete('empty');
    p.sort();
    const entries = Array.from(p);
    const fromObj = new USP({ name: 'J\u00fcrgen M\u00fcller', note: 'a+b=c&d', sym: '~!*()\'' });
    const fromPairs = new USP([['x', '1'], ['x', '2']]);
    const keys = [];
    fromPairs.forEach(function (v, k) { keys.push(k + v); });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        got, entries, str: p.toString(), obj: fromObj.toString(), keys,
        size: Array.from(fromPairs.keys()).length, same: USP === URLSearchParams,
        fromEntries: Object.fromEntries(new URLSearchParams('a=1&b=2')),
    }));
};
