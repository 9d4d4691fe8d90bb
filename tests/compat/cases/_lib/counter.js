var n = 100;
exports.next = function () { n += 1; return n; };
