// String#toLowerCase/toUpperCase (eider's own path for an ASCII string,
// Duktape's for anything else): the letters and the characters next to
// them in ASCII (@ [ ` {), digits and punctuation, an empty string, a
// string already in the asked case (the same string back), non-ASCII
// text, a String object and a number as this, a long string, and null
// as this (a TypeError).
module.exports = function (req, res) {
  var words = ['', 'abc', 'ABC', 'Hello, World! 123', '@AZ[`az{', 'already lower', 'ALREADY UPPER',
    'caf\u00e9 CR\u00c8ME', '\u00c4rger \u00fcber \u00d6l', 'x\ud83d\ude00Y', 'Mixed_Case-42', '\t\n AbC \u0000z',
    req.url];
  var out = words.map(function (w) {
    var lo = w.toLowerCase(), up = w.toUpperCase();
    return [lo, up, lo === w, up === w, lo.length, up.length];
  });
  var long = '';
  for (var i = 0; i < 300; i++) long += String.fromCharCode(32 + i % 95);
  out.push(long.toLowerCase(), long.toUpperCase(), long.toLowerCase().length);
  out.push(String.prototype.toUpperCase.call(new String('abc')), String.prototype.toLowerCase.call(12.5),
    String.prototype.toUpperCase.call(true), String.prototype.toLowerCase.call({ toString: function () { return 'OBJ'; } }));
  var threw;
  try { String.prototype.toLowerCase.call(null); threw = false; } catch (e) { threw = e instanceof TypeError; }
  out.push(threw);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(out));
};
