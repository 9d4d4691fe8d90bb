// EventEmitter: on/once/off, emit's return value and arguments, listener
// order with prependListener, listenerCount, eventNames, the 'error' event
// thrown without a listener, and a subclass.
const EventEmitter = require('events');

class Job extends EventEmitter {
    run(n) { this.emit('start', n); for (let i = 1; i <= n; i++) this.emit('step', i); this.emit('end'); return this; }
}

module.exports = function (req, res) {
    const log = [];
    const job = new Job();
    const onStep = i => log.push(`step ${i}`);
    job.on('step', onStep);
    job.once('start', n => log.push(`start ${n}`));
    job.prependListener('step', i => { if (i === 1) log.push('first!'); });
    job.on('end', function () { log.push(`end this=${this === job}`); });
    job.run(2);
    job.off('step', onStep);
    job.run(1);
    let thrown;
    try { new EventEmitter().emit('error', new Error('unhandled')); } catch (e) { thrown = e.message; }
    const e2 = new EventEmitter();
    e2.on('error', e => log.push(`handled ${e.message}`));
    e2.emit('error', new Error('oops'));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        log, thrown, counts: [job.listenerCount('step'), job.listenerCount('start')],
        names: job.eventNames(), emitted: [e2.emit('error', new Error('x')), new EventEmitter().emit('none')],
        isEE: job instanceof EventEmitter, sameExport: EventEmitter === EventEmitter.EventEmitter,
        max: new EventEmitter().getMaxListeners(),
    }));
};
