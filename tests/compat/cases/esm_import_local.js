// ES module imports of a local module written in ES module syntax: named,
// default and namespace imports, and a live binding that changes.
import makeGreeter, { shout, counter, increment } from './_lib/esm_helper.js';
import * as helper from './_lib/esm_helper.js';

export async function GET(req, res) {
    const before = counter;
    increment();
    increment();
    const greet = makeGreeter('Hello');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        greeting: greet('ada'), shout: shout('quiet'), before, after: counter,
        viaNamespace: helper.counter, names: Object.keys(helper).sort(),
    }));
}
