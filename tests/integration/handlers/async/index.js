// readiness probe and worker identity: { pid }
module.exports = function (req, res) {
  res.json({ pid: process.pid });
};
