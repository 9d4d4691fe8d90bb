// GET /delay?ms=250 answers after a timer: the worker serves other
// requests meanwhile. The returned Promise's rejection would answer 500.
module.exports = function (req, res) {
    var ms = Math.min(Number(req.query.ms) || 100, 10000);
    return new Promise(function (resolve) {
        setTimeout(resolve, ms);
    }).then(function () {
        res.json({ waited: ms });
    });
};
