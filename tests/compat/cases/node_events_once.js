// events.once() as a Promise, emitting from a timer, and an emitter used as
// an async pub/sub inside an async handler.
const { EventEmitter, once } = require('node:events');

module.exports = async function (req, res) {
    const bus = new EventEmitter();
    setTimeout(() => bus.emit('ready', 'db', 3), 5);
    const [name, count] = await once(bus, 'ready');
    const got = [];
    bus.on('msg', m => got.push(m));
    await Promise.all(['a', 'b', 'c'].map((m, i) => new Promise(r => setTimeout(() => { bus.emit('msg', m); r(); }, 40 - 20 * i))));
    const failing = new EventEmitter();
    setTimeout(() => failing.emit('error', new Error('refused')), 1);
    const err = await once(failing, 'connect').catch(e => e.message);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ name, count, got, err, left: bus.listenerCount('ready') }));
};
