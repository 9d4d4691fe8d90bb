// Reading a POST body the Node way: req.on('data') and req.on('end'),
// chunks as Buffers concatenated, then JSON.parse; a GET without a body
// still gets 'end'; setEncoding makes the chunks strings.
// @request POST /node_stream_body {"name":"J\u00fcrgen","items":[1,2,3]}
// @header Content-Type: application/json
// @request GET /node_stream_body
// @request PUT /node_stream_body "plain text body \u00e9"
module.exports = function (req, res) {
    const chunks = [];
    const types = new Set();
    if (req.method === 'PUT') req.setEncoding('utf8');
    req.on('data', function (chunk) { chunks.push(chunk); types.add(Buffer.isBuffer(chunk) ? 'buffer' : typeof chunk); });
    req.on('end', function () {
        const raw = req.method === 'PUT' ? chunks.join('') : Buffer.concat(chunks).toString('utf8');
        var parsed = null;
        try { parsed = JSON.parse(raw); } catch (e) { parsed = 'not json: ' + raw.length + ' chars'; }
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ method: req.method, types: Array.from(types), length: raw.length, parsed,
                                 readable: typeof req.pipe === 'function' && typeof req.on === 'function' }));
    });
};
