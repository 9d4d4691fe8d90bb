// req.pipe(res): echoing the request body back, headers set first; and a
// stream.Writable subclass collecting a piped body.
// @request POST /node_stream_pipe?mode=echo "echo me \u00e9"
// @request POST /node_stream_pipe?mode=collect "0123456789"
const { Writable, Readable } = require('stream');

class Collector extends Writable {
    constructor() { super(); this.parts = []; }
    _write(chunk, encoding, callback) { this.parts.push(chunk.length); callback(); }
}

module.exports = function (req, res) {
    if (req.url.endsWith('mode=echo')) {
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.setHeader('X-Echo', 'yes');
        req.pipe(res);
        return;
    }
    const c = new Collector();
    c.on('finish', () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ total: c.parts.reduce((a, b) => a + b, 0), isReadable: req instanceof Readable }));
    });
    req.pipe(c);
};
