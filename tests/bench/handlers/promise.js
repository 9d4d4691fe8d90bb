// tests/bench/instructions scenario "promise": GET /promise answers after
// one Promise.resolve().then: the cost of a Promise, a reaction and the
// microtask drain per request (compare with /hello).
module.exports = function (req, res) {
    return Promise.resolve(1).then(function (n) {
        res.json({hello: 'world', n: n});
    });
};
