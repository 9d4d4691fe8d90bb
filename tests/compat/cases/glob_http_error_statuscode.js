// The http-errors convention with `statusCode`, from a rejected async
// handler whose error class extends Error (stated expectation, not Node).
// @expect-status 422
// @expect-json {"status": 422}
class Unprocessable extends Error {
    constructor(msg) { super(msg); this.statusCode = 422; }
}
module.exports = async (req, res) => {
    await new Promise(r => setTimeout(r, 1));
    throw new Unprocessable('bad input');
};
