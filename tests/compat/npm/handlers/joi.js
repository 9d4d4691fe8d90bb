// joi: schema validation of a JSON body, errors with paths and messages.
// @request POST /joi {"name":"ada","age":36,"email":"ada@example.com","tags":["x"]}
// @request POST /joi {"name":"","age":-1,"email":"nope","extra":true}
var Joi = require('joi');
var schema = Joi.object({
    name: Joi.string().min(1).max(30).required(),
    age: Joi.number().integer().min(0).max(150),
    email: Joi.string().email({ tlds: { allow: false } }),
    tags: Joi.array().items(Joi.string()).default([]),
    role: Joi.string().valid('user', 'admin').default('user')
});
module.exports = function (req, res) {
    var chunks = [];
    req.on('data', function (c) { chunks.push(c); });
    req.on('end', function () {
        var r = schema.validate(JSON.parse(Buffer.concat(chunks).toString()), { abortEarly: false });
        res.statusCode = r.error ? 422 : 200;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(r.error ? r.error.details.map(function (d) { return [d.path.join('.'), d.type, d.message]; }) : r.value));
    });
};
