// answers inside a then-callback of a chain the handler returns
module.exports = function (req, res) {
  return Promise.resolve(20).then(function (n) {
    return n + 1;
  }).then(function (n) {
    res.end('then ' + n);
  });
};
