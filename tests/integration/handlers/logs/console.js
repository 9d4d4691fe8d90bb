module.exports = function (req, res) {
  var m = req.url.split('m=')[1];
  console.log('LOG-' + m);
  console.info('INFO-' + m);
  console.warn('WARN-' + m);
  console.error('ERROR-' + m);
  console.debug('DEBUG-' + m);
  console.log('OBJ-' + m, { a: 1, b: 'x', c: [1, 2] });
  console.log('MULTI-' + m, 'two', 3);
  res.end('logged ' + m);
};
