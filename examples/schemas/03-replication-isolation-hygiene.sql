-- Replication, isolation and hygiene mistakes.

CREATE TABLE ledger (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id UUID NOT NULL,
    amount DECIMAL(12, 2) NOT NULL,
    posted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    INDEX ledger_by_account (account_id),
    INDEX ledger_by_account_time (account_id, posted_at)
);

-- Four replicas tolerate one failure, like three, and cost a fourth copy.
ALTER TABLE ledger CONFIGURE ZONE USING num_replicas = 4;

-- Two replicas tolerate no failure at all; and voters cannot outnumber replicas.
ALTER TABLE ledger CONFIGURE ZONE USING num_replicas = 2, num_voters = 3;

-- READ UNCOMMITTED is upgraded (to READ COMMITTED); REPEATABLE READ runs as SERIALIZABLE unless
-- enabled by a cluster setting.
BEGIN TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;
SELECT sum(amount) FROM ledger;
COMMIT;

BEGIN;
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM ledger;
COMMIT;

-- A read-only report in a SERIALIZABLE read-write transaction: mark it READ ONLY, or read
-- from followers with AS OF SYSTEM TIME follower_read_timestamp().
BEGIN;
SELECT account_id, sum(amount) FROM ledger GROUP BY account_id;
COMMIT;

-- INTERLEAVE IN PARENT was removed in v21.2.
CREATE TABLE ledger_notes (
    ledger_id UUID NOT NULL,
    note_id UUID NOT NULL DEFAULT gen_random_uuid(),
    body STRING,
    PRIMARY KEY (ledger_id, note_id)
) INTERLEAVE IN PARENT ledger (ledger_id);

-- Redundant: ledger_by_account is a prefix of ledger_by_account_time.
CREATE INDEX ledger_account_again ON ledger (account_id);

-- Passwords do not belong in SQL files kept in version control.
CREATE USER reporting WITH PASSWORD 'hunter2';
