module.exports = function (req, res) {
  res.setHeader('X-Str', 'value');
  res.setHeader('X-Num', 42);
  res.setHeader('Set-Cookie', ['a=1', 'b=2']);
  res.setHeader('X-Removed', 'gone');
  res.setHeader('X-Overwritten', 'first');
  res.setHeader('x-overwritten', 'second');
  var seen = {
    str: res.getHeader('x-str'),
    num: res.getHeader('X-NUM'),
    cookie: res.getHeader('set-cookie'),
    removedBefore: res.getHeader('X-Removed'),
    overwritten: res.getHeader('X-OVERWRITTEN'),
    missing: res.getHeader('X-Nope') === undefined
  };
  res.removeHeader('x-removed');
  seen.removedAfter = res.getHeader('X-Removed') === undefined;
  res.setHeader('X-One', ['only']);
  seen.oneItemArray = res.getHeader('x-one');
  res.setHeader('X-Later', 6);
  res.removeHeader('x-later');
  seen.numRemoved = res.getHeader('x-later') === undefined;
  res.setHeader('X-Later', 7);
  res.setHeader('X-Later', 'seven');
  seen.numThenString = res.getHeader('x-later');
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(seen));
};
