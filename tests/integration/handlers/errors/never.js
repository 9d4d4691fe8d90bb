// never answers: eider must answer 504 at request_timeout
module.exports = function (req, res) { };
