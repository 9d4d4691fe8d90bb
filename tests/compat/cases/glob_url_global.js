// URL and URLSearchParams as globals, without require: reading the query
// of req.url against the Host header, as Node handlers commonly do.
// @request GET /glob_url_global?page=3&sort=-date&filter=a%2Cb
// @header Host: api.example.com:8080
module.exports = function (req, res) {
    const url = new URL(req.url, `http://${req.headers.host}`);
    const page = Number(url.searchParams.get('page') ?? 1);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Link', `<${next.href}>; rel="next"`);
    res.end(JSON.stringify({
        pathname: url.pathname, page, sort: url.searchParams.get('sort'),
        filter: url.searchParams.get('filter').split(','), host: url.host, port: url.port,
        params: Object.fromEntries(url.searchParams), usp: typeof URLSearchParams,
    }));
};
