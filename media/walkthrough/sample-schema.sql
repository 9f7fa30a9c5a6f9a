-- A sample schema for the crdb-studio walkthrough. Put the cursor on a squiggle and press
-- Ctrl+. to see CockroachDB's fixes.

-- SERIAL is unique_rowid() on CockroachDB: ever increasing, so every insert lands in the
-- last range and one node takes all the writes.
CREATE TABLE events (
    id SERIAL PRIMARY KEY,
    kind STRING NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
