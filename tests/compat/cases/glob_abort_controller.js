// AbortController and AbortSignal: abort() once, the abort event, reason,
// throwIfAborted, AbortSignal.abort() and AbortSignal.timeout().
module.exports = async function (req, res) {
    const ac = new AbortController();
    const events = [];
    ac.signal.addEventListener('abort', () => events.push('listener'));
    ac.signal.onabort = () => events.push('onabort');
    const before = ac.signal.aborted;
    ac.abort();
    ac.abort();
    let thrown;
    try { ac.signal.throwIfAborted(); } catch (e) { thrown = e.name; }
    const custom = new AbortController();
    custom.abort(new Error('stop'));
    const pre = AbortSignal.abort();
    const timed = AbortSignal.timeout(5);
    await new Promise(r => timed.addEventListener('abort', r));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        before, after: ac.signal.aborted, events, reason: ac.signal.reason.name, thrown,
        custom: custom.signal.reason.message, pre: [pre.aborted, pre.reason.name],
        timed: [timed.aborted, timed.reason.name],
    }));
};
