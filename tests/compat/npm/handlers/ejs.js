// ejs: rendering a template string (no file includes): escaping, loops, locals.
var ejs = require('ejs');
module.exports = function (req, res) {
    var tpl = '<h1><%= title %></h1><ul><% items.forEach(function (it, i) { %><li class="<%= i % 2 ? "odd" : "even" %>"><%= it %></li><% }); %></ul>' +
              '<%- raw %> <%# a comment %>' + '<% if (user) { %>hi <%= user.name %><% } %>';
    var html = ejs.render(tpl, { title: '<Tom & Jerry>', items: ['a', 'b', 'c'], raw: '<b>bold</b>', user: { name: 'ada' } });
    var fn = ejs.compile('<%= a + b %>');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(html + '\n' + fn({ a: 1, b: 2 }));
};
