// mustache: sections, inverted sections, escaping, partials, lambdas.
var Mustache = require('mustache');
module.exports = function (req, res) {
    var view = {
        title: 'Joe & <Co>', items: [{ name: 'a', price: 1.5 }, { name: 'b', price: 2 }], empty: [],
        bold: function () { return function (text, render) { return '<b>' + render(text) + '</b>'; }; }
    };
    var tpl = '<h1>{{title}}</h1>{{{title}}}\n{{#items}}<li>{{name}}: {{price}}</li>{{/items}}' +
              '{{^empty}}none{{/empty}} {{#bold}}hi {{title}}{{/bold}} {{> footer}}';
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(Mustache.render(tpl, view, { footer: '<footer>{{items.length}} items</footer>' }));
};
