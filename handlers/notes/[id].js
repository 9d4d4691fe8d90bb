// GET /notes/7 -> the note or 404; PUT /notes/7 with {"title", "body"} ->
// the updated note; DELETE /notes/7 -> 204. One primary-key statement
// each, values always as $1... parameters (see _lib/db.js).
const db = require('../_lib/db');

const COLUMNS = 'id, title, body, created_at, updated_at';

// The id as a number, or null (then 404: no such note).
function idOf(req) {
    const id = req.params.id;
    return /^[1-9][0-9]{0,8}$/.test(id) ? Number(id) : null;
}

exports.GET = async (req, res) => {
    if (db.unconfigured(res)) return;
    const id = idOf(req);
    if (id === null) return res.json({ error: 'no such note' }, 404);
    try {
        const { rows } = await db.pool.query('SELECT ' + COLUMNS + ' FROM notes WHERE id = $1', [id]);
        if (rows.length === 0) return res.json({ error: 'no such note' }, 404);
        res.json(rows[0]);
    } catch (err) {
        db.failed(res, err);
    }
};

exports.PUT = async (req, res) => {
    if (db.unconfigured(res)) return;
    const id = idOf(req), note = req.json();
    if (id === null) return res.json({ error: 'no such note' }, 404);
    if (!note || typeof note.title !== 'string' || typeof (note.body || '') !== 'string')
        return res.json({ error: 'expected {"title": "...", "body": "..."}' }, 422);
    try {
        const { rows } = await db.pool.query(
            'UPDATE notes SET title = $2, body = $3, updated_at = now() WHERE id = $1 RETURNING ' + COLUMNS,
            [id, note.title, note.body || '']);
        if (rows.length === 0) return res.json({ error: 'no such note' }, 404);
        res.json(rows[0]);
    } catch (err) {
        db.failed(res, err);
    }
};

exports.DELETE = async (req, res) => {
    if (db.unconfigured(res)) return;
    const id = idOf(req);
    if (id === null) return res.json({ error: 'no such note' }, 404);
    try {
        const { rowCount } = await db.pool.query('DELETE FROM notes WHERE id = $1', [id]);
        if (rowCount === 0) return res.json({ error: 'no such note' }, 404);
        res.statusCode = 204;
        res.end();
    } catch (err) {
        db.failed(res, err);
    }
};
