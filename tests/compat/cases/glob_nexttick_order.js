// The order of process.nextTick, Promise jobs, queueMicrotask and timers:
// nextTick callbacks run before promise jobs, both before any timer.
module.exports = function (req, res) {
    const order = [];
    setTimeout(function () {
        order.push('timeout');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(order));
    }, 10);
    Promise.resolve().then(function () { order.push('promise 1'); });
    process.nextTick(function () {
        order.push('tick 1');
        process.nextTick(function () { order.push('tick nested'); });
        Promise.resolve().then(function () { order.push('promise from tick'); });
    });
    queueMicrotask(function () { order.push('microtask'); });
    process.nextTick(function (a, b) { order.push('tick 2 ' + a + b); }, 'x', 'y');
    Promise.resolve().then(function () {
        order.push('promise 2');
        process.nextTick(function () { order.push('tick from promise'); });
    });
    order.push('sync');
};
