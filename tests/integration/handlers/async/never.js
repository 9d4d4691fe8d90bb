// never answers: 504 at request_timeout
module.exports = function (req, res) { };
