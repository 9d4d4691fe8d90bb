// ES module syntax: `export default function` is the handler for every
// method; a named export next to it that is not a method name.
// @request GET /esm_default_export
// @request PATCH /esm_default_export
export const VERSION = '1.2.3';

export default function (req, res) {
    res.setHeader('Content-Type', 'text/plain');
    res.setHeader('X-Version', VERSION);
    res.end(`default handler for ${req.method}`);
}
