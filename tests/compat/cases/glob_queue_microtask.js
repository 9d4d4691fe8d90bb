// queueMicrotask: first-in first-out with promise reactions, nested
// microtasks before the next timer, and an await in between.
module.exports = async function (req, res) {
    const order = [];
    queueMicrotask(() => order.push('m1'));
    Promise.resolve().then(() => order.push('p1')).then(() => order.push('p2'));
    queueMicrotask(() => { order.push('m2'); queueMicrotask(() => order.push('m2-nested')); });
    order.push('sync');
    await new Promise(r => setTimeout(r, 5));
    order.push('after timer');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(order));
};
