// An ES module handler importing a CommonJS helper (module.exports = ...)
// by default and by name, with export { x as GET } syntax.
import counter, { next } from './_lib/counter.js';

async function handle(req, res) {
    res.setHeader('Content-Type', 'text/plain');
    res.end(`same=${counter.next === next} type=${typeof next()}`);
}
export { handle as GET };
