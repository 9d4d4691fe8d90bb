var chunk = '';
for (var i = 0; i < 1024; i++) chunk += String.fromCharCode(97 + (i % 26));
var parts = [];
for (var j = 0; j < 1024; j++) parts.push(chunk);
var body = parts.join('');   // 1 MiB
module.exports = function (req, res) { res.end(body); };
