// The PostgreSQL pool of the /notes handlers: one per worker, made when the
// first handler requires this file. The database is eider.conf's
//     pg_database default "postgresql://USER:PASSWORD@HOST/DB";
// (credentials stay out of the handlers); the table is conf/notes.sql.
// Without that directive `pool` is null and the endpoints answer 503
// saying how to configure one.
const { Pool } = require('pg');

let pool = null;
try {
    pool = new Pool({ name: 'default' });
} catch (e) {
    pool = null;   // no pg_database default
}
exports.pool = pool;

const HOW = 'no database configured: create the table with ' +
    '"psql postgresql://USER@HOST/DB -f conf/notes.sql", add ' +
    '"pg_database default postgresql://USER:PASSWORD@HOST/DB;" to eider.conf and reload';

// Answers 503 when there is no database; returns true if it did.
exports.unconfigured = (res) => {
    if (pool) return false;
    res.json({ error: HOW }, 503);
    return true;
};

// A query that failed: the server refused the data (a 4xx the client can
// fix), or the database is unreachable (503, try again later).
exports.failed = (res, err) => {
    if (err.code === '23514' || err.code === '23502' || err.code === '22001')
        return res.json({ error: err.message, detail: err.detail }, 422);
    console.error('notes: ' + err.message);
    res.json({ error: 'database unavailable: ' + err.message }, 503);
};
