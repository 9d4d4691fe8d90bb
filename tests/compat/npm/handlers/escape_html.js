// escape-html: HTML escaping of user input into a page.
// @request GET /escape_html?q=%3Cscript%3Ealert(%22x%22)%26%27%3C%2Fscript%3E
var escapeHtml = require('escape-html');
module.exports = function (req, res) {
    var q = decodeURIComponent(req.url.split('q=')[1]);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<p>You searched for: ' + escapeHtml(q) + '</p>' + escapeHtml('plain') + escapeHtml(''));
};
