// Optional chaining: property, computed, call, method call, long chains
// short-circuiting, with delete, and with the result undefined (not null).
const data = { user: { profile: { name: 'ada', tags: ['x'] }, greet() { return `hi ${this.profile.name}`; } } };
module.exports = function (req, res) {
    const none = null;
    let sideEffects = 0;
    const key = 'profile';
    const out = {
        name: data.user?.profile?.name,
        missing: String(data.admin?.profile.name),
        computed: data.user?.[key]?.tags?.[0],
        call: data.user.greet?.(),
        missingCall: String(data.user.farewell?.()),
        nullBase: String(none?.a.b.c),
        shortCircuit: String(none?.[sideEffects++]),
        sideEffects,
        deleted: delete data.user?.profile?.tags,
        after: Object.keys(data.user.profile),
        fnNull: String((null)?.()),
        isUndefined: none?.x === undefined,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
