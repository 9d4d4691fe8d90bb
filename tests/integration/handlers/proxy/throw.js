module.exports = function (req, res) {
  throw new Error('proxy-fixture-throw');
};
