// handlebars: compiled templates, helpers, each/if, partials, escaping.
var Handlebars = require('handlebars');
var hb = Handlebars.create();
hb.registerHelper('upper', function (s) { return String(s).toUpperCase(); });
hb.registerHelper('money', function (n) { return new hb.SafeString('<i>$' + n.toFixed(2) + '</i>'); });
hb.registerPartial('row', '<tr><td>{{@index}}</td><td>{{upper name}}</td><td>{{money price}}</td></tr>');
var page = hb.compile('<h1>{{title}}</h1><table>{{#each items}}{{> row}}{{else}}<tr>empty</tr>{{/each}}</table>' +
                      '{{#if admin}}admin{{else}}guest{{/if}} {{{raw}}} {{#with owner}}{{name}}{{/with}}');
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page({ title: 'A & B', items: [{ name: 'x', price: 1 }, { name: 'y', price: 2.5 }], admin: false,
                   raw: '<em>raw</em>', owner: { name: 'ada' } }));
};
