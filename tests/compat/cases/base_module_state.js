// Plain ES5: state at module level lasts across requests; a helper
// module from _lib is required with a relative path.
// @request GET /base_module_state
// @request POST /base_module_state
// @request GET /base_module_state
var counter = require('./_lib/counter');
var hits = 0;
exports.GET = function (req, res) {
    hits++;
    res.setHeader('Content-Type', 'text/plain');
    res.end('hits=' + hits + ' counter=' + counter.next());
};
exports.POST = function (req, res) {
    hits += 10;
    res.statusCode = 201;
    res.end('posted ' + hits);
};
