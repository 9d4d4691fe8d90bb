// tests/bench scenario "page": GET /page answers an HTML page built from
// a template and 50 rows: the template is compiled once (split on its
// {{name}} slots), every value is HTML-escaped, prices formatted. Runs
// unchanged under Node (tests/bench/node/hello.js).
var PAGE = '<!doctype html>\n<html><head><meta charset="utf-8"><title>{{title}}</title></head>\n' +
  '<body><h1>{{title}}</h1>\n<p>{{count}} products, {{inStock}} in stock</p>\n' +
  '<table>\n<tr><th>#</th><th>Product</th><th>Category</th><th>Price</th><th>Stock</th></tr>\n{{rows}}</table>\n' +
  '</body></html>\n';
var ROW = '<tr class="{{cls}}"><td>{{id}}</td><td><a href="/p/{{slug}}">{{name}}</a></td>' +
  '<td>{{category}}</td><td>{{price}}</td><td>{{stock}}</td></tr>\n';

// A template as a function of an object: the text between slots, the
// slot names, joined at render time.
function compile(tpl) {
  var parts = tpl.split(/\{\{(\w+)\}\}/);
  return function (data) {
    var out = '';
    for (var i = 0; i < parts.length; i++) out += i % 2 ? data[parts[i]] : parts[i];
    return out;
  };
}
var page = compile(PAGE), row = compile(ROW);

var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; });
}

var CATEGORIES = ['Tools & Hardware', 'Garden', 'Kitchen <Home>', 'Books', "Kids' Toys"];
var PRODUCTS = [];
for (var i = 0; i < 50; i++) {
  PRODUCTS.push({ id: i + 1, name: 'Product "' + (i + 1) + '" & more', category: CATEGORIES[i % 5],
    price: (i * 37 % 1000) / 10 + 0.99, stock: i * 7 % 13 });
}

exports.GET = function (req, res) {
  var rows = '', inStock = 0;
  PRODUCTS.forEach(function (p, n) {
    if (p.stock > 0) inStock++;
    rows += row({ cls: n % 2 ? 'odd' : 'even', id: p.id,
      slug: p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      name: escapeHtml(p.name), category: escapeHtml(p.category),
      price: '$' + p.price.toFixed(2), stock: p.stock > 0 ? String(p.stock) : 'sold out' });
  });
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page({ title: escapeHtml('Catalogue <page 1>'), count: PRODUCTS.length, inStock: inStock, rows: rows }));
};
