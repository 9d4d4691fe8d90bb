// ES module namespace import of a core module, and re-reading it under
// another specifier.
import * as qs from 'querystring';
import * as qs2 from 'node:querystring';

export const GET = (req, res) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const parsed = qs.parse(query);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        parsed: { ...parsed },
        back: qs2.stringify({ a: [1, 2], b: 'x y', c: '' }),
        fns: typeof qs.parse + typeof qs.stringify,
    }));
};
// @request GET /esm_import_star?a=1&a=2&b=hello+world&c=%E2%9C%93
