// timers/promises: setTimeout with a value, setImmediate, and a
// Promise.race timeout pattern; both as 'timers/promises' and with node:.
const { setTimeout: sleep, setImmediate: immediate } = require('timers/promises');
const tp = require('node:timers/promises');

module.exports = async function (req, res) {
    const order = [];
    const a = sleep(20, 'slow').then(v => order.push(v));
    const b = sleep(5, 'fast').then(v => order.push(v));
    const c = immediate('now').then(v => order.push(v));
    await Promise.all([a, b, c]);
    const raced = await Promise.race([sleep(50, 'too late'), tp.setTimeout(5, 'timeout')]);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ order, raced, same: tp.setTimeout === sleep, value: await sleep(1) }));
};
