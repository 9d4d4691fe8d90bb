// assert: a failed assertion is an AssertionError with code ERR_ASSERTION,
// actual, expected and operator; strictEqual, deepStrictEqual, notEqual,
// throws with a class or an object, rejects, ok, and assert.strict.
const assert = require('assert');

function failure(fn) {
    try { fn(); return 'no throw'; } catch (e) {
        return { name: e.name, code: e.code, isAssertion: e instanceof assert.AssertionError,
                 isError: e instanceof Error, operator: e.operator, actual: e.actual, expected: e.expected,
                 generated: e.generatedMessage };
    }
}

module.exports = async function (req, res) {
    const results = {
        strictEqual: failure(() => assert.strictEqual(1, '1')),
        custom: failure(() => assert.strictEqual(1, 2, 'one is not two')),
        customMessage: (() => { try { assert.ok(false, 'custom message'); } catch (e) { return e.message; } })(),
        deep: failure(() => assert.deepStrictEqual({ a: [1, 2] }, { a: [1, 3] })).code,
        deepOk: failure(() => assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })),
        notEqual: failure(() => assert.notStrictEqual('x', 'x')).operator,
        ok: failure(() => assert(0)).code,
        throwsClass: failure(() => assert.throws(() => { throw new TypeError('bad'); }, TypeError)),
        throwsObject: failure(() => assert.throws(() => { throw new RangeError('too big'); }, { name: 'RangeError', message: 'too big' })),
        throwsMissing: failure(() => assert.throws(() => {})).code,
        strict: assert.strict.equal === assert.strictEqual,
        rejects: await assert.rejects(Promise.reject(new Error('no')), /no/).then(() => 'rejected as expected'),
        fail: failure(() => assert.fail('explicit')).code,
        match: failure(() => assert.match('abc', /^x/)).code,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(results));
};
