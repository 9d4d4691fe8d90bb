// Plain ES5: writeHead with a headers object, a body in several write()s.
module.exports = function (req, res) {
    res.writeHead(201, { 'Content-Type': 'text/csv', 'X-Rows': '3' });
    res.write('id,name\n');
    var rows = [[1, 'ada'], [2, 'grace'], [3, 'linus']];
    for (var i = 0; i < rows.length; i++)
        res.write(rows[i].join(',') + '\n');
    res.end('# end\n');
};
