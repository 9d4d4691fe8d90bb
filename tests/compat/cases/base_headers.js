// Plain ES5, as any Node http.createServer callback: status, headers
// (one repeated), a body built from req.method, req.url and req.headers.
// @request GET /base_headers?name=ada&lang=en
// @header X-Client: compat-suite
// @request DELETE /base_headers
module.exports = function (req, res) {
    res.statusCode = req.method === 'DELETE' ? 202 : 200;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('X-Powered-By', 'compat');
    res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
    res.setHeader('X-Count', 3);
    var seen = res.getHeader('x-powered-by');
    res.removeHeader('X-Removed');
    res.end(req.method + ' ' + req.url + ' client=' + (req.headers['x-client'] || '-') +
            ' seen=' + seen + ' cookies=' + res.getHeader('set-cookie').length);
};
