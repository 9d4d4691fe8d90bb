// deepmerge: configuration merging, arrays concatenated or replaced.
var merge = require('deepmerge');
module.exports = function (req, res) {
    var defaults = { server: { port: 80, hosts: ['a'] }, log: { level: 'info' } };
    var user = { server: { hosts: ['b'], tls: true }, log: { level: 'debug' } };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        merged: merge(defaults, user),
        replaced: merge(defaults, user, { arrayMerge: function (d, s) { return s; } }),
        all: merge.all([{ a: 1 }, { b: 2 }, { a: 3 }]), untouched: defaults.server.hosts
    }));
};
