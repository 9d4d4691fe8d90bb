-- The table of the /notes example handlers (handlers/notes). Create it once:
--     psql "postgresql://USER@HOST/DB" -f conf/notes.sql
-- then declare the database in eider.conf:
--     pg_database default "postgresql://USER:PASSWORD@HOST/DB";
CREATE TABLE IF NOT EXISTS notes (
    id serial PRIMARY KEY,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
