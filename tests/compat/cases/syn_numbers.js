// The exponent operator (and **=), numeric separators, binary and octal
// literals, and Number statics.
module.exports = function (req, res) {
    let grow = 3;
    grow **= 2;
    const out = {
        pow: [2 ** 10, 2 ** -1, (-2) ** 3, 2 ** 3 ** 2, 10 ** 0],
        grow,
        separators: [1_000_000, 0.000_001, 0xFF_FF, 1_0.5e1_0],
        binary: [0b1010, 0o17, 0B11, 0O7],
        safe: [Number.isSafeInteger(2 ** 53 - 1), Number.isSafeInteger(2 ** 53), Number.MAX_SAFE_INTEGER],
        eps: Number.EPSILON > 0 && Number.EPSILON < 1e-15,
        mathPow: Math.pow(2, 0.5) === 2 ** 0.5,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
