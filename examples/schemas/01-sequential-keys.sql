-- Mistakes that create write hotspots, and PostgreSQL habits that CockroachDB does not share.

-- SERIAL becomes INT8 DEFAULT unique_rowid(): roughly ordered by time, so every insert lands
-- in the last range. Prefer UUID DEFAULT gen_random_uuid().
CREATE TABLE events (
    id SERIAL PRIMARY KEY,
    kind STRING NOT NULL,
    payload JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An index led by a timestamp that defaults to now() is a hotspot too; add USING HASH.
CREATE INDEX events_by_time ON events (created_at);

-- A sequence-backed key has the same problem.
CREATE SEQUENCE invoice_numbers;
CREATE TABLE invoices (
    invoice_no INT8 PRIMARY KEY DEFAULT nextval('invoice_numbers'),
    amount DECIMAL(12, 2) NOT NULL
);

-- No primary key: CockroachDB adds a hidden rowid INT8 DEFAULT unique_rowid() key.
CREATE TABLE page_views (
    url STRING NOT NULL,
    viewed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- IDENTITY columns are sequences underneath (a PostgreSQL linter would even recommend them).
CREATE TABLE tickets (
    id INT8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject STRING NOT NULL
);

-- PostgreSQL habits: hstore does not exist in CockroachDB, and uuid_generate_v4() is the
-- uuid-ossp name for what CockroachDB calls gen_random_uuid().
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TABLE sessions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL
);
