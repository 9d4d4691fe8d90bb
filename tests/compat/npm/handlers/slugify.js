// slugify: URL slugs from titles with accents and symbols.
var slugify = require('slugify');
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify([
        slugify('Hello World!'), slugify('Caf\u00e9 d\u00e9j\u00e0 vu', { lower: true }),
        slugify('  a -- b  ', '_'), slugify('I \u2665 Unicode & you', { lower: true, strict: true }),
        slugify('some.file name', { remove: /[.]/g })
    ]));
};
