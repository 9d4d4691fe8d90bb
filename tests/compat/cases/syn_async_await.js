// async/await: an async handler, awaiting values, promises and timers in
// sequence, try/catch/finally around an awaited rejection, an async
// arrow, await in a loop, and the order of events around await.
const sleep = (ms, v) => new Promise(resolve => setTimeout(() => resolve(v), ms));
async function fails(msg) { await sleep(1); throw new Error(msg); }
const asyncArrow = async x => (await x) * 2;

module.exports = async function (req, res) {
    const order = [];
    const p = (async () => { order.push('inner start'); await null; order.push('inner after await'); })();
    order.push('outer continues');
    await p;
    const values = [await 1, await sleep(5, 'slept'), await asyncArrow(Promise.resolve(21))];
    let caught = null, cleaned = false;
    try {
        await fails('nope');
    } catch (e) {
        caught = `${e.name}: ${e.message}`;
    } finally {
        cleaned = true;
    }
    let total = 0;
    for (const n of [1, 2, 3]) total += await sleep(1, n);
    const rejectedValue = await fails('x').catch(e => 'caught ' + e.message);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ order, values, caught, cleaned, total, rejectedValue,
                             returnsPromise: asyncArrow(1) instanceof Promise }));
};
