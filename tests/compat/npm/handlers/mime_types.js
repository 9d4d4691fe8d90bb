// mime-types: lookups by extension and path, charsets, extensions.
var mime = require('mime-types');
module.exports = function (req, res) {
    res.setHeader('Content-Type', mime.contentType('json'));
    res.end(JSON.stringify({
        lookup: [mime.lookup('json'), mime.lookup('file.html'), mime.lookup('/path/to/a.PNG'), mime.lookup('x.unknownext')],
        contentType: [mime.contentType('markdown'), mime.contentType('text/html')],
        extension: [mime.extension('application/octet-stream'), mime.extension('image/svg+xml')],
        charset: [mime.charset('text/html'), mime.charset('application/json')]
    }));
};
