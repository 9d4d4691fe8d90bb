// returns an already rejected Promise: 500
module.exports = function (req, res) {
  return Promise.reject(new Error('sync-reject-marker-6120'));
};
