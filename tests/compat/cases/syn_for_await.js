// Async iteration (ES2018): an async generator, for await...of over it and
// over an array of promises, and Symbol.asyncIterator on an object.
const sleep = (ms, v) => new Promise(r => setTimeout(() => r(v), ms));
async function* pages() {
    for (let p = 1; p <= 3; p++) { await sleep(2); yield { page: p, items: [p * 10, p * 10 + 1] }; }
}
const stream = {
    async *[Symbol.asyncIterator]() { yield 'a'; yield await sleep(1, 'b'); },
};

module.exports = async function (req, res) {
    const items = [];
    for await (const pg of pages()) items.push(...pg.items);
    const resolved = [];
    for await (const v of [sleep(10, 'slow'), 'plain', sleep(1, 'fast')]) resolved.push(v);
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ items, resolved, chunks }));
};
