-- Multi-region mistakes.

CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";
USE shop;

-- Two regions cannot survive a region failure: CockroachDB rejects this (it needs three).
ALTER DATABASE shop SURVIVE REGION FAILURE;

-- No LOCALITY in a multi-region database: the table silently becomes
-- REGIONAL BY TABLE IN PRIMARY REGION, so us-west1 users pay a cross-country round trip.
CREATE TABLE carts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id UUID NOT NULL
);

-- A column that names a region on a table that is not REGIONAL BY ROW: the rows do not
-- live in that region, whatever the column says.
CREATE TABLE customers (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    home_region STRING NOT NULL,
    name STRING NOT NULL
) LOCALITY REGIONAL BY TABLE;

-- REGIONAL BY ROW AS needs a column of type crdb_internal_region, not STRING.
CREATE TABLE orders (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    region STRING NOT NULL,
    total DECIMAL(12, 2) NOT NULL
) LOCALITY REGIONAL BY ROW AS region;

-- europe-west1 was never added to the database.
CREATE TABLE eu_invoices (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    amount DECIMAL(12, 2) NOT NULL
) LOCALITY REGIONAL BY TABLE IN "europe-west1";

-- A REGIONAL BY ROW table is partitioned by region implicitly; partitioning it by hand is an error.
CREATE TABLE reviews (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    body STRING
) LOCALITY REGIONAL BY ROW
PARTITION BY LIST (id) (PARTITION p0 VALUES IN (DEFAULT));

-- LOCALITY in a database that has no primary region.
CREATE DATABASE scratch;
CREATE TABLE scratch.notes (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), body STRING) LOCALITY GLOBAL;

-- PARTITION BY columns must be a prefix of the primary key.
CREATE TABLE scratch.accounts (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    country STRING NOT NULL,
    PRIMARY KEY (id, country)
) PARTITION BY LIST (country) (
    PARTITION europe VALUES IN ('DE', 'FR'),
    PARTITION americas VALUES IN ('US', 'CA')
);
