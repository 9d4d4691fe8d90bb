// GET /notes -> the latest notes (?limit=N, at most 100); POST /notes with
// {"title": "...", "body": "..."} -> 201 and the new note. Backed by
// PostgreSQL through require('pg') (see _lib/db.js for the configuration).
const db = require('../_lib/db');

exports.GET = async (req, res) => {
    if (db.unconfigured(res)) return;
    const limit = Math.min(Math.max(parseInt(req.query.limit, 10) || 20, 1), 100);
    try {
        const { rows } = await db.pool.query(
            'SELECT id, title, body, created_at, updated_at FROM notes ORDER BY id DESC LIMIT $1', [limit]);
        res.json(rows);
    } catch (err) {
        db.failed(res, err);
    }
};

exports.POST = async (req, res) => {
    if (db.unconfigured(res)) return;
    const note = req.json();   // invalid JSON answers 400 by itself
    if (!note || typeof note.title !== 'string' || (note.body !== undefined && typeof note.body !== 'string'))
        return res.json({ error: 'expected {"title": "...", "body": "..."}' }, 422);
    try {
        const { rows } = await db.pool.query(
            'INSERT INTO notes (title, body) VALUES ($1, $2) RETURNING id, title, body, created_at, updated_at',
            [note.title, note.body || '']);
        res.setHeader('Location', '/notes/' + rows[0].id);
        res.json(rows[0], 201);
    } catch (err) {
        db.failed(res, err);
    }
};
