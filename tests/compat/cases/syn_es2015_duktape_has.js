// The ES2015+ syntax Duktape parses itself, as a Node developer writes it
// in an otherwise ES5 file: shorthand properties and methods, computed
// keys, the exponent operator, binary and octal literals, \u{...} escapes.
var prefix = 'x';
function handler(req, res) {
    var method = req.method, status = 2 ** 3 * 25;
    var out = {
        method,
        status,
        [prefix + 'Upper']: prefix.toUpperCase(),
        ['n' + 0b11]: 0o17,
        area(w, h) { return w * h; },
        cube: 3 ** 3,
        escape: '\u{1F600}'.length + ':' + '\u{41}',
    };
    var area = out.area(4, 5);
    delete out.area;
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ out, area, keys: Object.keys(out) }));
}
module.exports = handler;
