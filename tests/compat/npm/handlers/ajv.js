// ajv: JSON Schema validation (compiled), defaults, formats-free schema.
// code.es5: ajv compiles each schema to source text for new Function, by
// default ES2015 (destructured parameters, let); eider lowers files, not
// the text given to new Function or eval, which Duktape takes as ES5.
var Ajv = require('ajv');
var ajv = new Ajv({ allErrors: true, useDefaults: true, code: { es5: true } });
var validate = ajv.compile({
    type: 'object',
    properties: {
        id: { type: 'integer', minimum: 1 },
        name: { type: 'string', minLength: 2, pattern: '^[a-z]+$' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2, default: [] },
        mode: { enum: ['r', 'w'], default: 'r' }
    },
    required: ['id', 'name'],
    additionalProperties: false
});
module.exports = function (req, res) {
    var good = { id: 3, name: 'ada' };
    var okGood = validate(good);
    var okBad = validate({ id: 0, name: 'A1', tags: ['a', 'b', 'c'], extra: 1 });
    var errors = validate.errors.map(function (e) { return [e.instancePath, e.keyword]; });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ okGood: okGood, good: good, okBad: okBad, errors: errors }));
};
