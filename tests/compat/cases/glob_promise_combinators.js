// Promise.any (first fulfilled; AggregateError with every reason when all
// reject), Promise.allSettled, Promise.race, and finally's pass-through.
const later = (ms, v, fail) => new Promise((ok, ko) => setTimeout(() => (fail ? ko(new Error(v)) : ok(v)), ms));

module.exports = async function (req, res) {
    const any = await Promise.any([later(20, 'slow'), later(1, 'fails', true), later(5, 'fast')]);
    let agg;
    try {
        await Promise.any([later(2, 'e1', true), Promise.reject(new Error('e2'))]);
    } catch (e) {
        agg = { name: e.name, isAgg: e instanceof AggregateError, isError: e instanceof Error,
                errors: e.errors.map(x => x.message) };
    }
    const emptyAny = await Promise.any([]).catch(e => e.constructor.name + ' ' + e.errors.length);
    const settled = await Promise.allSettled([later(1, 'ok'), later(1, 'bad', true), 3]);
    const fin = await later(1, 'value').finally(() => 'ignored');
    const made = new AggregateError([new Error('a')], 'many');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        any, agg, emptyAny, fin, made: [made.message, made.errors.length, made.name],
        settled: settled.map(s => s.status === 'fulfilled' ? ['ok', s.value] : ['rejected', s.reason.message]),
    }));
};
