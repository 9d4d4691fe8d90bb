// GET /users/42 -> {"id":"42","name":"user 42"}; DELETE /users/42 -> 204.
// A dynamic segment: users/[id].js puts "42" in req.params.id. Any other
// method answers 405 with "Allow: GET, HEAD, DELETE".
var store = require('../_lib/store');

exports.GET = function (req, res) {
    var user = store.get(req.params.id);
    if (!user) return res.json({ error: 'no such user' }, 404);
    res.json(user);
};

exports.DELETE = function (req, res) {
    store.remove(req.params.id);
    res.statusCode = 204;
    res.end();
};
