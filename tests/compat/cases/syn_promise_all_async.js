// Promise.all over async functions that finish in a different order from
// the one they started in; Promise.race; an async method of a class; a
// rejection in Promise.all caught by the awaiting try/catch.
const sleep = ms => new Promise(r => setTimeout(r, ms));
class Repo {
    constructor() { this.log = []; }
    async find(id, ms) { await sleep(ms); this.log.push(id); return { id, name: `item${id}` }; }
    async broken() { await sleep(1); throw new RangeError('bad id'); }
}

module.exports = async (req, res) => {
    const repo = new Repo();
    const items = await Promise.all([repo.find(1, 60), repo.find(2, 20), repo.find(3, 40)]);
    const winner = await Promise.race([repo.find('slow', 150), repo.find('fast', 5)]);
    let failure;
    try {
        await Promise.all([repo.find(4, 40), repo.broken()]);
    } catch (e) {
        failure = `${e.constructor.name}: ${e.message}`;
    }
    const settled = await Promise.allSettled([repo.find(5, 1), repo.broken()]);
    await sleep(200);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ items, winner, failure, finishOrder: repo.log,
                             settled: settled.map(s => s.status) }));
};
