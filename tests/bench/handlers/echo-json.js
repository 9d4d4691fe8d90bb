// tests/bench scenario "post-json": POST /echo-json with a 1 KB JSON object;
// answers how many keys it has and the value of the first one.
exports.POST = function (req, res) {
    var body = req.json();
    var keys = (body !== null && typeof body === 'object') ? Object.keys(body) : [];
    res.json({ n: keys.length, first: keys.length ? body[keys[0]] : null });
};
