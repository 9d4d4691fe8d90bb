// The order await gives, against then() callbacks and queueMicrotask: an
// await of a plain value, of a settled and a pending promise, of a
// thenable and of a rejected promise, each in its own async function
// started in the same turn; an await of a promise whose then() was
// replaced (the language's await never calls it); an unhandled rejection
// awaited later is handled by the await.
const log = [];

async function plain() { log.push('plain start'); await 1; log.push('plain 1'); await undefined; log.push('plain 2'); }
async function settled() { log.push('settled start'); await Promise.resolve('s'); log.push('settled 1'); }
async function thenable() {
    log.push('thenable start');
    const v = await { then(resolve) { log.push('thenable then'); resolve('t'); } };
    log.push('thenable ' + v);
}
async function rejected() {
    try { await Promise.reject(new Error('r')); } catch (e) { log.push('rejected ' + e.message); }
}
async function nested() { log.push('nested ' + await plainValue()); }
async function plainValue() { return 'n'; }

module.exports = async function (req, res) {
    const pending = new Promise(resolve => setTimeout(() => resolve('p'), 1));
    const all = Promise.all([
        plain(), settled(), thenable(), rejected(), nested(),
        (async () => { log.push('pending ' + await pending); })(),
    ]);
    Promise.resolve().then(() => log.push('then 1')).then(() => log.push('then 2')).then(() => log.push('then 3'));
    queueMicrotask(() => log.push('microtask'));
    log.push('sync end');
    await all;

    const patched = Promise.resolve('own');
    let calls = 0;
    patched.then = function (f, r) { calls++; return Promise.prototype.then.call(this, f, r); };
    const own = await patched;

    const late = Promise.reject(new Error('late'));
    let lateMessage = null;
    try { await late; } catch (e) { lateMessage = e.message; }

    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ log, own, thenCalls: calls, lateMessage }));
};
