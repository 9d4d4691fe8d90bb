// zod: parse and safeParse, transforms, issues with paths.
var z = require('zod');
var User = z.object({
    id: z.number().int().positive(),
    name: z.string().min(2).transform(function (s) { return s.toUpperCase(); }),
    email: z.string().email().optional(),
    kind: z.enum(['a', 'b']).default('a'),
    tags: z.array(z.string()).max(2)
});
module.exports = function (req, res) {
    var ok = User.safeParse({ id: 7, name: 'ada', tags: ['x'] });
    var bad = User.safeParse({ id: -1, name: 'a', email: 'x', kind: 'c', tags: ['1', '2', '3'] });
    var coerced = z.coerce.number().parse('42');
    var union = z.union([z.string(), z.number()]).safeParse(true).success;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        ok: ok.success, data: ok.data, bad: bad.success,
        issues: bad.error.issues.map(function (i) { return [i.path.join('.'), i.code]; }), coerced: coerced, union: union
    }));
};
