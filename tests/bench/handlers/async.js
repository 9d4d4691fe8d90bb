// tests/bench/instructions scenario "async": GET /async answers from an
// async function after one await of a resolved value: the cost of a
// lowered async function (framework/js/lib/eider/async.js) per request.
module.exports = async function (req, res) {
    const n = await 1;
    res.json({hello: 'world', n: n});
};
