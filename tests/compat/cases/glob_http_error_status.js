// The http-errors convention (issue 12): an error thrown with a numeric
// `status` answers that status. Node's createServer has no such
// convention, so eider is compared with this stated expectation.
// @expect-status 404
// @expect-json {"status": 404}
module.exports = function (req, res) {
    const err = new Error('no such user');
    err.status = 404;
    throw err;
};
