// sprintf-js: printf-style formatting.
var sprintf = require('sprintf-js').sprintf, vsprintf = require('sprintf-js').vsprintf;
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end([
        sprintf('%s has %d items costing %.2f', 'cart', 3, 9.5), sprintf('%05d|%-6s|%+d', 42, 'ab', 7),
        sprintf('%x %X %o %b %e', 255, 255, 8, 5, 12345.678), sprintf('%(name)s is %(age)d', { name: 'ada', age: 36 }),
        vsprintf('%2$s %1$s', ['a', 'b']), sprintf('%j', { a: [1] }), sprintf('%10.3f|', Math.PI)
    ].join('\n'));
};
