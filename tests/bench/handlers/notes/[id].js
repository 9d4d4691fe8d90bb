// GET /notes/ID for tests/bench/run's notes-get scenario: a primary-key
// SELECT through require('pg'), as node/hello.js's note() does. BENCH_PG
// is the database's URL (env BENCH_PG; in the generated eider.conf). Plain
// ES5 with then() rather than async/await (as handlers/notes/[id].js is)
// so that this file needs no lowering: the first-response measurement of
// every scenario starts one eider with all of tests/bench/handlers.
var Pool = require('pg').Pool;

var pool = process.env.BENCH_PG ? new Pool({ connectionString: process.env.BENCH_PG }) : null;

exports.GET = function (req, res) {
    if (!pool) return res.json({ error: 'BENCH_PG is not set' }, 503);
    var id = req.params.id;
    if (!/^[1-9][0-9]{0,8}$/.test(id)) return res.json({ error: 'no such note' }, 404);
    return pool.query('SELECT id, title, body FROM notes WHERE id = $1', [Number(id)]).then(function (r) {
        if (r.rows.length === 0) return res.json({ error: 'no such note' }, 404);
        res.json(r.rows[0]);
    }, function (err) {
        res.json({ error: 'database unavailable: ' + err.message }, 503);
    });
};
