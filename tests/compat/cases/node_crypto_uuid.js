// crypto.randomUUID(): version 4 in the canonical form, and unique.
const randomUUID = require('node:crypto').randomUUID;

module.exports = function (req, res) {
    const ids = Array.from({ length: 20 }, function () { return randomUUID(); });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        shape: ids.every(function (id) { return /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id); }),
        unique: new Set(ids).size,
    }));
};
