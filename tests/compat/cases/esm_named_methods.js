// ES module syntax: named exports are the per-method handlers; a GET that
// is an async function, a POST that reads the body as a stream, and a
// module-private helper that is not exported.
// @request GET /esm_named_methods?id=7
// @request POST /esm_named_methods {"name":"ada"}
// @header Content-Type: application/json
const store = new Map([['7', { id: '7', name: 'seven' }]]);
const json = (res, status, value) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(value));
};

export async function GET(req, res) {
    const id = req.url.split('id=')[1];
    await null;
    json(res, 200, store.get(id) ?? { error: 'none' });
}

export function POST(req, res) {
    let body = '';
    req.on('data', chunk => { body += chunk; });
    req.on('end', () => json(res, 201, { created: JSON.parse(body), type: req.headers['content-type'] }));
}
