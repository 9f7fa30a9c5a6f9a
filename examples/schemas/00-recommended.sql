-- Shapes that suit CockroachDB. crdb-studio should have nothing to say about this file.

CREATE TABLE IF NOT EXISTS customers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email STRING NOT NULL UNIQUE,
    name STRING NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orders (
    customer_id UUID NOT NULL REFERENCES customers (id),
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    total DECIMAL(12, 2) NOT NULL,
    placed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, id)
);

-- A time-ordered index is fine once it is hash-sharded: inserts spread over 16 buckets.
CREATE INDEX IF NOT EXISTS orders_by_time ON orders (placed_at) USING HASH;

-- Covering index: the query reads the index alone.
CREATE INDEX IF NOT EXISTS orders_by_total ON orders (total) STORING (placed_at);
