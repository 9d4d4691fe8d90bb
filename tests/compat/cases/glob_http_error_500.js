// Outside the convention an error answers 500: a status that is not a 4xx
// or 5xx number (stated expectation, not Node).
// @expect-status 500
// @expect-json {"status": 500}
module.exports = function (req, res) {
    const err = new Error('weird');
    err.status = '404';   // a string, not a number
    err.statusCode = 302;
    throw err;
};
