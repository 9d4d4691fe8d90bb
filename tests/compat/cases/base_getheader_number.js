// Plain ES5: res.getHeader() gives back what was set, a number as a number
// and an array as an array (Node keeps the value; only the wire has text).
module.exports = function (req, res) {
    res.setHeader('X-Count', 3);
    res.setHeader('X-List', ['a', 'b']);
    res.setHeader('Content-Type', 'text/plain');
    var n = res.getHeader('x-count'), l = res.getHeader('x-list');
    res.end(typeof n + ' ' + (n + 1) + ' ' + Array.isArray(l) + ' ' + l.length);
};
