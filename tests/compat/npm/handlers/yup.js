// yup: async schema validation with casting and error collection.
var yup = require('yup');
var schema = yup.object({
    name: yup.string().required().min(2),
    age: yup.number().required().positive().integer(),
    email: yup.string().email(),
    website: yup.string().url().nullable()
});
module.exports = function (req, res) {
    var cast = schema.cast({ name: 'ada', age: '36', website: null });
    return schema.validate({ name: 'a', age: -2, email: 'nope' }, { abortEarly: false }).then(function () {
        return 'no error';
    }, function (err) {
        return { name: err.name, errors: err.errors, paths: err.inner.map(function (e) { return e.path; }) };
    }).then(function (bad) {
        return schema.isValid({ name: 'bob', age: 3 }).then(function (valid) {
            res.setHeader('Content-Type', 'application/json');
            res.end(JSON.stringify({ cast: cast, bad: bad, valid: valid }));
        });
    });
};
