// Plain ES5: 204 and 304 answers carry no body; a 404 with a JSON body.
// @request GET /base_no_content?code=204
// @request GET /base_no_content?code=304
// @request GET /base_no_content?code=404
module.exports = function (req, res) {
    var code = Number(req.url.split('code=')[1]);
    res.statusCode = code;
    if (code === 404) {
        res.setHeader('Content-Type', 'application/json');
        return res.end(JSON.stringify({ error: 'not found', url: req.url }));
    }
    res.setHeader('ETag', '"v1"');
    res.end();
};
