// diagnostics_channel: named channels (same object per name), subscribe/
// publish with (message, name), hasSubscribers, unsubscribe's result, and
// a tracing channel's events for traceSync (with and without an error)
// and tracePromise.
const dc = require('node:diagnostics_channel');

module.exports = async function (req, res) {
    const log = [];
    const ch = dc.channel('app:hits');
    const onHit = (msg, name) => log.push(`${name} ${msg.n}`);
    const before = [ch.hasSubscribers, dc.hasSubscribers('app:hits'), dc.channel('app:hits') === ch];
    ch.subscribe(onHit);
    ch.publish({ n: 1 });
    dc.subscribe('app:hits', (msg) => log.push(`second ${msg.n}`));
    ch.publish({ n: 2 });
    const removed = [ch.unsubscribe(onHit), ch.unsubscribe(onHit)];
    ch.publish({ n: 3 });

    const tc = dc.tracingChannel('app:work');
    const events = [];
    const handlers = {};
    ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].forEach((e) => {
        handlers[e] = (ctx) => events.push(`${e}${ctx.error ? ':' + ctx.error.message : ''}${'result' in ctx ? '=' + ctx.result : ''}`);
    });
    const idle = tc.hasSubscribers;
    tc.subscribe(handlers);
    const sum = tc.traceSync((a, b) => a + b, { op: 'add' }, null, 2, 3);
    try { tc.traceSync(() => { throw new Error('nope'); }, {}); } catch (e) { events.push('caught ' + e.message); }
    const later = await tc.tracePromise(async () => 'done', {});
    const names = [tc.start.name, tc.asyncEnd.name];
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ before, log, removed, idle, busy: tc.hasSubscribers, sum, later, events, names }));
};
