// The engine side of AS OF SYSTEM TIME: what each write replaced, kept long enough for the GC TTL.
//
// A table's past is its present with later changes undone. Every row write logs one entry in
// row_log (the row's key, the row image it replaced, or NULL when the key had no row, and the
// writing transaction's timestamp), so a read as of T is: the current rows whose key no entry after
// T touched, plus the image of the first entry after T for each key that had one. Inserts log only
// a key; reads that travel nothing cost nothing; entries older than the GC TTL are pruned (a read
// that old fails as CockroachDB fails it). schema_log keeps when databases and tables were
// created, altered and dropped, for name resolution in the past.
export const HISTORY_SCHEMA = 'crdb_studio_history';

/**
 * The hybrid logical clock's memory: the last transaction time it gave, in µs. A temporary
 * sequence, made for each engine session (a prepared data directory cannot hold one), because
 * only a temporary object may be written in a READ ONLY transaction, and setval is never undone
 * by a rollback, as a clock that went back could not be trusted.
 */
export const CLOCK_SQL = `CREATE TEMP SEQUENCE IF NOT EXISTS crdb_studio_clock MINVALUE 0 START 0`;

export const HISTORY_SQL = `
CREATE SCHEMA IF NOT EXISTS ${HISTORY_SCHEMA};

-- One reading of the hybrid logical clock: the engine's time, unless the clock already gave that
-- or a later one (the engine's clock counts milliseconds); then the microsecond after the last it
-- gave. Without the clock's sequence (see CLOCK_SQL), the engine's time.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.tick(physical timestamptz) RETURNS int8 LANGUAGE plpgsql VOLATILE SECURITY DEFINER AS $$
DECLARE
  micros int8 := floor(extract(epoch FROM physical) * 1000000)::int8;
BEGIN
  IF to_regclass('pg_temp.crdb_studio_clock') IS NULL THEN RETURN micros; END IF;
  SELECT greatest(micros, last_value + 1) INTO micros FROM pg_temp.crdb_studio_clock;
  PERFORM setval('pg_temp.crdb_studio_clock', micros);
  RETURN micros;
END $$;
-- A transaction's time, as CockroachDB's HLC gives it: never the time of another transaction
-- (transactions begun in one millisecond would otherwise share one, and a read AS OF one of them
-- would see the others' writes). Fixed for the transaction once given.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.txn_micros() RETURNS int8 LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  given text := current_setting('crdb_studio.txn_micros', true);
  issued int8;
BEGIN
  IF given <> '' THEN RETURN given::int8; END IF;
  issued := ${HISTORY_SCHEMA}.tick(transaction_timestamp());
  PERFORM set_config('crdb_studio.txn_micros', issued::text, true);
  RETURN issued;
END $$;
-- As a timestamptz, for each row a write logs: the time already given is read in SQL (the engine
-- inlines this), and the PL/pgSQL above runs once a transaction, not once a row.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.txn_time() RETURNS timestamptz LANGUAGE sql VOLATILE AS $$
  SELECT timestamptz 'epoch' +
    coalesce(nullif(current_setting('crdb_studio.txn_micros', true), '')::int8, ${HISTORY_SCHEMA}.txn_micros()) * interval '1 microsecond'
$$;
-- The clock's now, for a statement's relative times and its check against the future: after
-- every time it gave before (so '-1us' still sees the last write) and before every time it gives next.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.now_micros() RETURNS int8 LANGUAGE sql VOLATILE AS $$
  SELECT ${HISTORY_SCHEMA}.tick(statement_timestamp())
$$;
CREATE TABLE IF NOT EXISTS ${HISTORY_SCHEMA}.row_log (
  seq bigserial PRIMARY KEY,
  tbl oid NOT NULL,
  key jsonb NOT NULL,
  old jsonb,
  at timestamptz NOT NULL DEFAULT ${HISTORY_SCHEMA}.txn_time()
);
CREATE INDEX IF NOT EXISTS row_log_tbl_at ON ${HISTORY_SCHEMA}.row_log (tbl, at);
CREATE TABLE IF NOT EXISTS ${HISTORY_SCHEMA}.schema_log (
  seq bigserial PRIMARY KEY,
  database text NOT NULL,
  name text,
  event text NOT NULL,
  at timestamptz NOT NULL DEFAULT ${HISTORY_SCHEMA}.txn_time()
);

-- Row trigger; its arguments are the table's primary key columns.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.record_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  old_key jsonb;
  new_key jsonb;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_key := (SELECT jsonb_object_agg(c, to_jsonb(OLD) -> c) FROM unnest(TG_ARGV) c);
    INSERT INTO ${HISTORY_SCHEMA}.row_log (tbl, key, old) VALUES (TG_RELID, old_key, to_jsonb(OLD));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_key := (SELECT jsonb_object_agg(c, to_jsonb(NEW) -> c) FROM unnest(TG_ARGV) c);
    IF old_key IS DISTINCT FROM new_key THEN
      INSERT INTO ${HISTORY_SCHEMA}.row_log (tbl, key, old) VALUES (TG_RELID, new_key, NULL);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- TRUNCATE fires no row triggers: every row is logged before it goes.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.record_truncate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  EXECUTE format(
    'INSERT INTO ${HISTORY_SCHEMA}.row_log (tbl, key, old)
       SELECT %s, (SELECT jsonb_object_agg(c, to_jsonb(r) -> c) FROM unnest(%L::text[]) c), to_jsonb(r) FROM %s r',
    TG_RELID, TG_ARGV, TG_RELID::regclass);
  RETURN NULL;
END $$;

-- A past read of a name that did not exist then (or cannot be rebuilt): fails when it is read.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.fail(code text, message text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
END $$;

-- An AS OF SYSTEM TIME string, read as CockroachDB reads it: a timestamp, else a decimal (told
-- back as such), else an interval from the statement's time.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.parse_as_of(s text, stmt timestamptz, OUT micros int8, OUT kind text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  t timestamptz;
  i interval;
BEGIN
  BEGIN
    t := s::timestamptz;
    micros := floor(extract(epoch FROM t) * 1000000)::int8;
    kind := 'timestamp';
    RETURN;
  EXCEPTION WHEN others THEN NULL;
  END;
  IF s ~ '^\\s*-?[0-9]+(\\.[0-9]*)?\\s*$' THEN
    kind := 'decimal';
    RETURN;
  END IF;
  BEGIN
    i := s::interval;
    micros := floor(extract(epoch FROM stmt + i) * 1000000)::int8;
    kind := CASE WHEN i = interval '0' THEN 'zero' WHEN i > interval '0' THEN 'future' ELSE 'interval' END;
    RETURN;
  EXCEPTION WHEN others THEN NULL;
  END;
  kind := 'invalid';
END $$;

-- CockroachDB's HLC timestamp of the transaction: wall nanoseconds, logical part after the point.
CREATE OR REPLACE FUNCTION public.cluster_logical_timestamp() RETURNS numeric LANGUAGE sql VOLATILE AS $$
  SELECT (${HISTORY_SCHEMA}.txn_micros()::numeric * 1000)::numeric(30, 10)
$$;

-- Bounded staleness bounds, checked as CockroachDB checks them.
CREATE OR REPLACE FUNCTION public.with_min_timestamp(ts timestamptz, nearest_only boolean DEFAULT false) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF ts > statement_timestamp() THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'timestamp for with_min_timestamp must be less than or equal to statement_timestamp()';
  END IF;
  RETURN ts;
END $$;
CREATE OR REPLACE FUNCTION public.with_max_staleness(staleness interval, nearest_only boolean DEFAULT false) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF staleness < interval '0' THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'interval duration for with_max_staleness must be greater or equal to 0';
  END IF;
  RETURN statement_timestamp() - staleness;
END $$;
DROP FUNCTION IF EXISTS public.with_min_timestamp(timestamptz);
DROP FUNCTION IF EXISTS public.with_max_staleness(interval);

-- crdb_internal.force_retry(interval): a retry error while the transaction is younger than it.
CREATE OR REPLACE FUNCTION crdb_internal.force_retry(age interval) RETURNS int8 LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF clock_timestamp() - transaction_timestamp() < age THEN
    RAISE EXCEPTION USING ERRCODE = '40001',
      MESSAGE = 'restart transaction: crdb_internal.force_retry(): TransactionRetryWithProtoRefreshError: forced by crdb_internal.force_retry()',
      HINT = 'See: https://www.cockroachlabs.com/docs/v25.2/transaction-retry-error-reference.html';
  END IF;
  RETURN 0;
END $$;

-- Entries older than the GC TTL are no longer readable: dropped.
CREATE OR REPLACE FUNCTION ${HISTORY_SCHEMA}.prune(before timestamptz) RETURNS void LANGUAGE sql SECURITY DEFINER AS $$
  DELETE FROM ${HISTORY_SCHEMA}.row_log WHERE at < before
$$;

GRANT USAGE ON SCHEMA ${HISTORY_SCHEMA} TO PUBLIC;
GRANT SELECT ON ${HISTORY_SCHEMA}.row_log, ${HISTORY_SCHEMA}.schema_log TO PUBLIC;
GRANT INSERT ON ${HISTORY_SCHEMA}.schema_log TO PUBLIC;
GRANT USAGE ON SEQUENCE ${HISTORY_SCHEMA}.schema_log_seq_seq TO PUBLIC;
`;
