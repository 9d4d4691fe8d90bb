// Plain ES5: parsing the query string of req.url by hand.
// @request GET /base_query?q=hello%20world&tag=a&tag=b&empty=&flag
// @request GET /base_query
function parse(url) {
    var out = {}, i = url.indexOf('?');
    if (i < 0) return out;
    url.slice(i + 1).split('&').forEach(function (pair) {
        var kv = pair.split('='), k = decodeURIComponent(kv[0]);
        var v = kv.length > 1 ? decodeURIComponent(kv[1].replace(/\+/g, ' ')) : '';
        if (Object.prototype.hasOwnProperty.call(out, k)) out[k] = [].concat(out[k], v);
        else out[k] = v;
    });
    return out;
}
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ query: parse(req.url), keys: Object.keys(parse(req.url)).length }));
};
