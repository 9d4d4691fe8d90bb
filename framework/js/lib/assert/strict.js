// require('assert/strict'): assert.strict (see lib/assert.js).
module.exports = require('assert').strict;
