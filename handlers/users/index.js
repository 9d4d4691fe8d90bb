// GET /users -> the list; POST /users with {"name": "..."} -> 201 and the
// new user. State lives in the worker (see _lib/store.js).
var store = require('../_lib/store');

exports.GET = function (req, res) {
    res.json(store.list());
};

exports.POST = function (req, res) {
    var body = req.json();   // invalid JSON answers 400 by itself
    if (!body || typeof body.name !== 'string') {
        return res.json({ error: 'expected {"name": "..."}' }, 422);
    }
    res.json(store.add(body.name), 201);
};
