// path-to-regexp: route patterns matched and compiled, as routers use it.
var p2r = require('path-to-regexp');
module.exports = function (req, res) {
    var match = p2r.match('/users/:id/posts/:slug');
    var wild = p2r.match('/files/*path');
    var toPath = p2r.compile('/users/:id{/:tab}');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        m1: match('/users/42/posts/hello-world'), m2: match('/users/42'), wild: wild('/files/a/b/c.txt'),
        compiled: [toPath({ id: '7' }), toPath({ id: 'a b', tab: 'x' })],
        re: p2r.pathToRegexp('/a/:b').regexp.source
    }));
};
