// Core modules under the node: prefix are the same objects as without it.
const names = ['path', 'util', 'events', 'url', 'querystring', 'buffer', 'string_decoder',
               'assert', 'stream', 'timers/promises', 'crypto', 'fs'];

module.exports = function (req, res) {
    const out = {};
    names.forEach(function (n) {
        var plain, prefixed;
        try { plain = require(n); prefixed = require('node:' + n); } catch (e) { out[n] = 'missing'; return; }
        out[n] = plain === prefixed ? typeof plain : 'different';
    });
    out.bufferGlobal = require('node:buffer').Buffer === Buffer;
    out.eventsClass = typeof require('node:events').EventEmitter;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
