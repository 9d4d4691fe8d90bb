// http-errors: error objects with status codes, as frameworks throw them;
// here caught and answered by hand (the same on both servers).
var createError = require('http-errors');
module.exports = function (req, res) {
    var e404 = createError(404, 'user 7 not found');
    var e = new createError.Unauthorized();
    var wrapped = createError(503, new Error('db down'), { retryAfter: 5 });
    res.statusCode = e404.status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        e404: [e404.name, e404.message, e404.status, e404.statusCode, e404.expose, e404 instanceof Error, e404 instanceof createError.HttpError],
        unauthorized: [e.name, e.message, e.status], wrapped: [wrapped.status, wrapped.message, wrapped.retryAfter, wrapped.expose],
        isHttpError: [createError.isHttpError(e404), createError.isHttpError(new Error('x'))]
    }));
};
