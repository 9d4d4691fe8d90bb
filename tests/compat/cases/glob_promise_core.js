// The Promise core: subclasses (then on an instance of one), thenables
// and their then() called once, the order of then callbacks, an adopted
// promise, queueMicrotask, process.nextTick and timers, the resolving
// functions (first call wins), the tag, and errors of misuse.
class Later extends Promise {}

module.exports = async function (req, res) {
    const log = [];
    const out = {};
    setTimeout(() => log.push('timer'), 0);
    process.nextTick(() => log.push('tick'));
    queueMicrotask(() => log.push('micro'));
    Promise.resolve('r').then(v => log.push('then ' + v));
    new Promise(resolve => resolve(Promise.resolve('adopted'))).then(v => log.push(v));
    const thenable = { calls: 0, then(ok) { this.calls++; log.push('thenable.then'); ok('t'); } };
    Promise.resolve(thenable).then(v => log.push('thenable ' + v));
    Promise.reject(new Error('no')).catch(e => log.push('caught ' + e.message)).finally(() => log.push('finally'));
    log.push('sync');
    await new Promise(r => setTimeout(r, 5));
    out.order = log;
    out.thenableCalls = thenable.calls;

    const sub = new Later(resolve => resolve(1));
    out.subclass = [sub instanceof Later, sub instanceof Promise, typeof sub.then];
    out.subclassValue = await Promise.prototype.then.call(sub, v => v + 1);
    out.tag = [Object.prototype.toString.call(sub), Object.prototype.toString.call(Promise.resolve()),
               Promise.prototype[Symbol.toStringTag]];

    let resolveFn, rejectFn;
    const p = new Promise((res1, rej1) => { resolveFn = res1; rejectFn = rej1; });
    resolveFn('first');
    resolveFn('second');
    rejectFn(new Error('late'));
    out.firstWins = await p;
    out.resolvingLength = [resolveFn.length, rejectFn.length];

    const errors = [];
    try { Promise.prototype.then.call({ then() {} }); } catch (e) { errors.push(e.constructor.name); }
    try { new Promise(1); } catch (e) { errors.push(e.constructor.name); }
    try { Promise(() => {}); } catch (e) { errors.push(e.constructor.name); }
    try { queueMicrotask('x'); } catch (e) { errors.push(e.constructor.name); }
    const self = new Promise(r => setTimeout(() => r(self), 0));
    try { await self; } catch (e) { errors.push('cycle ' + e.constructor.name); }
    out.errors = errors;

    const settled = await Promise.allSettled([Promise.resolve(1), Promise.reject(2), 3]);
    out.allSettled = settled;
    out.race = await Promise.race([new Promise(r => setTimeout(() => r('slow'), 20)), 'fast']);
    out.any = await Promise.any([Promise.reject(1), Promise.resolve(2)]);
    out.statics = ['resolve', 'reject', 'all', 'allSettled', 'race', 'any'].map(k => typeof Promise[k]);
    out.protoNames = [Promise.name, Promise.length, Promise.prototype.then.name, Promise.prototype.then.length,
                      Promise.prototype.catch.length, Object.keys(Promise.prototype).length];

    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
