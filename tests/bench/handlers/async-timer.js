// tests/bench/instructions scenario "async-timer": GET /async-timer answers
// from an async function after an await of a resolved value and of a 0 ms
// timer: a coroutine that is resumed from a later loop turn.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = async function (req, res) {
    const n = await Promise.resolve(1);
    await sleep(0);
    res.json({hello: 'world', n: n});
};
